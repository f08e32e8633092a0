"""Public feeds over HTTP: content, window, cancellation, SEQUENCE, caching, 304, HEAD, no gzip."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from recruit.extensions import db
from recruit.fairs.models import FairRegistration
from recruit.feeds import services
from recruit.signals import fair_changed
from recruit.timeutil import combine_local
from tests.feeds.conftest import NOW, by_uid, parse, unfolded

UTC = timezone.utc


def change(fair, kind="updated", bump=True, **attrs):
    """What the fairs services do: change, bump the revision, send fair_changed, commit."""
    for name, value in attrs.items():
        setattr(fair, name, value)
    if bump:
        fair.bump_revision()
    fair_changed.send(fair, change=kind)
    db.session.commit()


@pytest.fixture
def world(clock, make_university, make_venue, make_fair, make_employer):
    uni = make_university(code="GZU", name="贵州大学")
    venue = make_venue(university=uni, name="大学生活动中心", address="贵阳市花溪区贵州大学北校区")
    special = make_fair(
        university=uni, venue=venue, title="大数据专场, 第一场; 欢迎", day=date(2026, 12, 8), start=time(14)
    )
    large = make_fair(
        university=uni, venue=venue, kind="large", title="秋季大型综合招聘会", day=date(2026, 12, 12), start=time(9)
    )
    online = make_fair(
        university=uni,
        format="online",
        venue=None,
        title="线上双选会",
        online_url="https://meeting.example.com/gzu",
        day=date(2026, 12, 10),
    )
    draft = make_fair(university=uni, venue=venue, title="草稿招聘会", status="draft", day=date(2026, 12, 15))
    old = make_fair(university=uni, venue=venue, title="很久以前的招聘会", status="held", day=date(2026, 9, 1))
    recent = make_fair(university=uni, venue=venue, title="上周的招聘会", status="held", day=date(2026, 11, 3))
    other_uni = make_university(code="GZNU", name="贵州师范大学")
    other = make_fair(university=other_uni, title="师大专场", day=date(2026, 12, 9))
    employer = make_employer(name="贵州云数据有限公司")
    db.session.add(FairRegistration(fair=special, employer=employer, status="approved", booth_number=1))
    db.session.add(FairRegistration(fair=special, employer=make_employer(name="待审核公司"), status="pending"))
    db.session.commit()
    return dict(
        uni=uni,
        special=special,
        large=large,
        online=online,
        draft=draft,
        old=old,
        recent=recent,
        other=other,
        employer=employer,
    )


def uid(fair) -> str:
    return f"fair-{fair.id}@recruit.test"


def get_cal(client, url, **kw):
    response = client.get(url, **kw)
    assert response.status_code == 200, response.data[:300]
    return response, parse(response.data)


def test_province_feed_contents(client, world):
    response, cal = get_cal(client, "/feeds/fairs.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = by_uid(cal)
    w = world
    assert set(events) == {uid(w[k]) for k in ("special", "large", "online", "recent", "other")}
    assert cal.contents["x-wr-calname"][0].value == "贵州省高校招聘会"
    assert cal.method.value == "PUBLISH" and cal.calscale.value == "GREGORIAN" and cal.version.value == "2.0"
    assert cal.prodid.value.startswith("-//recruit//")
    assert cal.contents["x-wr-timezone"][0].value == "Asia/Shanghai"
    assert cal.contents["refresh-interval"][0].value == "PT1H"
    assert cal.contents["x-published-ttl"][0].value == "PT1H"
    assert cal.vtimezone.tzid.value == "Asia/Shanghai"
    ev = events[uid(w["special"])]
    assert ev.summary.value == "大数据专场, 第一场; 欢迎（中小型专场招聘会）"
    assert ev.dtstart.value.astimezone(UTC) == datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
    assert ev.location.value == "贵州大学 大学生活动中心, 贵阳市花溪区贵州大学北校区"
    assert "贵州云数据有限公司" in ev.description.value
    assert "待审核公司" not in unfolded(response.data)
    assert ev.url.value == f"http://recruit.test/fairs/{w['special'].id}"
    assert ev.url.value in ev.description.value
    assert ev.status.value == "CONFIRMED"
    assert ev.sequence.value == "1"
    assert ev.dtstamp.value == w["special"].updated_at.replace(microsecond=0)
    assert ev.last_modified.value == ev.dtstamp.value
    assert "大型综合招聘会" in events[uid(w["large"])].summary.value
    assert events[uid(w["online"])].location.value == "https://meeting.example.com/gzu"
    assert "草稿招聘会" not in unfolded(response.data)


def test_university_and_kind_feeds(client, world):
    _, cal = get_cal(client, "/feeds/u/GZU.ics")
    assert set(by_uid(cal)) == {uid(world[k]) for k in ("special", "large", "online", "recent")}
    assert cal.contents["x-wr-calname"][0].value == "贵州大学招聘会"
    _, cal = get_cal(client, "/feeds/u/GZU/large.ics")
    assert set(by_uid(cal)) == {uid(world["large"])}
    assert cal.contents["x-wr-calname"][0].value == "贵州大学大型综合招聘会"
    _, cal = get_cal(client, "/feeds/u/GZU/special.ics")
    assert uid(world["large"]) not in by_uid(cal)


@pytest.mark.parametrize(
    "url", ["/feeds/u/NOPE.ics", "/feeds/u/GZU/medium.ics", "/feeds/u/NOPE/special.ics", "/feeds/fair/999999.ics"]
)
def test_unknown_feeds_are_404(client, world, url):
    assert client.get(url).status_code == 404


def test_single_fair_download(client, world):
    fair = world["special"]
    response, cal = get_cal(client, f"/feeds/fair/{fair.id}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="fair-{fair.id}.ics"'
    assert set(by_uid(cal)) == {uid(fair)}
    assert client.get(f"/feeds/fair/{world['draft'].id}.ics").status_code == 404


def test_cancellation_stays_30_days_then_goes(client, world, clock):
    fair = world["large"]
    change(fair, "cancelled", status="cancelled", cancelled_at=NOW, cancel_reason="场地维修")
    _, cal = get_cal(client, "/feeds/u/GZU.ics")
    ev = by_uid(cal)[uid(fair)]
    assert ev.status.value == "CANCELLED"
    assert ev.sequence.value == "2"
    assert "场地维修" in ev.description.value
    clock.move_to(NOW + timedelta(days=29))
    _, cal = get_cal(client, "/feeds/u/GZU.ics")
    assert by_uid(cal)[uid(fair)].status.value == "CANCELLED"
    clock.move_to(NOW + timedelta(days=32))
    _, cal = get_cal(client, "/feeds/u/GZU.ics")
    assert uid(fair) not in by_uid(cal)


def test_window_moves_with_the_days(client, world, clock):
    clock.move_to(NOW + timedelta(days=25))  # 2026-12-15: "recent" (3 Nov) is now over 30 days ago
    _, cal = get_cal(client, "/feeds/fairs.ics")
    assert uid(world["recent"]) not in by_uid(cal)
    assert uid(world["special"]) in by_uid(cal)


def test_reschedule_increases_sequence_and_keeps_uid(client, world, clock):
    fair = world["special"]
    _, before = get_cal(client, "/feeds/fairs.ics")
    ev0 = by_uid(before)[uid(fair)]
    clock.shift(timedelta(minutes=10))
    start = combine_local(date(2026, 12, 9), time(15))
    change(fair, "rescheduled", starts_at=start, ends_at=start + timedelta(hours=2))
    _, after = get_cal(client, "/feeds/fairs.ics")
    ev1 = by_uid(after)[uid(fair)]
    assert int(ev1.sequence.value) > int(ev0.sequence.value)
    assert ev1.dtstart.value.astimezone(UTC) == datetime(2026, 12, 9, 7, 0, tzinfo=UTC)
    assert ev1.dtstamp.value > ev0.dtstamp.value
    assert sorted(by_uid(before)) == sorted(by_uid(after))


def test_same_bytes_twice_and_after_cache_rebuild(app, client, world):
    one = client.get("/feeds/fairs.ics").data
    two = client.get("/feeds/fairs.ics").data
    services.cache().clear()
    three = client.get("/feeds/fairs.ics").data
    assert one == two == three


def test_cache_hits_and_invalidation_by_signal(app, client, world, clock):
    store = services.cache()
    client.get("/feeds/fairs.ics")
    misses = store.misses
    client.get("/feeds/fairs.ics")
    assert store.misses == misses and store.hits >= 1
    clock.shift(timedelta(minutes=1))
    change(world["special"], "updated", bump=False, title="改过名字的专场")
    body = unfolded(client.get("/feeds/fairs.ics").data)
    assert store.misses == misses + 1
    assert "改过名字的专场" in body


def test_another_worker_sees_the_change(app, client, world, clock):
    """Two apps (two gunicorn workers) with their own caches agree through the version."""
    from config import TestConfig
    from recruit import create_app

    other = create_app(TestConfig)
    other_client = other.test_client()
    assert "大数据专场" in unfolded(other_client.get("/feeds/fairs.ics").data)
    clock.shift(timedelta(minutes=1))
    change(world["special"], "updated", bump=False, title="第二个进程也看得到")
    assert "第二个进程也看得到" in unfolded(other_client.get("/feeds/fairs.ics").data)


def test_registration_approval_shows_employer(client, world, make_employer):
    employer = make_employer(name="新批准的公司")
    reg = FairRegistration(fair=world["large"], employer=employer, status="pending")
    db.session.add(reg)
    db.session.commit()
    assert "新批准的公司" not in unfolded(client.get("/feeds/fairs.ics").data)
    reg.status = "approved"
    fair_changed.send(world["large"], change="registration")
    db.session.commit()
    assert "新批准的公司" in unfolded(client.get("/feeds/fairs.ics").data)


def test_http_headers_304_and_head(client, world):
    response = client.get("/feeds/u/GZU.ics")
    etag = response.headers["ETag"]
    last_modified = response.headers["Last-Modified"]
    assert etag and last_modified
    cc = response.headers["Cache-Control"]
    assert "public" in cc and "max-age=3600" in cc and "no-transform" in cc
    r304 = client.get("/feeds/u/GZU.ics", headers={"If-None-Match": etag})
    assert r304.status_code == 304 and r304.data == b""
    r304 = client.get("/feeds/u/GZU.ics", headers={"If-Modified-Since": last_modified})
    assert r304.status_code == 304
    stale = client.get("/feeds/u/GZU.ics", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == response.data
    head = client.head("/feeds/u/GZU.ics")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == etag
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert int(head.headers["Content-Length"]) == len(response.data)


def test_etag_changes_after_a_change(client, world, clock):
    etag = client.get("/feeds/fairs.ics").headers["ETag"]
    clock.shift(timedelta(minutes=3))
    change(world["online"], "moved", online_url="https://meeting.example.com/new")
    response = client.get("/feeds/fairs.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_never_gzip(client, world):
    response = client.get("/feeds/fairs.ics", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_empty_feed_is_valid(client, clock, make_university):
    make_university(code="EMPTY", name="空大学")
    response, cal = get_cal(client, "/feeds/u/EMPTY.ics")
    assert by_uid(cal) == {}
    assert response.headers["Last-Modified"]


def test_employer_rename_reaches_the_feed(client, world, clock):
    from recruit.signals import employer_changed

    assert "贵州云数据有限公司" in unfolded(client.get("/feeds/fairs.ics").data)
    world["employer"].name = "贵州云数据集团"
    employer_changed.send(world["employer"])
    db.session.commit()
    body = unfolded(client.get("/feeds/fairs.ics").data)
    assert "贵州云数据集团" in body and "贵州云数据有限公司" not in body
