"""招聘会日历: a month of fairs for the public, organizers and graduates (issue 14, item 13)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from recruit.extensions import db
from recruit.fairs.models import FairRegistration
from recruit.fairs.calendar import month_weeks
from recruit.graduates.models import SavedFair


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-11-20 02:00:00+00:00", tick=False):
        yield


def cell(page: str, day: str) -> str:
    return page.split(f'data-day="{day}"', 1)[1].split("</td>", 1)[0]


def test_month_weeks_cover_the_month_monday_to_sunday():
    weeks = month_weeks(date(2026, 12, 1))
    assert weeks[0][0] == date(2026, 11, 30) and weeks[-1][-1] == date(2027, 1, 3)
    assert all(len(w) == 7 and w[0].weekday() == 0 for w in weeks)


def test_public_calendar_shows_published_fairs_on_their_day(client, make_fair):
    fair = make_fair(day=date(2026, 12, 8), status="scheduled", title="冬季专场")
    make_fair(day=date(2026, 12, 9), status="draft", title="草稿专场")
    make_fair(day=date(2027, 1, 12), status="scheduled", title="一月专场")
    page = client.get("/fairs/calendar?month=2026-12").get_data(as_text=True)
    assert "冬季专场" in cell(page, "2026-12-08") and f'href="/fairs/{fair.id}"' in cell(page, "2026-12-08")
    assert "草稿专场" not in page and "一月专场" not in page
    assert "2026年12月" in page and "本月 1 场" in page
    assert 'href="/fairs/calendar?month=2027-01' in page and 'href="/fairs/calendar?month=2026-11' in page
    january = client.get("/fairs/calendar?month=2027-01").get_data(as_text=True)
    assert "一月专场" in january and "元旦" in cell(january, "2027-01-01")


def test_default_month_and_bad_month(client):
    assert "2026年11月" in client.get("/fairs/calendar").get_data(as_text=True)
    for bad in ("2026-13", "abc", "99999-01"):
        response = client.get("/fairs/calendar", query_string={"month": bad})
        assert response.status_code == 200 and "2026年11月" in response.get_data(as_text=True), bad
    assert client.get("/fairs/calendar", query_string={"month": "2026-1\x00"}).status_code == 400  # NUL: app-wide


def test_university_filter(client, make_fair, make_university):
    a, b = make_university(code="CALA"), make_university(code="CALB")
    make_fair(university=a, day=date(2026, 12, 8), status="scheduled", title="甲校专场")
    make_fair(university=b, day=date(2026, 12, 8), status="scheduled", title="乙校专场")
    page = client.get("/fairs/calendar?month=2026-12&university=CALA").get_data(as_text=True)
    assert "甲校专场" in page and "乙校专场" not in page


def test_organizer_sees_own_university_with_drafts_and_can_switch_to_all(
    client, auth, make_fair, make_user, make_university
):
    mine = make_fair(day=date(2026, 12, 8), status="draft", title="本校草稿")
    theirs = make_fair(day=date(2026, 12, 8), status="scheduled", title="外校专场")
    make_fair(university=theirs.university, day=date(2026, 12, 10), status="draft", title="外校草稿")
    auth.login(make_user("organizer", university=mine.university))
    page = client.get("/fairs/calendar?month=2026-12").get_data(as_text=True)
    assert "本校草稿" in page and "外校专场" not in page and "外校草稿" not in page
    everything = client.get("/fairs/calendar?month=2026-12&view=all").get_data(as_text=True)
    assert "外校专场" in everything and "外校草稿" not in everything


def test_graduate_sees_saved_fairs_and_fairs_of_matched_employers(
    client, auth, make_fair, make_user, make_graduate, make_posting
):
    graduate = make_graduate(
        intention=dict(
            positions=["Java开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java、Spring Boot、MySQL",
            statement="想做Java后端开发",
        )
    )
    posting = make_posting()
    saved = make_fair(day=date(2026, 12, 8), status="scheduled", title="收藏的专场")
    matched = make_fair(day=date(2026, 12, 15), status="scheduled", title="匹配单位参加的专场")
    make_fair(day=date(2026, 12, 16), status="scheduled", title="无关专场")
    db.session.add_all(
        [
            SavedFair(graduate_id=graduate.id, fair_id=saved.id),
            FairRegistration(fair=matched, employer=posting.employer, status="approved", booth_number=1),
        ]
    )
    db.session.commit()
    auth.login(make_user("graduate", graduate=graduate))
    page = client.get("/fairs/calendar?month=2026-12").get_data(as_text=True)
    assert "收藏的专场" in page and "匹配单位参加的专场" in page and "无关专场" not in page
    assert "无关专场" in client.get("/fairs/calendar?month=2026-12&view=all").get_data(as_text=True)
    # A view that is not the role's falls back to its own.
    assert "无关专场" not in client.get("/fairs/calendar?month=2026-12&view=school").get_data(as_text=True)


def test_list_links_to_the_calendar(client):
    assert 'href="/fairs/calendar"' in client.get("/fairs/").get_data(as_text=True)


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1999-12", "2101-01", "99999999999999999999-01"])
@pytest.mark.parametrize("path", ["/fairs/calendar", "/fairs/"])
def test_month_out_of_range_falls_back_with_a_notice(client, path, month):
    response = client.get(path, query_string={"month": month})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, month
    assert "月份格式应为 YYYY-MM，年份在 2000 到 2100 之间。" in page
    if path == "/fairs/calendar":
        assert "2026年11月" in page
