"""The pure builder: RFC 5545 properties, folding, escaping, determinism (read with vobject)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from recruit.feeds import ical
from tests.feeds.conftest import by_uid, parse, unfolded_lines

UTC = timezone.utc
HOST = "recruit.test"


def make_event(**kw) -> ical.FairEvent:
    values = dict(
        id=7,
        title="贵州大学2026届秋季大数据电子信息类专场招聘会",
        kind="special",
        format="onsite",
        status="scheduled",
        starts_at=datetime(2026, 12, 8, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 8, 9, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 1, 3, 4, 5, 678, tzinfo=UTC),
        revision=3,
        university_name="贵州大学",
        url="https://recruit.test/fairs/7",
        venue_name="大学生活动中心",
        venue_address="贵阳市花溪区",
        employers=("贵州甲科技有限公司", "贵州乙数据有限公司"),
    )
    values.update(kw)
    return ical.FairEvent(**values)


META = ical.FeedMeta(name="贵州省高校招聘会", host=HOST, description="测试")


def test_calendar_properties_read_by_vobject():
    body = ical.build_calendar(META, [make_event()])
    cal = parse(body)
    assert cal.version.value == "2.0"
    assert cal.prodid.value == ical.PRODID
    assert cal.calscale.value == "GREGORIAN"
    assert cal.method.value == "PUBLISH"
    assert cal.contents["x-wr-calname"][0].value == "贵州省高校招聘会"
    assert cal.contents["x-wr-timezone"][0].value == "Asia/Shanghai"
    refresh = cal.contents["refresh-interval"][0]
    assert refresh.value == "PT1H" and refresh.params["VALUE"] == ["DURATION"]
    assert cal.contents["x-published-ttl"][0].value == "PT1H"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body


def test_vtimezone_is_recent_standard_only():
    body = ical.build_calendar(META, [make_event()])
    cal = parse(body)
    tz = cal.vtimezone
    assert tz.tzid.value == "Asia/Shanghai"
    assert not hasattr(tz, "daylight") and len(tz.contents.get("daylight", [])) == 0
    std = tz.standard
    assert std.dtstart.value.year >= 1992
    assert b"TZOFFSETFROM:+0800" in body and b"TZOFFSETTO:+0800" in body
    assert b"DAYLIGHT" not in body and b"RRULE" not in body


def test_event_properties_and_timezone():
    body = ical.build_calendar(META, [make_event()])
    ev = by_uid(parse(body))["fair-7@recruit.test"]
    # 14:00 in Shanghai is 06:00 UTC
    assert "DTSTART;TZID=Asia/Shanghai:20261208T140000" in unfolded_lines(body)
    assert "DTEND;TZID=Asia/Shanghai:20261208T170000" in unfolded_lines(body)
    assert ev.dtstart.value.utcoffset() == timedelta(hours=8)
    assert ev.dtstart.value.hour == 14
    assert ev.dtstart.value.astimezone(UTC) == datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
    assert ev.dtend.value.astimezone(UTC) == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    changed = datetime(2026, 11, 1, 3, 4, 5, tzinfo=UTC)
    assert ev.dtstamp.value == changed
    assert ev.last_modified.value == changed
    assert ev.sequence.value == "3"
    assert ev.summary.value == "贵州大学2026届秋季大数据电子信息类专场招聘会（中小型专场招聘会）"
    assert ev.status.value == "CONFIRMED"
    assert ev.location.value == "贵州大学 大学生活动中心, 贵阳市花溪区"
    assert ev.url.value == "https://recruit.test/fairs/7"
    desc = ev.description.value
    assert "形式：线下" in desc
    assert "贵州甲科技有限公司、贵州乙数据有限公司" in desc
    assert "https://recruit.test/fairs/7" in desc
    assert ev.categories.value == ["招聘会", "中小型专场招聘会", "线下"]


def test_online_fair_location_is_the_url():
    ev = make_event(
        format="online", venue_name="", venue_address="", online_url="https://meeting.example.com/a?b=1;c=2"
    )
    e = by_uid(parse(ical.build_calendar(META, [ev])))["fair-7@recruit.test"]
    assert e.location.value == "https://meeting.example.com/a?b=1;c=2"
    assert "形式：线上" in e.description.value


def test_cancelled_status_and_summary():
    ev = make_event(status="cancelled", cancel_reason="场地维修")
    e = by_uid(parse(ical.build_calendar(META, [ev])))["fair-7@recruit.test"]
    assert e.status.value == "CANCELLED"
    assert e.summary.value.startswith(ical.CANCELLED_PREFIX)
    assert "场地维修" in e.description.value


def test_drafts_never_appear():
    body = ical.build_calendar(META, [make_event(status="draft")])
    assert b"BEGIN:VEVENT" not in body


@pytest.mark.parametrize(
    "title",
    [
        "逗号,分号;换行\n反斜杠\\结束",
        "a,b;c",
        "第一行\r\n第二行",
    ],
)
def test_escaping_round_trips(title):
    body = ical.build_calendar(META, [make_event(title=title)])
    e = by_uid(parse(body))["fair-7@recruit.test"]
    expected = title.replace("\r\n", "\n")
    assert e.summary.value == expected + "（中小型专场招聘会）"
    line = next(ln for ln in unfolded_lines(body) if ln.startswith("SUMMARY"))
    if "," in title:
        assert "\\," in line
    if ";" in title:
        assert "\\;" in line
    if "\n" in title:
        assert "\\n" in line and "\n" not in line


def test_folding_at_75_octets_never_splits_a_character():
    long_title = "贵州省" * 60 + "𝄞emoji混合ABC" * 10
    employers = tuple(f"贵州第{i}号大数据电子信息有限公司" for i in range(40))
    body = ical.build_calendar(META, [make_event(title=long_title, employers=employers, description="长" * 500)])
    raw_lines = body.split(b"\r\n")
    assert len(raw_lines) > 20
    folded = 0
    for raw in raw_lines:
        assert len(raw) <= 75, raw
        raw.decode("utf-8")  # every physical line is valid UTF-8 on its own: no split character
        if raw.startswith(b" "):
            folded += 1
    assert folded > 10
    assert b"\n" not in body.replace(b"\r\n", b"")
    e = by_uid(parse(body))["fair-7@recruit.test"]
    assert e.summary.value.startswith(long_title)


def test_same_data_same_bytes_and_order_independent():
    a = make_event(id=1, starts_at=datetime(2026, 12, 9, 6, tzinfo=UTC), ends_at=datetime(2026, 12, 9, 8, tzinfo=UTC))
    b = make_event(id=2)
    one = ical.build_calendar(META, [a, b])
    two = ical.build_calendar(META, [b, a])
    assert one == two
    assert one.index(b"fair-2@") < one.index(b"fair-1@")  # ordered by start


def test_dtstamp_never_now():
    ev = make_event(updated_at=datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC))
    body = ical.build_calendar(META, [ev])
    assert b"DTSTAMP:20200506T070809Z" in body
    assert b"LAST-MODIFIED:20200506T070809Z" in body


def test_hybrid_has_place_and_link():
    ev = make_event(format="hybrid", online_url="https://meeting.example.com/x")
    e = by_uid(parse(ical.build_calendar(META, [ev])))["fair-7@recruit.test"]
    assert "大学生活动中心" in e.location.value
    assert "https://meeting.example.com/x" in e.description.value
    assert ev.starts_at + timedelta(hours=3) == ev.ends_at


def test_assembled_bytes_equal_one_icalendar_calendar():
    evs = [
        make_event(
            id=i,
            title=f"第{i}场, 测试; 换行\n结束",
            starts_at=datetime(2026, 12, 8, 6, tzinfo=UTC) + timedelta(days=i),
            ends_at=datetime(2026, 12, 8, 9, tzinfo=UTC) + timedelta(days=i),
            status="cancelled" if i == 2 else "scheduled",
        )
        for i in range(1, 5)
    ]
    ical.event_bytes.cache_clear()
    assembled = ical.build_calendar(META, evs)
    assert assembled == ical.calendar(META, evs).to_ical()
    assert ical.build_calendar(META, evs) == assembled  # memoised path
    changed = [evs[0].__class__(**{**evs[0].__dict__, "revision": 9})] + evs[1:]
    assert b"SEQUENCE:9" in ical.build_calendar(META, changed)
