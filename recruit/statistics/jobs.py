"""Scheduled job of the statistics domain: remind offices of reports due soon (§15)."""
from __future__ import annotations

from flask_babel import gettext as _

from recruit.extensions import db
from recruit.jobs.runner import JobContext
from recruit.notifications import services as notes
from recruit.statistics.reports import current_statistics_policy, due_for_reminder
from recruit.timeutil import format_date


def report_reminders(ctx: JobContext) -> str:
    """Tell each university's office, once per report, that a report is due within the policy's
    reminder window (``remind_days_before``) and not yet submitted."""
    policy = current_statistics_policy()
    sent = 0
    due = due_for_reminder(ctx.today, policy)
    for university, period, deadline in due:
        label = {"monthly": _("月报"), "weekly": _("周报")}.get(period.cadence, period.cadence)
        sent += len(notes.notify(
            [u for u in notes.organizers_of(university.id) if u.college_id is None],
            kind="statistics_reminder",
            event_key=f"statistics_reminder:{university.id}:{period.cadence}:{period.start.isoformat()}",
            title=_("就业统计%(label)s将于 %(deadline)s 截止", label=label, deadline=format_date(deadline, "zh")),
            body=_("%(start)s 至 %(end)s 的%(label)s尚未报送，请在截止日期前完成。", start=format_date(period.start, "zh"),
                   end=format_date(period.end, "zh"), label=label),
            link=notes.path_for("statistics.report_list") or "/statistics/reports",
        ))
    db.session.commit()
    return f"{len(due)} 份报告临近截止，新通知 {sent} 条"
