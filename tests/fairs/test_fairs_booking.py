"""Booking: validation messages, warnings, overlap, revisions, signals, registrations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairs import services
from recruit.fairs import registrations
from recruit.fairs.models import Fair
from recruit.signals import fair_changed
from recruit.timeutil import combine_local

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=__import__("datetime").timezone.utc)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen(app):
    from recruit.compliance.holidays import sync_from_chinesecalendar

    sync_from_chinesecalendar({2026})
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def signals():
    seen = []

    def listener(fair, change, **extra):
        seen.append((fair.id, change))

    fair_changed.connect(listener)
    yield seen
    fair_changed.disconnect(listener)


def data(venue=None, day=date(2026, 12, 8), start=time(14), hours=3, **kw) -> services.FairData:
    starts = combine_local(day, start)
    values = dict(
        kind="special",
        title="专场招聘会",
        format="onsite",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        venue_id=venue.id if venue else None,
        booth_capacity=30,
    )
    values.update(kw)
    return services.FairData(**values)


def test_create_draft_and_publish_bumps_revision(make_venue, signals):
    venue = make_venue()
    fair, warnings = services.create_fair(venue.university, data(venue))
    assert fair.status == "draft" and fair.revision == 0 and warnings == []
    services.publish_fair(fair)
    assert fair.status == "scheduled" and fair.revision == 1
    assert signals == [(fair.id, "created"), (fair.id, "published")]


def test_update_published_fair_bumps_revision_and_names_the_change(make_venue, make_fair, signals):
    venue = make_venue()
    other = make_venue(university=venue.university)
    fair = make_fair(venue=venue)
    services.update_fair(fair, data(venue, title="新的名称"))
    assert fair.revision == 1 and signals[-1] == (fair.id, "updated")
    services.update_fair(fair, data(venue, start=time(15)))
    assert fair.revision == 2 and signals[-1] == (fair.id, "rescheduled")
    services.update_fair(fair, data(other, start=time(15)))
    assert fair.revision == 3 and signals[-1] == (fair.id, "moved")
    services.cancel_fair(fair, "场地维修")
    assert fair.revision == 4 and fair.status == "cancelled" and signals[-1] == (fair.id, "cancelled")


def test_cancel_frees_the_venue(make_venue, make_fair):
    venue = make_venue()
    fair = make_fair(venue=venue)
    with pytest.raises(ServiceError, match="该场地在此时间段已被占用"):
        services.create_fair(venue.university, data(venue))
    services.cancel_fair(fair, "改期")
    new, _ = services.create_fair(venue.university, data(venue))
    assert new.id != fair.id


@pytest.mark.parametrize(
    "change, field, message",
    [
        (dict(title="  "), "title", "请填写招聘会名称。"),
        (dict(title="长" * 121), "title", "招聘会名称不能超过120个字符。"),
        (dict(kind="huge"), "kind", "请选择招聘会类型。"),
        (dict(format="tv"), "format", "请选择举办形式。"),
        (dict(hours=0), "ends_at", "结束时间必须晚于开始时间。"),
        (dict(hours=-2), "ends_at", "结束时间必须晚于开始时间。"),
        (dict(hours=25), "ends_at", "一场招聘会不能超过24小时。"),
        (dict(day=date(2026, 11, 26)), "starts_at", "开始时间不能早于现在。"),
        (dict(day=date(2028, 1, 1)), "day", "招聘会日期不能晚于明年 12 月 31 日（只能安排本年度和下一年度的招聘会）。"),
        (
            dict(day=date(9999, 12, 30)),
            "day",
            "招聘会日期不能晚于明年 12 月 31 日（只能安排本年度和下一年度的招聘会）。",
        ),
        (dict(booth_capacity=0), "booth_capacity", "展位数必须是正整数。"),
        (dict(booth_capacity=5000), "booth_capacity", "展位数不能超过2000。"),
        (dict(venue_id=None), "venue_id", "线下或线上线下结合的招聘会必须选择场地。"),
        (dict(venue_id=999999), "venue_id", "请选择本校的场地。"),
        (dict(format="online", online_url=""), "online_url", "线上或线上线下结合的招聘会必须填写线上链接。"),
        (dict(format="hybrid", online_url="ftp://x"), "online_url", "线上链接必须以 http:// 或 https:// 开头。"),
        (dict(overlap=True), "venue_id", "该场地在此时间段已被占用"),
        (dict(foreign_venue=True), "venue_id", "请选择本校的场地。"),
    ],
)
def test_booking_validation_messages(make_venue, make_fair, change, field, message):
    venue = make_venue()
    if change.pop("overlap", False):
        make_fair(venue=venue, start=time(16))  # 16:00–19:00 overlaps 14:00–17:00
    if change.pop("foreign_venue", False):
        change["venue_id"] = make_venue().id
    kw = {k: change.pop(k) for k in ("day", "start", "hours") if k in change}
    with pytest.raises(ServiceError) as info:
        services.create_fair(venue.university, data(venue, **kw, **change))
    assert (info.value.field, info.value.message) == (field, message)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair).where(Fair.title != "专场招聘会")) == 0


def test_back_to_back_fairs_do_not_overlap(make_venue, make_fair):
    venue = make_venue()
    make_fair(venue=venue, start=time(9), hours=3)  # 09:00–12:00
    fair, _ = services.create_fair(venue.university, data(venue, start=time(12)))
    assert fair.id


@pytest.mark.parametrize(
    "day, capacity, expected",
    [
        (date(2026, 12, 8), 30, []),
        (date(2026, 10, 1), 30, ["法定节假日（国庆节）"]),
        (date(2026, 12, 12), 30, ["周末"]),
        (date(2026, 8, 4), 30, ["不在校园招聘服务季"]),
        (date(2027, 3, 9), 30, ["未公布"]),
        (date(2026, 12, 8), 500, ["只能容纳 100 个展位"]),
    ],
)
def test_booking_warnings(app, make_venue, day, capacity, expected):
    venue = make_venue(capacity=100)
    with time_machine.travel(datetime(2026, 1, 2, tzinfo=NOW.tzinfo), tick=False):
        fair, warnings = services.create_fair(
            venue.university,
            data(venue, day=day, booth_capacity=capacity, extra={"over_capacity_confirmed": capacity > 100}),
        )
    assert len(warnings) == len(expected)
    for text, w in zip(expected, warnings):
        assert text in w


def test_weekend_worked_is_no_warning(make_venue):
    venue = make_venue()
    with time_machine.travel(datetime(2026, 1, 2, tzinfo=NOW.tzinfo), tick=False):
        # 2026-09-20 is a Sunday worked (调休) before National Day
        from recruit.compliance.holidays import day_info

        assert day_info(date(2026, 9, 20))[0] is True
        _, warnings = services.create_fair(venue.university, data(venue, day=date(2026, 9, 20)))
    assert warnings == []


def test_registration_flow_and_capacity(make_fair, make_employer, make_posting, signals):
    fair = make_fair(booth_capacity=1)
    a, b = make_employer(), make_employer()
    pa, pb = make_posting(employer=a), make_posting(employer=b)
    ra = registrations.request_booth(fair, a, [pa.id])
    rb = registrations.request_booth(fair, b, [pb.id])
    assert ra.status == "pending" and [p.id for p in ra.postings] == [pa.id]
    registrations.decide_registration(ra, True)
    assert ra.booth_number == 1
    with pytest.raises(ServiceError, match="展位已满"):
        registrations.decide_registration(rb, True)
    registrations.decide_registration(rb, False, "展位已满")
    assert rb.status == "rejected"
    assert signals.count((fair.id, "registration")) == 4


@pytest.mark.parametrize(
    "case, message",
    [
        ("no_postings", "请至少选择一个携带的岗位。"),
        ("foreign_posting", "只能选择本单位的岗位。"),
        ("closed_posting", "只能携带招聘中的岗位。"),
        ("draft_fair", "只能报名已发布的招聘会。"),
        ("past_fair", "该招聘会已结束，不能报名。"),
        ("unapproved", "单位通过认证后才能申请展位。"),
        ("twice", "已申请过该招聘会的展位。"),
        ("full", "展位已满。"),
    ],
)
def test_registration_messages(make_fair, make_employer, make_posting, case, message):
    fair = make_fair(
        status="draft" if case == "draft_fair" else "scheduled",
        day=date(2026, 11, 20) if case == "past_fair" else date(2026, 12, 8),
        booth_capacity=1,
    )
    employer = make_employer(status="pending" if case == "unapproved" else "approved")
    posting = make_posting(employer=employer, status="closed" if case == "closed_posting" else "open")
    ids = [] if case == "no_postings" else [make_posting().id] if case == "foreign_posting" else [posting.id]
    if case == "twice":
        registrations.request_booth(fair, employer, ids)
    if case == "full":
        other = make_employer()
        registrations.decide_registration(
            registrations.request_booth(fair, other, [make_posting(employer=other).id]), True
        )
    with pytest.raises(ServiceError) as info:
        registrations.request_booth(fair, employer, ids)
    assert info.value.message == message


def test_sqlite_check_runs_under_the_write_lock(app, make_venue):
    """On SQLite the overlap check and the insert happen inside BEGIN IMMEDIATE."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL relies on the exclusion constraint (test_fairs_concurrency)")
    venue = make_venue()
    statements = []

    def spy(conn, cursor, statement, *args):
        statements.append(statement.split()[0:2])

    sa.event.listen(db.engine, "before_cursor_execute", spy)
    try:
        services.create_fair(venue.university, data(venue))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", spy)
    begin = statements.index(["BEGIN", "IMMEDIATE"])
    select = next(i for i, s in enumerate(statements) if s[0] == "SELECT" and i > begin)
    insert = next(i for i, s in enumerate(statements) if s[:2] == ["INSERT", "INTO"])
    assert begin < select < insert
