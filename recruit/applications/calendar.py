"""The calendar invitation (.ics) of an interview, built with the feeds' iCalendar pieces.

Same conventions as :mod:`recruit.feeds.ical`: the hand-built Asia/Shanghai VTIMEZONE, a
stable ``UID`` (``interview-<application id>@<host>``), ``SEQUENCE`` = the interview's
revision (a rescheduled interview updates the same calendar entry), no clock in the output.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event

from recruit.feeds import ical
from recruit.notifications.services import path_for


def _host() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "") or "http://localhost"
    return urlsplit(base).hostname or "localhost"


def interview_ics(application) -> bytes:
    """One VEVENT for the application's interview (METHOD:PUBLISH: clients add it as is)."""
    posting = application.posting
    employer = posting.employer
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", ical.PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add_component(ical.vtimezone())
    start = application.interview_at.astimezone(ical.SHANGHAI)
    event = Event()
    event.add("UID", f"interview-{application.id}@{_host()}")
    event.add("DTSTAMP", application.updated_at.replace(microsecond=0))
    event.add("SEQUENCE", max(int(application.interview_revision or 0), 0))
    event.add("DTSTART", start.replace(microsecond=0))
    event.add("DTEND", (start + timedelta(minutes=application.interview_minutes or 60)).replace(microsecond=0))
    event.add("SUMMARY", f"面试：{posting.title}（{employer.name}）")
    lines = [f"单位：{employer.name}", f"岗位：{posting.title}"]
    if application.interview_place:
        lines.append(f"地点：{application.interview_place}")
    if application.interview_url:
        lines.append(f"线上面试：{application.interview_url}")
    if application.message:
        lines.append("")
        lines.append(application.message)
    event.add("DESCRIPTION", "\n".join(lines))
    location = application.interview_place or application.interview_url
    if location:
        event.add("LOCATION", location)
    link = path_for("applications.my_detail", application_id=application.id)
    if base and link:
        event.add("URL", f"{base}{link}")
    event.add("STATUS", "CONFIRMED")
    event.add("CLASS", "PRIVATE")
    cal.add_component(event)
    return cal.to_ical()
