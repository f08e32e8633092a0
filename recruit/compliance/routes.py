"""Season view per university, the province dashboard and exports, the gap planner."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from recruit.access import access
from recruit.compliance import export as exports
from recruit.compliance import planner, services
from recruit.compliance.holidays import day_range_info
from recruit.compliance.policy import PolicyError, current_policy
from recruit.core import dates, spreadsheets
from recruit.core.errors import ServiceError
from recruit.core.scope import university_for
from recruit.extensions import db
from recruit.fairs.services import FairData
from recruit.timeutil import combine_local, today_local, utcnow
from recruit.universities.models import University
from recruit.validation import parse_int

bp = Blueprint("compliance", __name__, url_prefix="/compliance")
#: The planner proposes a few dozen fairs a season; a posted count beyond this is not a plan.
PLAN_MAX_ITEMS = 200
STATUS_SYMBOLS = {"met": "✓", "planned": "○", "at_risk": "!", "missed": "✗"}
#: The headline verdict of a season (SeasonResult.verdict): one rule, one symbol, one colour everywhere.
VERDICT_LABELS = {"met": _l("达标"), "at_risk": _l("有风险"), "missed": _l("未达标")}


def _season(policy):
    """The season of ``?season=YYYY-name``; the current one (with a notice) when the key is not a
    season of the policy or its year is outside :mod:`recruit.core.dates`' range."""
    key = request.values.get("season", "")
    today = today_local()
    if key:
        try:
            season = policy.season(key)
        except PolicyError:
            season = None
        if season is not None and dates.year_in_range(season.start.year):
            return season
        flash(_("服务季 %(key)s 无效，已显示当前服务季。", key=key[:40]), "error")
    return policy.season_for(today)


def _university() -> University | None:
    """The organizer's own university; admins name one with ?university=CODE (an unknown code: 404)."""
    code = request.values.get("university", "")
    university = university_for(current_user, code)
    if university is None and code:
        abort(404)
    return university


def _season_nav(policy, season):
    seasons = (
        policy.seasons_of_year(season.start.year - 1)
        + policy.seasons_of_year(season.start.year)
        + policy.seasons_of_year(season.start.year + 1)
    )
    index = [s.key for s in seasons].index(season.key)
    return seasons[index - 1], seasons[index + 1]


def _booking_day(period, today: date) -> date:
    """The first day of the period on which a fair can still be booked (today or later)."""
    return max(period.count_from, today + timedelta(days=1) if period.count_to > today else today)


@bp.route("/season")
@access("organizer", "admin")
def season_view():
    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
        return render_template("compliance/choose.html", universities=universities, season=season)
    today = today_local()
    result = services.evaluate_university(university, season, today, policy)
    fairs = {str(f.id): f for f in db.session.scalars(services.season_fairs_query(season, [university.id]))}
    months = []
    for m in result.months:
        weeks = [w for w in result.weeks if m.start <= w.start + timedelta(days=3) <= m.end]
        months.append((m, weeks))
    info = day_range_info(season.start, season.end)
    not_announced = sorted({d.year for d, i in info.items() if not i.announced})
    previous, following = _season_nav(policy, season)
    return render_template(
        "compliance/season.html",
        university=university,
        season=season,
        result=result,
        months=months,
        fairs=fairs,
        today=today,
        policy=policy,
        symbols=STATUS_SYMBOLS,
        booking_day=_booking_day,
        previous=previous,
        following=following,
        not_announced=not_announced,
        at_risk_soon=result.at_risk_within(14),
        verdict_labels=VERDICT_LABELS,
        evidence=policy.min_checked_in_employers,
        verified=sum(p.done for p in result.periods if p.count_to < today),
        below=sum(p.below for p in result.periods),
    )


@bp.route("/province")
@access("admin")
def province():
    policy = current_policy()
    season = _season(policy)
    today = today_local()
    rows = services.province_rows(services.evaluate_universities(season, today, policy=policy), today)
    previous, following = _season_nav(policy, season)
    return render_template(
        "compliance/province.html",
        rows=rows,
        season=season,
        today=today,
        previous=previous,
        following=following,
        symbols=STATUS_SYMBOLS,
        verdict_labels=VERDICT_LABELS,
        evidence=policy.min_checked_in_employers,
    )


