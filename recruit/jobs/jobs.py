"""The bodies of the scheduled jobs: ``fn(ctx: JobContext) -> str`` (a one-line summary).

Each body is idempotent: it may run twice (a deploy overlap, a manual run right after a
scheduled one) without any effect the second time. Notifications carry an event key that
is unique per user in the database; status changes only touch rows still in the old status.
Bodies commit their own work.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import signals
from recruit.auth.models import User
from recruit.compliance.models import HolidayYear
from recruit.compliance.policy import current_policy
from recruit.compliance.services import evaluate_university
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.fairday import reports as fairday_reports
from recruit.fairs.models import FAIR_KIND_NAMES, Fair, FairRegistration
from recruit.jobs.runner import JobContext
from recruit.matchmaking.services import refit_index
from recruit.notifications import services as notes
from recruit.notifications import messages as note_messages
from recruit.timeutil import UTC, format_date
from recruit.universities.models import University

FREQUENCY_HORIZON_DAYS = 14
REMINDER_LEAD = timedelta(hours=24)
REGISTRATION_CLOSED_REASON = "招聘会已开始，报名已截止"


# --- frequency_watch ------------------------------------------------------------------------


def at_risk_periods(university, today, horizon_days: int = FREQUENCY_HORIZON_DAYS) -> tuple[str, list]:
    """(season key, at-risk periods of the current season within the horizon) for ``university``."""
    season = current_policy().season_for(today)
    result = evaluate_university(university, season, today)
    return season.key, result.at_risk_within(horizon_days)


def _period_text(period) -> str:
    kind = "large" if getattr(period, "rule", None) and period.rule.kind == "large" else "special"
    kind_label = _(FAIR_KIND_NAMES[kind])
    if period.period == "month":
        return _(
            "%(year)d年%(month)d月：缺少%(kind)s %(n)d 场",
            year=period.start.year,
            month=period.start.month,
            kind=kind_label,
            n=period.missing,
        )
    return _(
        "%(start)s 至 %(end)s 这一周：缺少%(kind)s %(n)d 场",
        start=format_date(period.count_from),
        end=format_date(period.count_to),
        kind=kind_label,
        n=period.missing,
    )


def _signature(parts: list[str]) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def frequency_watch(ctx: JobContext) -> str:
    today = ctx.today
    iso_year, iso_week, _wd = today.isocalendar()
    digest_lines: list[str] = []
    digest_keys: list[str] = []
    digest_params: list[dict] = []
    sent = 0
    for university in db.session.scalars(sa.select(University).order_by(University.code)):
        season_key, periods = at_risk_periods(university, today)
        if not periods:
            continue
        lines = [_period_text(p) for p in periods]
        period_params = [note_messages.period_params(p) for p in periods]
        keys = [f"{p.period}:{p.rule.kind}:{p.start.isoformat()}" for p in periods]
        link = notes.path_for("compliance.season_view", season=season_key)
        sent += len(
            notes.notify(
                notes.organizers_of(university.id),
                kind="frequency_watch",
                # One alert per ISO week and set of at-risk periods: a rerun adds nothing,
                # a new gap (or the next Monday) alerts again.
                event_key=f"frequency_watch:{university.id}:{iso_year}W{iso_week:02d}:{_signature(keys)}",
                params={"days": FREQUENCY_HORIZON_DAYS, "periods": period_params},  # each reader's language
                link=link,
            )
        )
        digest_lines.append(f"{university.name}：" + "；".join(lines))
        digest_params.append({"name": university.name, "periods": period_params})
        digest_keys.append(f"{university.id}=" + ",".join(keys))
    if digest_lines:
        sent += len(
            notes.notify(
                notes.admins(),
                kind="frequency_digest",
                event_key=f"frequency_digest:{iso_year}W{iso_week:02d}:{_signature(digest_keys)}",
                params={"universities": digest_params},
                link=notes.path_for("compliance.province"),
            )
        )
    db.session.commit()
    return f"{len(digest_lines)} 所高校有风险，新通知 {sent} 条"


# --- fair_reminders -------------------------------------------------------------------------


def reminder_key(fair) -> str:
    """Unique per fair and start time: a reschedule gives a new key, so a new reminder."""
    return f"fair_reminder:{fair.id}:{fair.starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def fair_reminders(ctx: JobContext) -> str:
    now = ctx.now
    fairs = db.session.scalars(
        sa.select(Fair)
        .where(Fair.status == "scheduled", Fair.starts_at > now, Fair.starts_at <= now + REMINDER_LEAD)
        .order_by(Fair.starts_at)
    ).all()
    sent = 0
    for fair in fairs:
        sent += len(
            notes.notify(
                notes.fair_audience(fair),
                kind="fair_reminder",
                event_key=reminder_key(fair),
                params=note_messages.fair_params(fair),  # shown and e-mailed in each reader's language
                link=notes.path_for("fairs.detail", fair_id=fair.id),
            )
        )
    db.session.commit()
    return f"{len(fairs)} 场招聘会在 24 小时内开始，新提醒 {sent} 条"


# --- status_upkeep --------------------------------------------------------------------------


def status_upkeep(ctx: JobContext) -> str:
    now = ctx.now
    # A fair becomes held only when its post-fair report is closed: by the organizer, or here the
    # day after the fair (its local date before today) with the check-in counts as they stand.
    held = fairday_reports.close_due_reports(now)
    closed = 0
    for posting in db.session.scalars(
        sa.select(Posting)
        .where(Posting.status == "open", Posting.deadline.is_not(None), Posting.deadline < ctx.today)
        .with_for_update(skip_locked=True)
    ).all():
        posting.status = "closed"
        signals.posting_changed.send(posting, change="closed")
        closed += 1
    # Pending booth requests of fairs that have started: rejected with the reason below
    # (not "withdrawn", which means the employer took the request back).
    regs = db.session.scalars(
        sa.select(FairRegistration)
        .join(Fair)
        .where(FairRegistration.status == "pending", Fair.starts_at <= now)
        .with_for_update(of=FairRegistration, skip_locked=True)
    ).all()
    for reg in regs:
        reg.status = "rejected"
        reg.decision_reason = REGISTRATION_CLOSED_REASON
        reg.decided_at = now
        users = db.session.scalars(sa.select(User).where(User.role == "employer", User.employer_id == reg.employer_id))
        notes.notify(
            users,
            kind="registration_closed",
            event_key=f"registration_closed:{reg.id}",
            params={"title": reg.fair.title},
            link=notes.path_for("fairs.my_registrations"),
        )
        signals.fair_changed.send(reg.fair, change="registration")
    db.session.commit()
    return f"招聘会标记为已举办 {held} 场，岗位关闭 {closed} 个，报名截止 {len(regs)} 条"


# --- matching_refit -------------------------------------------------------------------------


def matching_refit(ctx: JobContext) -> str:
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
    today = ctx.today
    if today.month != 12:
        return "12 月 1 日起才检查下一年"
    year = today.year + 1
    if db.session.get(HolidayYear, year) is not None:
        return f"{year} 年节假日数据已载入"
    created = notes.notify(
        notes.admins(),
        kind="holiday_missing",
        event_key=f"holiday_missing:{year}",
        params={"year": year},
        link="",
    )
    db.session.commit()
    return f"{year} 年节假日数据缺失，已提醒管理员 {len(created)} 人"
