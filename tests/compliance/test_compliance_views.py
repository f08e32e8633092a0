"""Season grid, province dashboard and export, planner UI; fairs pages."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timezone

import pytest
import sqlalchemy as sa
import time_machine

from recruit.extensions import db
from recruit.fairs.models import Fair

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def frozen(app):
    from recruit.compliance.holidays import sync_from_chinesecalendar

    sync_from_chinesecalendar({2026})
    with time_machine.travel(NOW, tick=False):
        yield


def test_season_grid_shows_status_text_and_links(client, auth, make_user, make_university, make_venue, make_fair):
    university = make_university(code="GZU", name="贵州大学")
    venue = make_venue(university=university)
    fair = make_fair(university=university, venue=venue, day=date(2026, 11, 17), status="held")
    auth.login(make_user("organizer", university=university))
    page = client.get("/compliance/season?season=2026-autumn").get_data(as_text=True)
    for label in ("已达标", "有风险", "未达标"):
        assert label in page
    assert f"/fairs/{fair.id}" in page
    assert "/fairs/new?day=2026-11-28&amp;kind=special" in page or "/fairs/new?day=2026-11-28&kind=special" in page
    assert "status-met" in page and "status-missed" in page and "补齐缺口" in page


def test_organizer_cannot_see_another_university(client, auth, make_user, make_university):
    mine, other = make_university(code="MINE", name="我的大学"), make_university(code="OTHER", name="别人的大学")
    auth.login(make_user("organizer", university=mine))
    page = client.get("/compliance/season?university=OTHER").get_data(as_text=True)
    assert "我的大学" in page and "别人的大学" not in page


def test_admin_picks_a_university_and_bad_season_falls_back(client, auth, make_user, make_university):
    make_university(code="GZU", name="贵州大学")
    auth.login(make_user("admin"))
    assert "贵州大学" in client.get("/compliance/season").get_data(as_text=True)
    page = client.get("/compliance/season?university=GZU&season=2026-summer").get_data(as_text=True)
    assert "2026-autumn" in page and "无效" in page
    assert client.get("/compliance/season?university=NOPE").status_code == 404


def test_province_dashboard_worst_first_and_export(client, auth, make_user, make_university, make_venue, make_fair):
    good = make_university(code="GOOD", name="好大学")
    bad = make_university(code="BAD", name="=cmd|' /C calc'!A0")
    venue = make_venue(university=good)
    for day in (
        date(2026, 11, 24),
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
        date(2026, 12, 29),
    ):
        make_fair(university=good, venue=venue, day=day)
    auth.login(make_user("admin"))
    page = client.get("/compliance/province?season=2026-autumn").get_data(as_text=True)
    assert page.index("BAD") < page.index("GOOD")
    assert 'class="sortable province-table"' in page
    csv_resp = client.get("/compliance/province/export?season=2026-autumn&format=csv")
    text = csv_resp.data.decode("utf-8-sig")
    assert csv_resp.mimetype == "text/csv" and text.splitlines()[0].startswith("高校代码")
    assert "'=cmd" in text
    xlsx = client.get("/compliance/province/export?season=2026-autumn&format=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.data)).active
    assert ws["B2"].value.startswith("'=")
    assert client.get("/compliance/province/export?format=pdf").status_code == 404


def test_plan_ui_apply_makes_the_season_compliant(client, auth, make_user, make_university, make_venue, make_fair):
    from recruit.compliance.engine import season_weeks
    from recruit.compliance.policy import current_policy

    university = make_university(code="GAP", name="缺口大学")
    venue = make_venue(university=university, capacity=100)
    season = current_policy().season("2026-autumn")
    for monday, _ in season_weeks(season):
        if monday < date(2026, 11, 23):
            make_fair(
                university=university, venue=venue, day=max(monday, season.start), status="held", start=time(9), hours=1
            )
    for m in (9, 10):
        make_fair(
            university=university,
            venue=venue,
            day=date(2026, m, 20),
            kind="large",
            status="held",
            start=time(19),
            hours=1,
        )
    auth.login(make_user("organizer", university=university))
    page = client.get("/compliance/plan?season=2026-autumn").get_data(as_text=True)
    assert 'name="p0-date"' in page and "2026-11-27" in page
    form = {"count": "8"}
    import re

    for name, value in re.findall(r'name="(p\d+-[a-z]+)" value="([^"]*)"', page):
        form[name] = value
    for name, value in re.findall(r'name="(p\d+-venue)".*?<option value="(\d+)" selected', page):
        form[name] = value
    form["p0-title"] = "改过名字的专场招聘会"
    resp = client.post("/compliance/plan?season=2026-autumn", data=form, follow_redirects=True)
    body = resp.get_data(as_text=True)
    # proposals become drafts to review first; they do not count yet
    assert "已创建 8 场招聘会草稿" in body and "全部发布（8 场）" in body
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Fair).where(Fair.status == "draft", Fair.origin == "planner")
        )
        == 8
    )
    resp = client.post("/compliance/plan/publish?season=2026-autumn", follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "已发布 8 场招聘会" in body and "本服务季已全部达标或已安排" in body
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Fair).where(Fair.title == "改过名字的专场招聘会")) == 1
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair).where(Fair.status == "draft")) == 0


def test_plan_ui_error_is_all_or_nothing(client, auth, make_user, make_university, make_venue, make_fair):
    university = make_university(code="GAP2")
    venue = make_venue(university=university)
    taken = make_fair(university=university, venue=venue, day=date(2026, 12, 1))
    auth.login(make_user("organizer", university=university))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Fair))
    form = {
        "count": "2",
        "p0-include": "1",
        "p0-kind": "special",
        "p0-title": "甲",
        "p0-date": "2026-12-02",
        "p0-start": "14:00",
        "p0-end": "17:00",
        "p0-venue": str(venue.id),
        "p0-booths": "30",
        "p1-include": "1",
        "p1-kind": "special",
        "p1-title": "乙",
        "p1-date": "2026-12-01",
        "p1-start": "14:00",
        "p1-end": "17:00",
        "p1-venue": str(venue.id),
        "p1-booths": "30",
    }
    body = client.post("/compliance/plan?season=2026-autumn", data=form, follow_redirects=True).get_data(as_text=True)
    assert "第2项：该场地在此时间段已被占用" in body
    assert 'id="p1-venue-err">该场地在此时间段已被占用' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair)) == before
    form["p0-date"] = "bad"
    resp = client.post("/compliance/plan?season=2026-autumn", data=form, follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="p0-date-err">请填写有效的日期。' in body


@pytest.mark.parametrize("season", ["9999-autumn", "0001-spring", "1999-autumn", "2101-spring", "9" * 30 + "-autumn"])
@pytest.mark.parametrize(
    "path",
    ["/compliance/province", "/compliance/season", "/compliance/plan"],
)
def test_season_out_of_range_falls_back_with_a_notice(client, auth, make_user, make_university, path, season):
    make_university(code="GZU", name="贵州大学")
    auth.login(make_user("admin"))
    response = client.get(path, query_string={"season": season, "university": "GZU"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2026 年秋季" in page and "无效，已显示当前服务季" in page  # the current season, by its label


@pytest.mark.parametrize("season", ["9999-autumn", "0001-spring", "2101-spring"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_a_season_out_of_range_is_the_current_season(client, auth, make_user, season, fmt):
    auth.login(make_user("admin"))
    response = client.get("/compliance/province/export", query_string={"season": season, "format": fmt})
    assert response.status_code == 200
    assert "compliance-2026-autumn-" in response.headers["Content-Disposition"]


def test_the_bounds_of_the_season_range_still_navigate(client, auth, make_user):
    auth.login(make_user("admin"))
    for season in ("2000-spring", "2100-autumn"):
        page = client.get("/compliance/province", query_string={"season": season}).get_data(as_text=True)
        assert season in page and "无效" not in page


def test_plan_rows_with_dates_out_of_range_are_row_errors(client, auth, make_user, make_university, make_venue):
    university = make_university(code="GAP3")
    venue = make_venue(university=university)
    auth.login(make_user("organizer", university=university))
    form = {
        "count": "1",
        "p0-include": "1",
        "p0-kind": "special",
        "p0-title": "甲",
        "p0-date": "0001-01-01",
        "p0-from": "0001-01-01",
        "p0-to": "0001-12-31",
        "p0-start": "07:00",
        "p0-end": "09:00",
        "p0-venue": str(venue.id),
        "p0-booths": "30",
    }
    response = client.post("/compliance/plan?season=2026-autumn", data=form)
    assert response.status_code == 422 and 'id="p0-date-err">请填写有效的日期。' in response.get_data(as_text=True)
    form.update({"p0-date": "2030-01-08", "p0-from": "2030-01-01", "p0-to": "2030-01-31"})
    body = client.post("/compliance/plan?season=2026-autumn", data=form, follow_redirects=True).get_data(as_text=True)
    assert "招聘会日期不能晚于明年 12 月 31 日" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair)) == 0


def test_day_range_info_reaches_the_last_date():
    from recruit.compliance.holidays import day_range_info

    last = date(9999, 12, 31)
    assert list(day_range_info(date(9999, 12, 30), last)) == [date(9999, 12, 30), last]
