"""Pure iCalendar (RFC 5545) builder for fair feeds: plain data in, bytes out.

No Flask, no database: :mod:`recruit.feeds.services` turns fairs into :class:`FairEvent`
values and calls :func:`build_calendar`. The output depends only on its input (no "now",
no generated UUIDs), so the same data always gives the same bytes, and therefore the
same ETag.

Choices made for calendar clients:

- ``UID`` is ``fair-<id>@<host>`` and never changes for a fair; ``SEQUENCE`` is the fair's
  revision; ``DTSTAMP`` = ``LAST-MODIFIED`` = the fair's last change.
- Times are written with ``TZID=Asia/Shanghai`` and a hand-built ``VTIMEZONE`` holding only
  a ``STANDARD`` rule of +08:00 from 1992 on: the zone's 1986–1991 daylight-saving history
  (which a generated VTIMEZONE would contain) confuses Outlook.
- ``REFRESH-INTERVAL;VALUE=DURATION`` (RFC 7986) and ``X-PUBLISHED-TTL`` (Outlook) ask
  clients to refresh every hour.
- Lines are folded at 75 octets between characters, never inside a UTF-8 sequence
  (icalendar's ``foldline`` counts bytes per character); the tests check it on the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vDuration

from recruit.fairs.models import FAIR_FORMAT_NAMES, FAIR_KIND_NAMES

TZID = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZID)
PRODID = "-//recruit//高校招聘服务平台//ZH"
REFRESH = timedelta(hours=1)

#: Chinese labels (the feed's language is Chinese; calendars show them as they are).
KIND_LABELS = FAIR_KIND_NAMES
FORMAT_LABELS = FAIR_FORMAT_NAMES
CANCELLED_PREFIX = "【已取消】"


@dataclass(frozen=True)
class FairEvent:
    """Everything a VEVENT shows about one fair. Only public facts: never graduates."""

    id: int
    title: str
    kind: str
    format: str
    status: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    revision: int
    university_name: str
    url: str
    venue_name: str = ""
    venue_address: str = ""
    online_url: str = ""
    industry_focus: str = ""
    description: str = ""
    cancel_reason: str = ""
    #: Names of employers with approved booths, in display order.
    employers: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FeedMeta:
    """The calendar-level facts of one feed."""

    #: ``X-WR-CALNAME``: the Chinese name clients show for the subscription.
    name: str
    #: Host part of every UID (the public site's host name).
    host: str
    #: ``X-WR-CALDESC``.
    description: str = ""


def uid(fair_id: int, host: str) -> str:
    """The stable UID of a fair: ``fair-<id>@<host>``."""
    return f"fair-{fair_id}@{host}"


def vtimezone() -> Timezone:
    """Asia/Shanghai as one STANDARD rule (+08:00, no DST) from 1992 on."""
    tz = Timezone()
    tz.add("TZID", TZID)
    tz.add("X-LIC-LOCATION", TZID)
    std = TimezoneStandard()
    std.add("DTSTART", datetime(1992, 1, 1, 0, 0, 0))
    std.add("TZOFFSETFROM", timedelta(hours=8))
    std.add("TZOFFSETTO", timedelta(hours=8))
    std.add("TZNAME", "CST")
    tz.add_component(std)
    return tz


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0)


def _local(dt: datetime) -> datetime:
    return _utc(dt).astimezone(SHANGHAI)


def summary(ev: FairEvent) -> str:
    text = f"{ev.title}（{KIND_LABELS.get(ev.kind, ev.kind)}）"
    return CANCELLED_PREFIX + text if ev.status == "cancelled" else text


def location(ev: FairEvent) -> str:
    """Venue and address for fairs with a place; the online URL for online fairs."""
    if ev.format == "online" or not ev.venue_name:
        return ev.online_url
    place = f"{ev.university_name} {ev.venue_name}".strip()
    return f"{place}, {ev.venue_address}" if ev.venue_address else place


def description(ev: FairEvent) -> str:
    lines = []
    if ev.status == "cancelled":
        lines.append("本场招聘会已取消。" + (f"原因：{ev.cancel_reason}" if ev.cancel_reason else ""))
    lines.append(f"主办：{ev.university_name}")
    lines.append(f"类型：{KIND_LABELS.get(ev.kind, ev.kind)}")
    lines.append(f"形式：{FORMAT_LABELS.get(ev.format, ev.format)}")
    if ev.format != "online" and ev.venue_name:
        lines.append(f"地点：{location(ev)}")
    if ev.format != "onsite" and ev.online_url:
        lines.append(f"线上参会：{ev.online_url}")
    if ev.industry_focus:
        lines.append(f"行业：{ev.industry_focus}")
    if ev.employers:
        lines.append(f"参会单位（{len(ev.employers)}家）：" + "、".join(ev.employers))
    else:
        lines.append("参会单位：暂无已确认的单位")
    if ev.description:
        lines.append("")
        lines.append(ev.description.replace("\r\n", "\n").replace("\r", "\n").strip())
    lines.append("")
    lines.append(f"详情：{ev.url}")
    return "\n".join(lines)


def build_event(ev: FairEvent, host: str) -> Event:
    """One VEVENT. Every value comes from ``ev``: nothing depends on the clock."""
    changed = _utc(ev.updated_at)
    event = Event()
    event.add("UID", uid(ev.id, host))
    event.add("DTSTAMP", changed)
    event.add("LAST-MODIFIED", changed)
    event.add("SEQUENCE", max(int(ev.revision or 0), 0))
    event.add("DTSTART", _local(ev.starts_at))
    event.add("DTEND", _local(ev.ends_at))
    event.add("SUMMARY", summary(ev))
    event.add("DESCRIPTION", description(ev))
    loc = location(ev)
    if loc:
        event.add("LOCATION", loc)
    event.add("URL", ev.url)
    event.add("STATUS", "CANCELLED" if ev.status == "cancelled" else "CONFIRMED")
    event.add("CATEGORIES", ["招聘会", KIND_LABELS.get(ev.kind, ev.kind), FORMAT_LABELS.get(ev.format, ev.format)])
    event.add("TRANSP", "OPAQUE")
    event.add("CLASS", "PUBLIC")
    return event


def build_calendar(meta: FeedMeta, events: list[FairEvent] | tuple[FairEvent, ...]) -> bytes:
    """The whole feed as bytes (UTF-8, CRLF line ends, folded at 75 octets).

    Drafts are dropped defensively; events are ordered by start, then id. Each VEVENT's
    bytes are memoised on its (immutable) data, so rebuilding a feed after one fair
    changed re-serialises only that fair. The result is byte-identical to serialising
    one :class:`icalendar.Calendar` holding every event (the tests check it).
    """
    head = calendar_head(meta)
    parts = [head[: -len(_END)]]
    for ev in sorted(events, key=lambda e: (_utc(e.starts_at), e.id)):
        if ev.status == "draft":
            continue
        parts.append(event_bytes(ev, meta.host))
    parts.append(_END)
    return b"".join(parts)


_END = b"END:VCALENDAR\r\n"


def calendar(meta: FeedMeta, events=()) -> Calendar:
    """The VCALENDAR object (properties, VTIMEZONE, then the events)."""
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", meta.name)
    if meta.description:
        cal.add("X-WR-CALDESC", meta.description)
    cal.add("X-WR-TIMEZONE", TZID)
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    cal.add_component(vtimezone())
    for ev in sorted(events, key=lambda e: (_utc(e.starts_at), e.id)):
        if ev.status != "draft":
            cal.add_component(build_event(ev, meta.host))
    return cal


@lru_cache(maxsize=64)
def calendar_head(meta: FeedMeta) -> bytes:
    head = calendar(meta).to_ical()
    assert head.endswith(_END)
    return head


@lru_cache(maxsize=50_000)
def event_bytes(ev: FairEvent, host: str) -> bytes:
    """One serialised VEVENT (memoised: same data, same bytes)."""
    return build_event(ev, host).to_ical()
