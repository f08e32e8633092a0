"""Notification texts, rendered in the reader's language.

A notification stores a kind code and its parameters (names, dates as ISO text, status codes);
its title and body are written when it is shown, or e-mailed, in the recipient's language.
Each renderer takes the parameters and returns ``(title, body)``; it runs inside
``force_locale`` or a request, so ``gettext`` picks the language. User data (a fair's title, an
employer's name, a reason typed by a person) is shown as written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from flask_babel import get_locale
from flask_babel import gettext as _

from recruit.timeutil import format_date, format_datetime

Renderer = Callable[[dict], tuple[str, str]]
RENDERERS: dict[str, Renderer] = {}


def when(value: datetime | None) -> str:
    """A datetime as stored in ``params`` (ISO 8601, UTC offset kept)."""
    return value.isoformat() if value is not None else ""


def _locale() -> str:
    return str(get_locale() or "zh")


def _dt(value: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(value), _locale()) if value else ""
    except ValueError:
        return value


def _place(p: dict) -> str:
    if p.get("venue"):
        return p["venue"]
    return _("线上") + (f" {p['online_url']}" if p.get("online_url") else "")


def message(kind: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        return fn

    return register


def render(kind: str, params: dict | None, title: str = "", body: str = "") -> tuple[str, str]:
    """(title, body) of a notification in the current language (stored text as the fallback)."""
    renderer = RENDERERS.get(kind)
    if renderer is None or params is None:
        return title, body
    try:
        return renderer(params)
    except (KeyError, TypeError, ValueError):
        return title, body


@message("employer_approved")
def _employer_approved(p):
    return (_("单位认证已通过：%(name)s", name=p["name"]), _("贵单位已通过认证，现在可以发布岗位，并申请招聘会展位。"))


@message("employer_rejected")
def _employer_rejected(p):
    return (
        _("单位认证未通过：%(name)s", name=p["name"]),
        _("原因：%(reason)s。请按原因修改后联系学校就业部门。", reason=p.get("reason") or "—"),
    )


@message("booth_requested")
def _booth_requested(p):
    return (
        _("新的展位申请：%(employer)s", employer=p["employer"]),
        _(
            "%(employer)s 申请“%(title)s”（%(when)s）的展位，请审核。",
            employer=p["employer"],
            title=p["title"],
            when=_dt(p["when"]),
        ),
    )


@message("booth_approved")
def _booth_approved(p):
    return (
        _("展位申请已通过：%(title)s", title=p["title"]),
        _(
            "您在“%(title)s”（%(when)s，%(place)s）的展位申请已通过，展位号 %(booth)s。",
            title=p["title"],
            when=_dt(p["when"]),
            place=_place(p),
            booth=p.get("booth") or "—",
        ),
    )


@message("booth_rejected")
def _booth_rejected(p):
    return (
        _("展位申请未通过：%(title)s", title=p["title"]),
        _("您在“%(title)s”的展位申请未通过。原因：%(reason)s", title=p["title"], reason=p.get("reason") or "—"),
    )


@message("fair_changed")
def _fair_changed(p):
    return (
        _("招聘会时间或地点有变：%(title)s", title=p["title"]),
        _("“%(title)s”现定于%(when)s举行，地点：%(place)s。", title=p["title"], when=_dt(p["when"]), place=_place(p)),
    )


@message("fair_cancelled")
def _fair_cancelled(p):
    body = _("原定于%(when)s举行的“%(title)s”已取消。", when=_dt(p["when"]), title=p["title"])
    if p.get("reason"):
        body += _("取消原因：%(reason)s", reason=p["reason"])
    return _("招聘会已取消：%(title)s", title=p["title"]), body


@message("fair_reminder")
def _fair_reminder(p):
    return (
        _("明天的招聘会：%(title)s", title=p["title"]),
        _("“%(title)s”将于%(when)s开始，地点：%(place)s。", title=p["title"], when=_dt(p["when"]), place=_place(p)),
    )


@message("registration_closed")
def _registration_closed(p):
    return (_("展位申请已截止：%(title)s", title=p["title"]), _("招聘会已开始，您尚未审核的展位申请已自动关闭。"))


@message("school_recommendation")
def _school_recommendation(p):
    body = _("学校就业部门向您优先推荐%(employer)s的岗位“%(title)s”。", employer=p["employer"], title=p["title"])
    if p.get("note"):
        body += " " + _("推荐理由：%(note)s", note=p["note"])
    return _("学校为您推荐了岗位：%(title)s", title=p["title"]), body


def fair_params(fair, **extra) -> dict:
    """The parameters every fair message uses: title, start, venue or online address."""
    return {
        "title": fair.title,
        "when": when(fair.starts_at),
        "venue": fair.venue.name if fair.venue is not None else "",
        "online_url": fair.online_url or "",
        **extra,
    }


# --- the frequency watch and the holiday check (scheduled jobs) -----------------------------------


def period_params(period) -> dict:
    """One at-risk period of the frequency rule as message parameters."""
    kind = "large" if getattr(period, "rule", None) and period.rule.kind == "large" else "special"
    return {
        "period": period.period,
        "kind": kind,
        "year": period.start.year,
        "month": period.start.month,
        "start": period.count_from.isoformat(),
        "end": period.count_to.isoformat(),
        "n": period.missing,
    }


def _period_line(p: dict) -> str:
    kind = _("大型综合招聘会") if p["kind"] == "large" else _("中小型专场招聘会")
    if p["period"] == "month":
        return _("%(year)d年%(month)d月：缺少%(kind)s %(n)d 场", year=p["year"], month=p["month"], kind=kind, n=p["n"])
    return _(
        "%(start)s 至 %(end)s 这一周：缺少%(kind)s %(n)d 场",
        start=format_date(date.fromisoformat(p["start"]), _locale()),
        end=format_date(date.fromisoformat(p["end"]), _locale()),
        kind=kind,
        n=p["n"],
    )


@message("frequency_watch")
def _frequency_watch(p):
    lines = [_period_line(x) for x in p["periods"]]
    return (
        _("服务季频次预警：未来 %(days)d 天内有 %(n)d 个周期未达标", days=p["days"], n=len(lines)),
        _("以下周期尚未安排足够的招聘会，请尽快预订场地：") + "\n" + "\n".join(lines),
    )


@message("frequency_digest")
def _frequency_digest(p):
    zh = not _locale().startswith("en")
    colon, semicolon = ("：", "；") if zh else (": ", "; ")
    lines = [u["name"] + colon + semicolon.join(_period_line(x) for x in u["periods"]) for u in p["universities"]]
    return _("服务季频次预警汇总：%(n)d 所高校有风险", n=len(lines)), "\n".join(lines)


@message("holiday_missing")
def _holiday_missing(p):
    return (
        _("%(year)d 年法定节假日安排尚未载入", year=p["year"]),
        _(
            "系统中还没有 %(year)d 年的节假日和调休安排，服务季周次和场地规划可能不准确。"
            "国务院办公厅公布安排后，请升级 chinesecalendar 并运行 flask --app wsgi holidays sync。",
            year=p["year"],
        ),
    )


@message("statistics_reminder")
def _statistics_reminder(p):
    label = {"monthly": _("月报"), "weekly": _("周报")}.get(p["cadence"], p["cadence"])
    day = lambda value: format_date(date.fromisoformat(value), _locale())  # noqa: E731
    return (
        _("就业统计%(label)s将于 %(deadline)s 截止", label=label, deadline=day(p["deadline"])),
        _(
            "%(start)s 至 %(end)s 的%(label)s尚未报送，请在截止日期前完成。",
            start=day(p["start"]),
            end=day(p["end"]),
            label=label,
        ),
    )


@message("destination_returned")
def _destination_returned(p):
    return _("毕业去向登记被退回"), _("退回原因：%(reason)s", reason=p["reason"])
