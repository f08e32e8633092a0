"""Scheduled job of the statistics domain: remind offices of reports due soon (§15)."""

from __future__ import annotations

from recruit.extensions import db
from recruit.jobs.runner import JobContext
from recruit.notifications import services as notes
from recruit.statistics.reports import current_statistics_policy, due_for_reminder


def report_reminders(ctx: JobContext) -> str:
    """Tell each university's office, once per report, that a report is due within the policy's
    reminder window (``remind_days_before``) and not yet submitted."""
    policy = current_statistics_policy()
    sent = 0
    due = due_for_reminder(ctx.today, policy)
    for university, period, deadline in due:
        sent += len(
            notes.notify(
                [u for u in notes.organizers_of(university.id) if u.college_id is None],
                kind="statistics_reminder",
                event_key=f"statistics_reminder:{university.id}:{period.cadence}:{period.start.isoformat()}",
                params={
                    "cadence": period.cadence,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                    "deadline": deadline.isoformat(),
                },
                link=notes.path_for("statistics.report_list"),
            )
        )
    db.session.commit()
    return f"{len(due)} 份报告临近截止，新通知 {sent} 条"
