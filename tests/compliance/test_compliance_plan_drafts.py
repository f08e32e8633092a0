"""Gap planner review (issues 14 item 4 and 17): titles follow the date, dates stay in the gap,
drafts published in one click, matched employers invited."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
import time_machine

from recruit.extensions import db
from recruit.fairs.models import Fair, FairInvitation
from recruit.notifications.models import Notification

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def frozen(app):
    from recruit.compliance.holidays import sync_from_chinesecalendar

    sync_from_chinesecalendar({2026})
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def gap(client, auth, make_user, make_university, make_venue):
    university = make_university(code="GAP", name="缺口大学")
    make_venue(university=university, capacity=100)
    organizer = make_user("organizer", university=university)
    auth.login(organizer)
    page = client.get("/compliance/plan?season=2026-autumn").get_data(as_text=True)
    form = {"count": re.search(r'name="count" value="(\d+)"', page).group(1)}
    for name, value in re.findall(r'name="(p\d+-[a-z_]+)" value="([^"]*)"', page):
        form[name] = value
    for name, value in re.findall(r'name="(p\d+-venue)".*?<option value="(\d+)" selected', page):
        form[name] = value
    return university, organizer, page, form


def _week_row(form) -> int:
    """A proposal for a whole December week."""
    return next(
        int(k[1:-7])
        for k, v in form.items()
        if k.endswith("-period") and v == "week" and form[k.replace("-period", "-from")] >= "2026-12-01"
    )


def test_an_unchanged_title_follows_the_chosen_date(client, gap):
    _, _, _, form = gap
    n = _week_row(form)
    assert f"（{int(form[f'p{n}-date'][5:7])}月{int(form[f'p{n}-date'][8:])}日）" in form[f"p{n}-title"]
    lo, hi = date.fromisoformat(form[f"p{n}-from"]), date.fromisoformat(form[f"p{n}-to"])
    other = next(
        date.fromordinal(o)
        for o in range(lo.toordinal(), hi.toordinal() + 1)
        if date.fromordinal(o).isoformat() != form[f"p{n}-date"]
    )
    only = {k: v for k, v in form.items() if not k.endswith("-include") or k == f"p{n}-include"}
    only[f"p{n}-date"] = other.isoformat()
    client.post("/compliance/plan?season=2026-autumn", data=only)
    fair = db.session.scalar(sa.select(Fair).where(Fair.origin == "planner"))
    assert fair.status == "draft" and fair.title == f"缺口大学专场招聘会（{other.month}月{other.day}日）"


def test_an_edited_title_is_kept(client, gap):
    _, _, _, form = gap
    n = _week_row(form)
    only = {k: v for k, v in form.items() if not k.endswith("-include") or k == f"p{n}-include"}
    only[f"p{n}-title"] = "我们自己起的名字"
    client.post("/compliance/plan?season=2026-autumn", data=only)
    assert db.session.scalar(sa.select(Fair.title).where(Fair.origin == "planner")) == "我们自己起的名字"


@pytest.mark.parametrize("shift", ["before", "after"])
def test_a_date_outside_the_gap_is_refused_next_to_the_field(client, gap, shift):
    _, _, _, form = gap
    n = _week_row(form)
    lo, hi = date.fromisoformat(form[f"p{n}-from"]), date.fromisoformat(form[f"p{n}-to"])
    form[f"p{n}-date"] = (
        date.fromordinal(hi.toordinal() + 7) if shift == "after" else date.fromordinal(lo.toordinal() - 7)
    ).isoformat()
    resp = client.post("/compliance/plan?season=2026-autumn", data=form)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f'id="p{n}-date-err">日期必须在该缺口时段内（{lo.isoformat()} 至 {hi.isoformat()}）' in body
    assert f'value="{form[f"p{n}-date"]}"' in body  # what was typed is still there
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair)) == 0


def test_drafts_do_not_count_until_published_in_one_click(client, gap):
    _, _, _, form = gap
    client.post("/compliance/plan?season=2026-autumn", data=form)
    season = client.get("/compliance/season?season=2026-autumn").get_data(as_text=True)
    assert "week status-at_risk" in season  # drafts never count
    body = client.post("/compliance/plan/publish?season=2026-autumn", follow_redirects=True).get_data(as_text=True)
    assert "已发布 8 场招聘会" in body
    season = client.get("/compliance/season?season=2026-autumn").get_data(as_text=True)
    assert "status-at_risk" not in season.split("compliance-legend")[-1].split("</ul>", 1)[-1]
    again = client.post("/compliance/plan/publish?season=2026-autumn", follow_redirects=True).get_data(as_text=True)
    assert "没有待发布的草稿" in again


def test_matched_employers_are_invited_once(client, gap, make_employer, make_posting, make_graduate, make_user):
    university, _, _, form = gap
    match = make_employer(name="匹配科技")
    make_posting(employer=match, title="Java后端开发工程师", description="Java Spring Boot 后端开发")
    hr = make_user("employer", employer=match)
    make_graduate(
        university=university,
        intention=dict(
            positions=["Java后端开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java Spring Boot",
            statement="想做Java后端开发",
        ),
    )
    client.post("/compliance/plan?season=2026-autumn", data=form)
    client.post("/compliance/plan/publish?season=2026-autumn")
    body = client.post("/compliance/plan/invite?season=2026-autumn", follow_redirects=True).get_data(as_text=True)
    published = db.session.scalar(sa.select(sa.func.count()).select_from(Fair).where(Fair.status == "scheduled"))
    assert f"已发出 {published} 份邀请（1 家匹配单位）" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FairInvitation)) == published
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == hr.id, Notification.kind == "fair_invitation")
        )
        == published
    )
    body = client.post("/compliance/plan/invite?season=2026-autumn", follow_redirects=True).get_data(as_text=True)
    assert "已发出 0 份邀请" in body


def test_another_universitys_organizer_cannot_publish_or_invite(client, auth, gap, make_user):
    _, _, _, form = gap
    client.post("/compliance/plan?season=2026-autumn", data=form)
    auth.logout()
    auth.login(make_user("organizer"))
    client.post("/compliance/plan/publish?season=2026-autumn&university=GAP")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair).where(Fair.status == "scheduled")) == 0
