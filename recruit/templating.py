"""Template filters, globals and the role-based navigation."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import current_user

from matching import majors
from recruit import timeutil
from recruit.fairs.models import FAIR_FORMAT_NAMES, FAIR_KIND_NAMES
from recruit.compliance.policy import season_label
from recruit.i18n import vocab_label
from recruit.matchmaking import reasons as match_reasons
from recruit.notifications.services import unread_count

KIND_LABELS = {kind: _l(name) for kind, name in FAIR_KIND_NAMES.items()}
FORMAT_LABELS = {fmt: _l(name) for fmt, name in FAIR_FORMAT_NAMES.items()}
FAIR_STATUS_LABELS = {"draft": _l("草稿"), "scheduled": _l("已发布"), "held": _l("已举办"), "cancelled": _l("已取消")}
REGISTRATION_STATUS_LABELS = {
    "pending": _l("待审核"),
    "approved": _l("已通过"),
    "rejected": _l("未通过"),
    "withdrawn": _l("已撤回"),
}
EMPLOYER_STATUS_LABELS = {
    "pending": _l("待审核"),
    "approved": _l("已认证"),
    "rejected": _l("未通过"),
    "suspended": _l("已暂停"),
}
REVIEW_STATUS_LABELS = {
    "draft": _l("草稿（待单位认证）"),
    "pending": _l("待审核"),
    "published": _l("已发布"),
    "returned": _l("已退回"),
}
PARTICIPATION_LABELS = {"approved": _l("接受"), "rejected": _l("不接受"), "suspended": _l("已暂停")}
POSTING_STATUS_LABELS = {"open": _l("招聘中"), "closed": _l("已关闭")}
PERIOD_STATUS_LABELS = {"met": _l("已达标"), "planned": _l("已安排"), "at_risk": _l("有风险"), "missed": _l("未达标")}

#: Navigation by role: (endpoint, label, roles).
NAV = (
    ("main.index", _l("首页"), {"anonymous", "admin", "organizer", "employer", "graduate"}),
    ("fairs.list_fairs", _l("招聘会"), {"anonymous", "admin", "organizer", "employer", "graduate"}),
    ("universities.list_universities", _l("高校"), {"anonymous", "admin", "organizer", "employer", "graduate"}),
    ("compliance.province", _l("全省达标情况"), {"admin"}),
    ("compliance.season_view", _l("服务季达标"), {"organizer"}),
    ("graduates.matches", _l("为我推荐"), {"graduate"}),
    ("graduates.edit_intention", _l("求职意愿"), {"graduate"}),
    ("graduates.saved", _l("我的收藏"), {"graduate"}),
    ("employers.my_postings", _l("我的岗位"), {"employer"}),
    ("fairs.my_registrations", _l("我的展位"), {"employer"}),
    ("graduates.manage", _l("毕业生"), {"organizer", "admin"}),
    ("employers.manage", _l("用人单位"), {"organizer", "admin"}),
    ("organizer.supply_demand", _l("供需分析"), {"organizer", "admin"}),
    ("organizer.key_group", _l("重点群体"), {"organizer", "admin"}),
    ("organizer.imports", _l("导入导出"), {"organizer", "admin"}),
    ("jobs.index", _l("定时任务"), {"admin"}),
    ("statistics.province", _l("就业统计"), {"admin"}),
    ("statistics.records", _l("就业统计"), {"organizer"}),
    ("statistics.my_destination", _l("毕业去向"), {"graduate"}),
    ("board.index", _lp("nav", "岗位"), {"anonymous", "admin", "organizer", "employer", "graduate"}),
    ("applications.mine", _l("我的投递"), {"graduate"}),
    ("applications.resume", _l("我的简历"), {"graduate"}),
    ("applications.outcomes", _l("投递与录用"), {"organizer", "admin"}),
    ("admin.index", _l("省级管理"), {"admin"}),
    ("admin.school", _l("本校设置"), {"organizer"}),
    ("employers.my_licence", _l("营业执照"), {"employer"}),
)


def nav_items() -> list[tuple[str, str]]:
    role = current_user.role if current_user.is_authenticated else "anonymous"
    return [(url_for(ep), str(label)) for ep, label, roles in NAV if role in roles]


def _locale() -> str:
    return str(get_locale() or "zh")


def register(app: Flask) -> None:
    #: Names a major field suggests (the MoE catalogues): templates/_majors_datalist.html.
    app.jinja_env.globals["major_catalogue_names"] = majors.names_for_forms

    @app.template_filter("dt")
    def fmt_datetime(value: datetime | None, with_time: bool = True) -> str:
        return timeutil.format_datetime(value, _locale(), with_time)

    @app.template_filter("d")
    def fmt_date(value: date | None) -> str:
        return timeutil.format_date(value, _locale())

    @app.template_filter("hm")
    def fmt_hm(value: datetime | None) -> str:
        return "" if value is None else f"{timeutil.local(value):%H:%M}"

    app.add_template_filter(vocab_label, "vocab")
    app.add_template_global(season_label, "season_label")

    @app.template_filter("yuan")
    def fmt_yuan(value: int | None) -> str:
        return "" if value is None else f"{value:,}"

    @app.context_processor
    def globals_():
        unread = unread_count(current_user) if current_user.is_authenticated else 0
        return {
            "nav_items": nav_items,
            "current_locale": _locale(),
            "KIND_LABELS": KIND_LABELS,
            "FORMAT_LABELS": FORMAT_LABELS,
            "FAIR_STATUS_LABELS": FAIR_STATUS_LABELS,
            "REGISTRATION_STATUS_LABELS": REGISTRATION_STATUS_LABELS,
            "EMPLOYER_STATUS_LABELS": EMPLOYER_STATUS_LABELS,
            "POSTING_STATUS_LABELS": POSTING_STATUS_LABELS,
            "REVIEW_STATUS_LABELS": REVIEW_STATUS_LABELS,
            "PARTICIPATION_LABELS": PARTICIPATION_LABELS,
            "PERIOD_STATUS_LABELS": PERIOD_STATUS_LABELS,
            "unread_notifications": unread,
        }

    # matchmaking: reasons come as codes plus data, scores are shown as bands
    app.add_template_filter(match_reasons.render_reason, "match_reason")
    app.add_template_filter(match_reasons.band_label, "match_band")
    app.add_template_filter(match_reasons.band_code, "match_band_code")
    app.add_template_global(match_reasons.MATCH_SCORE_FILTERS, "MATCH_SCORE_FILTERS")
