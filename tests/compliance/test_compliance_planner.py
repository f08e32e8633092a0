"""The gap planner: proposals on working days, free big-enough venues, never in the past; apply closes the gaps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
import time_machine

from recruit.compliance import planner
from recruit.compliance.engine import season_weeks
from recruit.compliance.holidays import sync_from_chinesecalendar
from recruit.compliance.policy import current_policy
from recruit.compliance.services import evaluate_university
from recruit.timeutil import combine_local

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)  # Friday 27 November 2026, 10:00 in Shanghai
TODAY = date(2026, 11, 27)


@pytest.fixture
def campus(app, make_university, make_venue, make_fair):
    sync_from_chinesecalendar({2026})
    university = make_university(code="GAP")
    small = make_venue(university=university, name="小会议室", capacity=20)
    big = make_venue(university=university, name="体育馆", capacity=200)
    mid = make_venue(university=university, name="活动中心", capacity=80)
    season = current_policy().season("2026-autumn")
    # Everything before the week of 23 November is held; the rest of the season is a gap.
    for monday, _ in season_weeks(season):
        if monday < date(2026, 11, 23):
            make_fair(
                university=university, venue=mid, day=max(monday, season.start) + timedelta(days=1), status="held"
            )
    for m in (9, 10):
        make_fair(university=university, venue=big, day=date(2026, m, 12), kind="large", status="held", start=time(9))
    return university, season, {"small": small, "big": big, "mid": mid}


def test_proposals_fill_every_at_risk_period(campus):
    university, season, venues = campus
    result = planner.plan(university, season, current_policy(), today=TODAY, now=NOW)
    got = [(p.kind, p.day, p.start, p.end, p.venue_name) for p in result.proposals]
    assert got == [
        ("special", date(2026, 11, 27), time(14), time(17), "活动中心"),  # Fri: Sat/Sun left are no working days
        ("large", date(2026, 11, 28), time(9), time(12, 30), "活动中心"),  # Saturday morning; 60 booths fit in 80
        ("special", date(2026, 12, 1), time(14), time(17), "活动中心"),
        ("large", date(2026, 12, 5), time(9), time(12, 30), "活动中心"),
        ("special", date(2026, 12, 8), time(14), time(17), "活动中心"),
        ("special", date(2026, 12, 15), time(14), time(17), "活动中心"),
        ("special", date(2026, 12, 22), time(14), time(17), "活动中心"),
        ("special", date(2026, 12, 29), time(14), time(17), "活动中心"),
    ]
    assert not result.unresolved
    assert all(p.starts_at > NOW for p in result.proposals)
    assert all(p.venue_name != "小会议室" for p in result.proposals)  # 20 booths are not enough


def test_plan_is_deterministic(campus):
    university, season, _ = campus
    a = planner.plan(university, season, current_policy(), today=TODAY, now=NOW)
    b = planner.plan(university, season, current_policy(), today=TODAY, now=NOW)
    assert [p.to_json() for p in a.proposals] == [p.to_json() for p in b.proposals]


def test_never_in_the_past_today_after_the_start_time(campus):
    university, season, _ = campus
    late = datetime(2026, 11, 27, 7, 0, tzinfo=timezone.utc)  # 15:00 local: 14:00 today is gone
    result = planner.plan(university, season, current_policy(), today=TODAY, now=late)
    assert all(p.day > TODAY for p in result.proposals)
    # The week of 23 November has only its weekend left: no working day, reported as unresolved.
    assert [(u.kind, u.period_start) for u in result.unresolved] == [("special", date(2026, 11, 23))]


def test_busy_venue_is_avoided(campus, make_fair):
    university, season, venues = campus
    make_fair(university=university, venue=venues["mid"], day=date(2026, 12, 8), start=time(13), status="draft")
    result = planner.plan(university, season, current_policy(), today=TODAY, now=NOW)
    dec8 = next(p for p in result.proposals if p.day == date(2026, 12, 8))
    assert dec8.venue_name == "体育馆"


def test_holidays_and_adjusted_working_days(app, make_university, make_venue):
    sync_from_chinesecalendar({2026})
    university = make_university()
    make_venue(university=university, capacity=100)
    season = current_policy().season("2026-autumn")
    today = date(2026, 9, 25)
    result = planner.plan(university, season, current_policy(), today=today, now=combine_local(today, time(18)))
    days = {(p.kind, p.period_start): p.day for p in result.proposals}
    assert days[("special", date(2026, 10, 5))] == date(2026, 10, 8)  # Tue 6 and Wed 7 are National Day holidays
    assert days[("large", date(2026, 10, 1))] == date(2026, 10, 10)  # Sat 3 is a holiday; Sat 10 is a worked Saturday
    assert days[("special", date(2026, 9, 28))] == date(2026, 9, 29)


def test_apply_publishes_and_the_season_becomes_compliant(campus):
    university, season, _ = campus
    policy = current_policy()
    with time_machine.travel(NOW, tick=False):
        assert not evaluate_university(university, season, TODAY, policy).compliant
        result = planner.plan(university, season, policy, today=TODAY, now=NOW)
        fairs = planner.apply(university, result.proposals)
        assert all(f.status == "scheduled" and f.revision == 1 for f in fairs)
        assert evaluate_university(university, season, TODAY, policy).compliant
        again = planner.plan(university, season, policy, today=TODAY, now=NOW)
    assert again.proposals == [] and again.unresolved == []


def test_cli_plan_and_apply(campus, runner):
    import json

    university, season, _ = campus
    with time_machine.travel(NOW, tick=False):
        dry = runner.invoke(args=["compliance", "plan", "--season", "2026-autumn", "--university", "GAP"])
        assert dry.exit_code == 0, dry.output
        out = json.loads(dry.output)
        assert len(out["proposals"]) == 8 and "created" not in out
        done = runner.invoke(args=["compliance", "plan", "--season", "2026-autumn", "--university", "GAP", "--apply"])
        assert done.exit_code == 0, done.output
        out = json.loads(done.output)
        assert len(out["created"]) == 8 and out["compliant"] is True
    bad = runner.invoke(args=["compliance", "plan", "--season", "2026-autumn", "--university", "NOPE"])
    assert bad.exit_code == 2 and "NOPE" in bad.output
