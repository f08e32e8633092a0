"""The bodies of the scheduled jobs: ``fn(ctx: JobContext) -> str`` (a one-line summary).

Each body is idempotent: it may run twice (a deploy overlap, a manual run right after a
scheduled one) without any effect the second time. Notifications carry an event key that
is unique per user in the database; status changes only touch rows still in the old status.
Bodies commit their own work.
"""
from __future__ import annotations

import hashlib
import time
from datetime import time as dtime
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import signals
from recruit.extensions import db
from recruit.fairday import services as fairday_services
from recruit.jobs.runner import JobContext, JobSkipped
from recruit.notifications import services as notes
from recruit.timeutil import UTC, combine_local, format_date, format_datetime

FREQUENCY_HORIZON_DAYS = 14
REMINDER_LEAD = timedelta(hours=24)
REGISTRATION_CLOSED_REASON = "招聘会已开始，报名已截止"


# --- frequency_watch ------------------------------------------------------------------------

def at_risk_periods(university, today, horizon_days: int = FREQUENCY_HORIZON_DAYS) -> tuple[str, list]:
    """(season key, at-risk periods of the current season within the horizon) for ``university``.

    Uses ``recruit.compliance.services.at_risk_periods`` when the compliance domain offers
    it, else the pure engine (``recruit.compliance.engine``) on the university's fairs.
    """
    try:
        from recruit.compliance import services as compliance_services

        if hasattr(compliance_services, "at_risk_periods"):
            result = compliance_services.at_risk_periods(university, today, horizon_days=horizon_days)
            if isinstance(result, tuple):
                return result
            return "", list(result)
    except ImportError:
        pass
    try:
        from recruit.compliance import engine
        from recruit.compliance.policy import current_policy
    except ImportError as exc:
        raise JobSkipped("频次引擎未安装（recruit.compliance.engine）") from exc
    from recruit.fairs.models import Fair

    policy = current_policy()
    season = policy.season_for(today)
    lo = season.start - timedelta(days=1)
    hi = season.end + timedelta(days=2)

    fairs = db.session.scalars(
        sa.select(Fair).where(
            Fair.university_id == university.id,
            Fair.starts_at >= combine_local(lo, dtime(0)), Fair.starts_at < combine_local(hi, dtime(0)),
        )
    )
    records = [
        engine.FairRecord(id=str(f.id), university=university.code, kind=f.kind, starts_at=f.starts_at,
                          status=f.status, ends_at=f.ends_at, format=f.format)
        for f in fairs
    ]
    result = engine.evaluate(records, season, policy, today, university.code)
    return season.key, result.at_risk_within(horizon_days)


def _period_text(period) -> str:
    kind = "large" if getattr(period, "rule", None) and period.rule.kind == "large" else "special"
    kind_label = _("大型综合招聘会") if kind == "large" else _("中小型专场招聘会")
    if period.period == "month":
        return _("%(year)d年%(month)d月：缺少%(kind)s %(n)d 场",
                 year=period.start.year, month=period.start.month, kind=kind_label, n=period.missing)
    return _("%(start)s 至 %(end)s 这一周：缺少%(kind)s %(n)d 场",
             start=format_date(period.count_from), end=format_date(period.count_to), kind=kind_label, n=period.missing)


def _signature(parts: list[str]) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def frequency_watch(ctx: JobContext) -> str:
    from recruit.universities.models import University

    today = ctx.today
    iso_year, iso_week, _wd = today.isocalendar()
    digest_lines: list[str] = []
    digest_keys: list[str] = []
    sent = 0
    for university in db.session.scalars(sa.select(University).order_by(University.code)):
        season_key, periods = at_risk_periods(university, today)
        if not periods:
            continue
        lines = [_period_text(p) for p in periods]
        keys = [f"{p.period}:{p.rule.kind}:{p.start.isoformat()}" for p in periods]
        link = (notes.path_for("compliance.season_view", season=season_key)
                or notes.path_for("compliance.season_view") or "/compliance/")
        sent += len(notes.notify(
            notes.organizers_of(university.id), kind="frequency_watch",
            # One alert per ISO week and set of at-risk periods: a rerun adds nothing,
            # a new gap (or the next Monday) alerts again.
            event_key=f"frequency_watch:{university.id}:{iso_year}W{iso_week:02d}:{_signature(keys)}",
            title=_("服务季频次预警：未来 %(days)d 天内有 %(n)d 个周期未达标", days=FREQUENCY_HORIZON_DAYS, n=len(periods)),
            body=_("以下周期尚未安排足够的招聘会，请尽快预订场地：") + "\n" + "\n".join(lines),
            link=link,
        ))
        digest_lines.append(f"{university.name}：" + "；".join(lines))
        digest_keys.append(f"{university.id}=" + ",".join(keys))
    if digest_lines:
        sent += len(notes.notify(
            notes.admins(), kind="frequency_digest",
            event_key=f"frequency_digest:{iso_year}W{iso_week:02d}:{_signature(digest_keys)}",
            title=_("服务季频次预警汇总：%(n)d 所高校有风险", n=len(digest_lines)),
            body="\n".join(digest_lines),
            link=notes.path_for("compliance.province") or "/compliance/",
        ))
    db.session.commit()
    return f"{len(digest_lines)} 所高校有风险，新通知 {sent} 条"


