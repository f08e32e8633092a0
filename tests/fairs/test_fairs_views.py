"""Fair pages: visibility of drafts, filters, booking form, registrations."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
import time_machine

from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def frozen(app):
    with time_machine.travel(NOW, tick=False):
        yield


def test_drafts_only_for_own_organizers(client, auth, make_user, make_university, make_fair):
    uni, other = make_university(), make_university()
    draft = make_fair(university=uni, status="draft", title="草稿招聘会")
    public = make_fair(university=uni, title="公开招聘会")
    assert client.get(f"/fairs/{draft.id}").status_code == 404
    assert "草稿招聘会" not in client.get("/fairs/").get_data(as_text=True)
    assert "公开招聘会" in client.get("/fairs/").get_data(as_text=True)
    auth.login(make_user("organizer", university=other))
    assert client.get(f"/fairs/{draft.id}").status_code == 404
    assert client.get(f"/fairs/{public.id}/edit").status_code == 404
    auth.logout()
    auth.login(make_user("organizer", university=uni))
    assert client.get(f"/fairs/{draft.id}").status_code == 200
    assert "草稿招聘会" in client.get("/fairs/").get_data(as_text=True)


def test_filters(client, make_university, make_fair):
    a, b = make_university(code="AA"), make_university(code="BB")
    make_fair(university=a, title="甲专场", day=date(2026, 12, 8))
    make_fair(university=b, title="乙大型", kind="large", day=date(2027, 1, 5))
    assert "乙大型" not in client.get("/fairs/?university=AA").get_data(as_text=True)
    page = client.get("/fairs/?kind=large").get_data(as_text=True)
    assert "乙大型" in page and "甲专场" not in page
    page = client.get("/fairs/?month=2026-12").get_data(as_text=True)
    assert "甲专场" in page and "乙大型" not in page
    assert "月份格式应为 YYYY-MM" in client.get("/fairs/?month=12-2026").get_data(as_text=True)


def test_edit_keeps_a_passed_day_but_not_a_far_future_one(client, auth, make_user, make_fair):
    """An edited fair keeps its day even once it has passed; a day beyond the window (saved before
    the window existed) must be corrected."""
    past = make_fair(day=date(2026, 11, 27), status="draft", title="今日专场")
    far = make_fair(university=past.university, day=date(9999, 12, 30), status="scheduled", title="远期专场")
    auth.login(make_user("organizer", university=past.university))

    def form(fair, **change):
        values = {
            "title": fair.title,
            "kind": "special",
            "format": "onsite",
            "day": "2026-11-27",
            "start": "14:00",
            "end": "17:00",
            "venue_id": str(fair.venue_id),
            "booth_capacity": "30",
        }
        values.update(change)
        return values

    assert client.post(f"/fairs/{past.id}/edit", data=form(past, title="今日专场（改）")).status_code == 302
    assert db.session.get(Fair, past.id).title == "今日专场（改）"
    body = client.post(f"/fairs/{far.id}/edit", data=form(far, day="9999-12-30")).get_data(as_text=True)
    assert "招聘会日期不能晚于明年 12 月 31 日" in body
    assert client.get(f"/fairs/{far.id}/edit").status_code == 200


def test_book_publish_and_warn_through_the_form(client, auth, make_user, make_venue):
    venue = make_venue(capacity=10)
    auth.login(make_user("organizer", university=venue.university))
    form = {
        "title": "冬季专场",
        "kind": "special",
        "format": "onsite",
        "day": "2026-12-12",
        "start": "14:00",
        "end": "17:00",
        "venue_id": str(venue.id),
        "booth_capacity": "30",
        "action": "publish",
    }
    refused = client.post("/fairs/new", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "只有 10 个展位" in page and 'name="over_capacity"' in page
    assert db.session.scalar(sa.select(Fair).where(Fair.title == "冬季专场")) is None
    form["over_capacity"] = "y"
    body = client.post("/fairs/new", data=form, follow_redirects=True).get_data(as_text=True)
    assert "已发布招聘会" in body and "周末" in body and "只能容纳 10 个展位" in body
    fair = db.session.scalar(sa.select(Fair).where(Fair.title == "冬季专场"))
    assert fair.status == "scheduled" and fair.revision == 1
    again = client.post("/fairs/new", data=form).get_data(as_text=True)
    assert "该场地在此时间段已被占用" in again


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "此项必填。"),
        ({"day": "2026-13-45"}, "请输入有效的日期（YYYY-MM-DD）。"),
        ({"start": "25:00"}, "请输入有效的时间（HH:MM）。"),
        ({"end": "13:00"}, "结束时间必须晚于开始时间。"),
        ({"booth_capacity": "abc"}, "请输入整数。"),
        ({"booth_capacity": "0"}, "应在 1 到 2000 之间。"),
        ({"venue_id": "0"}, "线下或线上线下结合的招聘会必须选择场地。"),
        ({"format": "online", "venue_id": "0"}, "线上或线上线下结合的招聘会必须填写线上链接。"),
        ({"day": "2026-11-20"}, "招聘会日期不能早于今天。"),
        ({"day": "0001-01-01"}, "招聘会日期不能早于今天。"),
        ({"day": "2028-01-01"}, "招聘会日期不能晚于明年 12 月 31 日"),
        ({"day": "3026-12-07"}, "招聘会日期不能晚于明年 12 月 31 日"),
        ({"day": "9999-12-30"}, "招聘会日期不能晚于明年 12 月 31 日"),
        ({"day": "9999-12-31", "action": "publish"}, "招聘会日期不能晚于明年 12 月 31 日"),
    ],
)
def test_form_messages(client, auth, make_user, make_venue, change, message):
    venue = make_venue()
    auth.login(make_user("organizer", university=venue.university))
    form = {
        "title": "专场",
        "kind": "special",
        "format": "onsite",
        "day": "2026-12-08",
        "start": "14:00",
        "end": "17:00",
        "venue_id": str(venue.id),
        "booth_capacity": "30",
    }
    form.update(change)
    body = client.post("/fairs/new", data=form).get_data(as_text=True)
    assert message in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair)) == 0


def test_employer_registers_and_sees_status(client, auth, make_user, make_employer, make_posting, make_fair):
    fair = make_fair(title="报名测试")
    employer = make_employer()
    posting = make_posting(employer=employer, title="数据分析师")
    auth.login(make_user("employer", employer=employer))
    body = client.post(
        f"/fairs/{fair.id}/register", data={"postings": [str(posting.id)], "note": "需要电源"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已提交展位申请" in body
    mine = client.get("/fairs/mine").get_data(as_text=True)
    assert "报名测试" in mine and "待审核" in mine and "数据分析师" in mine
    body = client.post(f"/fairs/{fair.id}/register", data={}, follow_redirects=True).get_data(as_text=True)
    assert "已申请过该招聘会的展位。" in body
    auth.logout()
    auth.login(make_user("organizer", university=fair.university))
    reg = db.session.scalar(sa.select(FairRegistration))
    client.post(f"/fairs/registrations/{reg.id}/decide", data={"decision": "approve"})
    db.session.refresh(reg)
    assert reg.status == "approved" and reg.booth_number == 1
    assert "数据分析师" in client.get(f"/fairs/{fair.id}").get_data(as_text=True)
