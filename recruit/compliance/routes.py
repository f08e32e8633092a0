"""Season view per university, the province dashboard and exports, the gap planner."""
from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import access
from recruit.core.errors import ServiceError
from recruit.compliance import export as exports
from recruit.compliance import planner, services
from recruit.compliance.holidays import day_range_info
from recruit.compliance.policy import PolicyError, current_policy
from recruit.extensions import db
from recruit.timeutil import combine_local, today_local, utcnow
from recruit.universities.models import University
from recruit.validation import parse_int

bp = Blueprint("compliance", __name__, url_prefix="/compliance")
#: The planner proposes a few dozen fairs a season; a posted count beyond this is not a plan.
PLAN_MAX_ITEMS = 200
STATUS_SYMBOLS = {"met": "✓", "planned": "○", "at_risk": "!", "missed": "✗"}


def _season(policy):
    key = request.values.get("season", "")
    today = today_local()
    if key:
        try:
            return policy.season(key)
        except PolicyError:
            flash(_("服务季 %(key)s 无效，已显示当前服务季。", key=key), "error")
    return policy.season_for(today)


def _university() -> University | None:
    """The organizer's own university; admins name one with ?university=CODE."""
    if current_user.role == "organizer":
        university = db.session.get(University, current_user.university_id)
        if university is None:
            abort(404)
        return university
    code = request.values.get("university", "")
    if not code:
        return None
    university = db.session.scalar(sa.select(University).where(University.code == code))
    if university is None:
        abort(404)
    return university


def _season_nav(policy, season):
    seasons = policy.seasons_of_year(season.start.year - 1) + policy.seasons_of_year(season.start.year) + policy.seasons_of_year(season.start.year + 1)
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
        "compliance/season.html", university=university, season=season, result=result, months=months, fairs=fairs,
        today=today, policy=policy, symbols=STATUS_SYMBOLS, booking_day=_booking_day, previous=previous,
        following=following, not_announced=not_announced,
        at_risk_soon=result.at_risk_within(14),
    )


@bp.route("/province")
@access("admin")
def province():
    policy = current_policy()
    season = _season(policy)
    today = today_local()
    rows = services.province_rows(services.evaluate_universities(season, today, policy=policy), today)
    previous, following = _season_nav(policy, season)
    return render_template("compliance/province.html", rows=rows, season=season, today=today, previous=previous,
                           following=following)


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
        return Response(exports.to_xlsx(rows, season.key),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    if fmt != "csv":
        abort(404)
    return Response(exports.to_csv(rows).encode("utf-8-sig"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@bp.route("/plan", methods=["GET"])
@access("organizer", "admin")
def plan():
    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
        return render_template("compliance/choose.html", universities=universities, season=season, target="compliance.plan")
    today = today_local()
    result = planner.plan(university, season, policy, today=today, now=utcnow())
    return render_template("compliance/plan.html", university=university, season=season, plan=result,
                           venues=university.venues, today=today)


def _posted_items(university: University) -> list:
    from recruit.fairs.services import FairData

    items = []
    count = parse_int(request.form.get("count") or "0", default=None, minimum=0, maximum=PLAN_MAX_ITEMS)
    if count is None:
        raise ServiceError(_("建议数量无效：须为 0 到 %(max)d 之间的整数。", max=PLAN_MAX_ITEMS))
    for n in range(count):
        if not request.form.get(f"p{n}-include"):
            continue
        label = _("第%(n)d项", n=n + 1)
        try:
            day = date.fromisoformat(request.form.get(f"p{n}-date", ""))
            start = time.fromisoformat(request.form.get(f"p{n}-start", ""))
            end = time.fromisoformat(request.form.get(f"p{n}-end", ""))
        except ValueError:
            raise ServiceError(_("%(label)s：请填写有效的日期和时间。", label=label)) from None
        venue_id = parse_int(request.form.get(f"p{n}-venue", "0"))
        booths = parse_int(request.form.get(f"p{n}-booths", "0"))
        if venue_id is None or booths is None:
            raise ServiceError(_("%(label)s：场地或展位数无效。", label=label))
        items.append(FairData(
            kind=request.form.get(f"p{n}-kind", ""), title=request.form.get(f"p{n}-title", ""), format="onsite",
            starts_at=combine_local(day, start), ends_at=combine_local(day, end), venue_id=venue_id, booth_capacity=booths,
        ))
    return items


@bp.route("/plan", methods=["POST"])
@access("organizer", "admin")
def apply_plan():
    from recruit.fairs.services import create_many

    policy = current_policy()
    season = _season(policy)
    university = _university()
    if university is None:
        abort(404)
    try:
        items = _posted_items(university)
        if not items:
            raise ServiceError(_("没有选中任何建议。"))
        fairs = create_many(university, items, current_user, publish=True)
    except ServiceError as error:
        flash(_(error.message), "error")
        return redirect(url_for("compliance.plan", season=season.key, university=university.code))
    result = services.evaluate_university(university, season, today_local(), policy)
    flash(_("已发布 %(n)d 场招聘会。", n=len(fairs)), "success")
    if result.compliant:
        flash(_("本服务季已全部达标或已安排。"), "success")
    else:
        flash(_("仍有未达标或有风险的时段，请查看下表。"), "warning")
    return redirect(url_for("compliance.season_view", season=season.key, university=university.code))