# --- fair_reminders -------------------------------------------------------------------------

def reminder_key(fair) -> str:
    """Unique per fair and start time: a reschedule gives a new key, so a new reminder."""
    return f"fair_reminder:{fair.id}:{fair.starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def fair_reminders(ctx: JobContext) -> str:
    from recruit.fairs.models import Fair

    now = ctx.now
    fairs = db.session.scalars(
        sa.select(Fair).where(Fair.status == "scheduled", Fair.starts_at > now, Fair.starts_at <= now + REMINDER_LEAD)
        .order_by(Fair.starts_at)
    ).all()
    sent = 0
    for fair in fairs:
        place = fair.venue.name if fair.venue is not None else (fair.online_url or "")
        sent += len(notes.notify(
            notes.fair_audience(fair), kind="fair_reminder", event_key=reminder_key(fair),
            title=_("明天的招聘会：%(title)s", title=fair.title),
            body=_("“%(title)s”将于%(when)s开始，地点：%(place)s。",
                   title=fair.title, when=format_datetime(fair.starts_at), place=place),
            link=notes.path_for("fairs.detail", fair_id=fair.id),
        ))
    db.session.commit()
    return f"{len(fairs)} 场招聘会在 24 小时内开始，新提醒 {sent} 条"


# --- status_upkeep --------------------------------------------------------------------------

def status_upkeep(ctx: JobContext) -> str:
    from recruit.auth.models import User
    from recruit.employers.models import Posting
    from recruit.fairs.models import Fair, FairRegistration

    now = ctx.now
    # A fair becomes held only when its post-fair report is closed: by the organizer, or here the
    # day after the fair (its local date before today) with the check-in counts as they stand.
    held = fairday_services.close_due_reports(now)
    closed = 0
    for posting in db.session.scalars(
        sa.select(Posting).where(Posting.status == "open", Posting.deadline.is_not(None), Posting.deadline < ctx.today)
        .with_for_update(skip_locked=True)
    ).all():
        posting.status = "closed"
        signals.posting_changed.send(posting, change="closed")
        closed += 1
    # Pending booth requests of fairs that have started: rejected with the reason below
    # (not "withdrawn", which means the employer took the request back).
    regs = db.session.scalars(
        sa.select(FairRegistration).join(Fair).where(FairRegistration.status == "pending", Fair.starts_at <= now)
        .with_for_update(of=FairRegistration, skip_locked=True)
    ).all()
    for reg in regs:
        reg.status = "rejected"
        reg.decision_reason = REGISTRATION_CLOSED_REASON
        reg.decided_at = now
        users = db.session.scalars(sa.select(User).where(User.role == "employer", User.employer_id == reg.employer_id))
        notes.notify(
            users, kind="registration_closed", event_key=f"registration_closed:{reg.id}",
            title=_("展位申请已截止：%(title)s", title=reg.fair.title),
            body=_("招聘会已开始，您尚未审核的展位申请已自动关闭。"),
            link=notes.path_for("fairs.my_registrations"),
        )
        signals.fair_changed.send(reg.fair, change="registration")
    db.session.commit()
    return f"招聘会标记为已举办 {held} 场，岗位关闭 {closed} 个，报名截止 {len(regs)} 条"


# --- matching_refit -------------------------------------------------------------------------

def matching_refit(ctx: JobContext) -> str:
    try:
        from recruit.matchmaking.services import refit_index
    except ImportError as exc:
        raise JobSkipped("skipped: matching not installed（recruit.matchmaking.services.refit_index 不存在）") from exc
    started = time.perf_counter()
    result = refit_index()
    seconds = time.perf_counter() - started
    summary = f"重建用时 {seconds:.2f} 秒"
    if isinstance(result, dict):
        summary += f"；岗位 {result.get('postings', '?')} 个，求职意愿 {result.get('intentions', '?')} 份"
    elif result not in (None, ""):
        summary += f"；{result}"
    return summary


# --- holiday_check --------------------------------------------------------------------------

def holiday_check(ctx: JobContext) -> str:
    from recruit.compliance.models import HolidayYear

    today = ctx.today
    if today.month != 12:
        return "12 月 1 日起才检查下一年"
    year = today.year + 1
    if db.session.get(HolidayYear, year) is not None:
        return f"{year} 年节假日数据已载入"
    created = notes.notify(
        notes.admins(), kind="holiday_missing", event_key=f"holiday_missing:{year}",
        title=_("%(year)d 年法定节假日安排尚未载入", year=year),
        body=_("系统中还没有 %(year)d 年的节假日和调休安排，服务季周次和场地规划可能不准确。"
               "国务院办公厅公布安排后，请升级 chinesecalendar 并运行 flask --app wsgi holidays sync。", year=year),
        link="",
    )
    db.session.commit()
    return f"{year} 年节假日数据缺失，已提醒管理员 {len(created)} 人"