@bp.route("/province/export")
@access("admin")
def export():
    policy = current_policy()
    season = _season(policy)
    today = today_local()
    rows = exports.summary_rows(services.evaluate_universities(season, today, policy=policy), today)
    fmt = request.args.get("format", "csv")
    name = f"compliance-{season.key}-{today.isoformat()}"
    if fmt == "xlsx":
        return Response(
            spreadsheets.to_xlsx(exports.HEADERS, rows, title=season.key, bold_header=True),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    if fmt != "csv":
        abort(404)
    return Response(
        spreadsheets.to_csv(exports.HEADERS, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _proposal_rows(plan_result) -> list[dict]:
    """The planner's proposals as the editable rows of the review table."""
    return [
        {
            "include": True,
            "kind": p.kind,
            "period": p.period,
            "from": p.period_start,
            "to": p.period_end,
            "title": p.title,
            "auto_title": p.title,
            "date": p.day.isoformat(),
            "start": p.start.strftime("%H:%M"),
            "end": p.end.strftime("%H:%M"),
            "venue": p.venue_id,
            "booths": p.booth_capacity,
        }
        for p in plan_result.proposals
    ]


def _render_plan(university: University, season, policy, rows=None, errors=None, status: int = 200):
    today = today_local()
    result = planner.plan(university, season, policy, today=today, now=utcnow())
    fairs = planner.planner_fairs(university, season)
    return render_template(
        "compliance/plan.html",
        university=university,
        season=season,
        plan=result,
        rows=rows if rows is not None else _proposal_rows(result),
        errors=errors or {},
        venues=university.venues,
        today=today,
        drafts=[f for f in fairs if f.status == "draft"],
        published=[f for f in fairs if f.status == "scheduled" and f.starts_at > utcnow()],
    ), status


@bp.route("/plan", methods=["GET"])
@access("organizer", "admin")
def plan():
    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
        return render_template(
            "compliance/choose.html", universities=universities, season=season, target="compliance.plan"
        )
    return _render_plan(university, season, policy)


def _posted_rows() -> list[dict]:
    """The review table as posted (kept for showing it again with the errors)."""
    rows = []
    count = parse_int(request.form.get("count") or "0", default=0, minimum=0, maximum=PLAN_MAX_ITEMS)
    for n in range(count):
        prefix = f"p{n}-"

        def get(key: str, prefix: str = prefix) -> str:
            return request.form.get(prefix + key, "").strip()

        venue = parse_int(get("venue") or "0", default=0)
        rows.append(
            {
                "include": bool(get("include")),
                "kind": get("kind"),
                "period": get("period"),
                "from": get("from"),
                "to": get("to"),
                "title": get("title"),
                "auto_title": get("auto_title"),
                "date": get("date"),
                "start": get("start"),
                "end": get("end"),
                "venue": venue,
                "booths": get("booths"),
            }
        )
    return rows


def _row_items(university: University, rows: list[dict]) -> tuple[list, dict]:
    """FairData for the chosen rows, and {row: {field: message}} for what is wrong in them.

    A title the organizer did not change follows the chosen date; a date outside the row's
    period (the gap it was proposed for) is refused next to the date.
    """
    items, errors = [], {}
    for n, row in enumerate(rows):
        if not row["include"]:
            continue
        wrong = errors.setdefault(n, {})
        day = dates.parse_date(row["date"])
        if day is None:
            wrong["date"] = _("请填写有效的日期。")
        try:
            start, end = time.fromisoformat(row["start"]), time.fromisoformat(row["end"])
        except ValueError:
            wrong["start"] = _("请填写有效的开始和结束时间。")
            start = end = None
        if day is not None:
            lo, hi = dates.parse_date(row["from"]), dates.parse_date(row["to"])
            if lo and hi and not lo <= day <= hi:
                wrong["date"] = _("日期必须在该缺口时段内（%(lo)s 至 %(hi)s）。", lo=lo.isoformat(), hi=hi.isoformat())
            elif row["title"] == row["auto_title"] and row["kind"] in planner.KIND_TITLES:
                row["title"] = planner.proposal_title(university, row["kind"], row["period"], day)
                row["auto_title"] = row["title"]
        try:
            booths = int(row["booths"])
        except ValueError:
            wrong["booths"] = _("展位数必须是正整数。")
            booths = 0
        if wrong or day is None or start is None:
            continue
        errors.pop(n)
        items.append(
            (
                n,
                FairData(
                    kind=row["kind"],
                    title=row["title"],
                    format="onsite",
                    starts_at=combine_local(day, start),
                    ends_at=combine_local(day, end),
                    venue_id=row["venue"],
                    booth_capacity=booths,
                ),
            )
        )
    return items, errors


@bp.route("/plan", methods=["POST"])
@access("organizer", "admin")
def apply_plan():
    """Create the chosen proposals as drafts for review (publishing all of them is one more click)."""
    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        abort(404)
    if parse_int(request.form.get("count") or "0", default=None, minimum=0, maximum=PLAN_MAX_ITEMS) is None:
        flash(_("建议数量无效：须为 0 到 %(max)d 之间的整数。", max=PLAN_MAX_ITEMS), "error")
        return redirect(url_for("compliance.plan", season=season.key))
    rows = _posted_rows()
    items, errors = _row_items(university, rows)
    if errors:
        flash(_("请修正表中标出的问题。"), "error")
        return _render_plan(university, season, policy, rows, errors, 422)
    if not items:
        flash(_("没有选中任何建议。"), "error")
        return _render_plan(university, season, policy, rows, errors, 422)
    try:
        fairs = planner.create_drafts(university, [item for _n, item in items], current_user)
    except ServiceError as error:
        index = _row_index(error.message)
        if index is not None and index < len(items):
            field = {
                "starts_at": "date",
                "ends_at": "start",
                "venue_id": "venue",
                "booth_capacity": "booths",
                "title": "title",
            }.get(error.field or "", "date")
            errors = {items[index][0]: {field: _(error.message.split("：", 1)[-1])}}
        flash(_(error.message), "error")
        return _render_plan(university, season, policy, rows, errors, 422)
    flash(_("已创建 %(n)d 场招聘会草稿，请核对后发布。", n=len(fairs)), "success")
    return redirect(url_for("compliance.plan", season=season.key, university=university.code))


def _row_index(message: str) -> int | None:
    """``第2项：…`` → 1 (the position among the chosen rows)."""
    head = message.split("：", 1)[0]
    if head.startswith("第") and head.endswith("项") and head[1:-1].isdigit():
        return int(head[1:-1]) - 1
    return None


@bp.route("/plan/publish", methods=["POST"])
@access("organizer", "admin")
def publish_plan():
    """Publish every draft the planner made for the season: one click."""
    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        abort(404)
    published, problems = planner.publish_drafts(university, season)
    if published:
        flash(_("已发布 %(n)d 场招聘会。", n=len(published)), "success")
    for problem in problems:
        flash(problem, "error")
    if not published and not problems:
        flash(_("没有待发布的草稿。"), "warning")
    result = services.evaluate_university(university, season, today_local(), policy)
    if published and result.compliant:
        flash(_("本服务季已全部达标或已安排。"), "success")
    elif published:
        flash(_("仍有未达标或有风险的时段，请查看下表。"), "warning")
    return redirect(url_for("compliance.season_view", season=season.key, university=university.code))


@bp.route("/plan/invite", methods=["POST"])
@access("organizer", "admin")
def invite_plan():
    """Invite the employers that match the university's graduates best to the planner's published fairs."""
    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        abort(404)
    fairs = [f for f in planner.planner_fairs(university, season) if f.status == "scheduled"]
    try:
        created, considered = planner.invite_matched(university, fairs, current_user)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        if not considered:
            flash(_("暂无与本校毕业生匹配的单位。"), "warning")
        else:
            flash(_("已发出 %(n)d 份邀请（%(e)d 家匹配单位）。", n=created, e=considered), "success")
    return redirect(url_for("compliance.plan", season=season.key, university=university.code))
