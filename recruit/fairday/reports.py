"""The post-fair report: live counts until it is closed, then the frozen figures; the organizers'
notes; closing (by hand, or by the scheduler the day after the fair); the applications feature's
figures. Every public function that changes data is one transaction (except
:func:`record_fair_outcomes`, which joins the caller's)."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.fairday.services import checkin_counts_many, lock_fair
from recruit.fairs.models import Fair, FairRegistration, FairReport, registration_postings
from recruit.signals import fair_changed
from recruit.timeutil import combine_local, local_date, today_local, utcnow
from recruit.validation import LIMITS


def live_counts(fair: Fair) -> dict:
    return live_counts_many([fair.id])[fair.id]


def live_counts_many(fair_ids: list[int]) -> dict[int, dict]:
    """The report's live counts of several fairs (grouped queries, not a round per fair)."""
    ids = list(fair_ids)
    counts = checkin_counts_many(ids)
    approved = (
        sa.select(FairRegistration.fair_id, registration_postings.c.posting_id)
        .join(FairRegistration, FairRegistration.id == registration_postings.c.registration_id)
        .where(FairRegistration.fair_id.in_(ids), FairRegistration.status == "approved")
        .distinct()
        .subquery()
    )
    postings = {
        f: (n, int(total))
        for f, n, total in db.session.execute(
            sa.select(
                approved.c.fair_id, sa.func.count(Posting.id), sa.func.coalesce(sa.func.sum(Posting.headcount), 0)
            )
            .join(Posting, Posting.id == approved.c.posting_id)
            .group_by(approved.c.fair_id)
        )
    }
    return {
        f: {
            "employers_registered": counts[f]["employers"],
            "employers_checked_in": counts[f]["employers_in"],
            "graduates_signed_up": counts[f]["graduates"],
            "graduates_checked_in": counts[f]["graduates_in"],
            "postings": postings.get(f, (0, 0))[0],
            "headcount": postings.get(f, (0, 0))[1],
        }
        for f in ids
    }


COUNT_FIELDS = (
    "employers_registered",
    "employers_checked_in",
    "graduates_signed_up",
    "graduates_checked_in",
    "postings",
    "headcount",
)


def report_of(fair: Fair) -> FairReport | None:
    return db.session.get(FairReport, fair.id)


def report_figures(fair: Fair) -> dict:
    """The report's counts: frozen ones once closed, live ones before."""
    return report_figures_many([fair])[fair.id][0]


def report_figures_many(fairs: list[Fair]) -> dict[int, tuple[dict, FairReport | None]]:
    """(:func:`report_figures`, the report) of each fair, by id: one query for the reports and
    the grouped live counts of the fairs whose report is still open (a list of 200 fairs asked
    about 1,400 queries before)."""
    out = {}
    for lo in range(0, len(fairs), _FAIRS_PER_QUERY):
        out.update(_report_figures_many([f.id for f in fairs[lo : lo + _FAIRS_PER_QUERY]]))
    return out


#: Fairs per round of :func:`report_figures_many` (bound parameters per statement stay well under
#: SQLite's limit however many fairs the province export lists).
_FAIRS_PER_QUERY = 500


def _report_figures_many(ids: list[int]) -> dict[int, tuple[dict, FairReport | None]]:
    reports = {r.fair_id: r for r in db.session.scalars(sa.select(FairReport).where(FairReport.fair_id.in_(ids)))}
    live = live_counts_many([f for f in ids if f not in reports or reports[f].closed_at is None])
    out = {}
    for f in ids:
        report = reports.get(f)
        if report is not None and report.closed_at is not None:
            figures = {name: getattr(report, name) for name in COUNT_FIELDS}
        else:
            figures = live[f]
        figures["applications_at_fair"] = report.applications_at_fair if report else None
        figures["invitations_at_fair"] = report.invitations_at_fair if report else None
        out[f] = (figures, report)
    return out


def save_notes(fair: Fair, text: str) -> FairReport:
    text = (text or "").strip()
    if "\x00" in text:
        raise ServiceError("备注含有无效字符。", "notes")
    if len(text) > LIMITS["description"]:
        raise ServiceError("备注过长。", "notes")
    report = report_of(fair)
    if report is not None and report.closed_at is not None:
        raise ServiceError("报告已关闭，不能再修改。", status=409)
    if fair.status not in ("scheduled", "held") or fair.local_date > today_local():
        raise ServiceError("招聘会举办当天起才能填写报告。", status=409)
    if report is None:
        report = FairReport(fair_id=fair.id, notes="")
        db.session.add(report)
    report.notes = text
    db.session.commit()
    return report


def close_report(fair: Fair, user=None, now: datetime | None = None) -> FairReport:
    """Freeze the counts as they stand and mark the fair held (compare-and-set on the status)."""
    now = now or utcnow()
    if fair.status not in ("scheduled", "held"):
        raise ServiceError("只有已发布的招聘会可以关闭报告。", status=409)
    if fair.local_date > local_date(now):
        raise ServiceError("招聘会尚未举办，不能关闭报告。", status=409)
    lock_fair(fair)
    report = report_of(fair)
    if report is not None and report.closed_at is not None:
        db.session.rollback()
        raise ServiceError("报告已关闭。", status=409)
    if report is None:
        report = FairReport(fair_id=fair.id, notes="")
        db.session.add(report)
    for key, value in live_counts(fair).items():
        setattr(report, key, value)
    report.closed_at = now
    report.closed_by_id = getattr(user, "id", None)
    if fair.status == "scheduled":
        updated = db.session.execute(
            sa.update(Fair)
            .where(Fair.id == fair.id, Fair.status == "scheduled")
            .values(status="held", revision=Fair.revision + 1)
        )
        if updated.rowcount:
            db.session.refresh(fair)
            fair_changed.send(fair, change="held")
    db.session.commit()
    return report


def close_due_reports(now: datetime | None = None) -> int:
    """The scheduler: fairs whose local date is before today get their report closed with the
    counts as they stand (the day after the fair). Returns how many."""
    now = now or utcnow()
    today = local_date(now)
    due = db.session.scalars(
        sa.select(Fair)
        .where(Fair.status == "scheduled", Fair.starts_at < combine_local(today, time(0)))
        .order_by(Fair.id)
    ).all()
    closed = 0
    for fair in due:
        try:
            close_report(fair, None, now)
            closed += 1
        except ServiceError:
            db.session.rollback()
    return closed


def record_fair_outcomes(fair: Fair, applications: int, invitations: int) -> FairReport:
    """The hook for the applications feature: applications and interview invitations made at the
    fair (those storing this fair's id). Allowed after the report is closed: the figures come from
    another record, not from the door. Does not commit (the caller's transaction)."""
    if applications < 0 or invitations < 0:
        raise ServiceError("投递数和邀请数不能为负数。")
    report = report_of(fair)
    if report is None:
        report = FairReport(fair_id=fair.id, notes="")
        db.session.add(report)
    report.applications_at_fair = applications
    report.invitations_at_fair = invitations
    return report
