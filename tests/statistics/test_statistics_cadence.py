"""The §15 cadence: which report periods contain a date (policy as data), and the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest

from recruit.statistics.policy import (
    ReportPeriod,
    StatisticsPolicyError,
    categories,
    load_policy,
    parse_policy,
)

P = load_policy()


def periods(day: str) -> list[tuple[str, str, str]]:
    return [(p.cadence, p.start.isoformat(), p.end.isoformat()) for p in P.periods_on(date.fromisoformat(day))]


@pytest.mark.parametrize(
    "day, expected",
    [
        # March has both: the month and the Monday–Sunday week containing the date
        ("2027-03-01", [("monthly", "2027-03-01", "2027-03-31"), ("weekly", "2027-03-01", "2027-03-07")]),
        ("2027-03-31", [("monthly", "2027-03-01", "2027-03-31"), ("weekly", "2027-03-29", "2027-04-04")]),
        # a March date whose week began in February: the week is still Monday–Sunday
        ("2026-03-01", [("monthly", "2026-03-01", "2026-03-31"), ("weekly", "2026-02-23", "2026-03-01")]),
        # the last day of February: monthly only
        ("2027-02-28", [("monthly", "2027-02-01", "2027-02-28")]),
        ("2028-02-29", [("monthly", "2028-02-01", "2028-02-29")]),
        # April–August: weekly only
        ("2027-04-01", [("weekly", "2027-03-29", "2027-04-04")]),
        ("2026-08-31", [("weekly", "2026-08-31", "2026-09-06")]),
        # September and October: none
        ("2026-09-01", []),
        ("2026-10-31", []),
        # November–February: monthly only, across the new year
        ("2026-11-01", [("monthly", "2026-11-01", "2026-11-30")]),
        ("2026-12-31", [("monthly", "2026-12-01", "2026-12-31")]),
        ("2027-01-01", [("monthly", "2027-01-01", "2027-01-31")]),
    ],
)
def test_periods_on_a_date(day, expected):
    assert periods(day) == expected


def test_every_period_contains_its_date_and_weeks_run_monday_to_sunday():
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        for p in P.periods_on(day):
            assert p.start <= day <= p.end
            if p.cadence == "weekly":
                assert p.start.weekday() == 0 and (p.end - p.start).days == 6
            else:
                assert p.start.day == 1 and p.start.month == p.end.month == day.month
        day = date.fromordinal(day.toordinal() + 1)


@pytest.mark.parametrize(
    "start, class_year", [("2026-11-01", 2027), ("2027-03-01", 2027), ("2027-08-30", 2027), ("2026-08-31", 2026)]
)
def test_a_period_reports_on_the_coming_summer_class(start, class_year):
    assert ReportPeriod("weekly", date.fromisoformat(start), date.fromisoformat(start)).class_year == class_year


def test_deadline_is_the_end_plus_the_grace_days():
    (p,) = P.periods_on(date(2026, 11, 10))
    assert P.deadline(p) == date(2026, 12, 3)


def test_the_cadence_is_data():
    text = """
name = "两周一报"
grace_days = 0
remind_days_before = 1
[[cadences]]
name = "weekly"
period = "week"
months = [9, 10]
"""
    policy = parse_policy(text)
    assert [p.cadence for p in policy.periods_on(date(2026, 9, 15))] == ["weekly"]
    assert policy.periods_on(date(2026, 3, 15)) == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("grace_days = 3\nremind_days_before = 1\n", "no cadences"),
        (
            "grace_days = 3\nremind_days_before = 1\n[[cadences]]\nname='x'\nperiod='day'\nmonths=[1]\n",
            "period must be",
        ),
        (
            "grace_days = 3\nremind_days_before = 1\n[[cadences]]\nname='x'\nperiod='week'\nmonths=[13]\n",
            "months must be",
        ),
        ("grace_days = -1\nremind_days_before = 1\n[[cadences]]\nname='x'\nperiod='week'\nmonths=[1]\n", "grace_days"),
        (
            "grace_days = 3\nremind_days_before = 1\n[[cadences]]\nname='x'\nperiod='week'\nmonths=[1]\n"
            "[[cadences]]\nname='x'\nperiod='month'\nmonths=[2]\n",
            "used twice",
        ),
        ("grace_days = ", "Invalid|Expected|expected"),
    ],
)
def test_a_bad_cadence_file_is_refused(text, message):
    with pytest.raises(StatisticsPolicyError, match=message):
        parse_policy(text)


def test_the_thirteen_destination_categories():
    cats = categories()
    assert [c.label for c in cats] == [
        "签就业协议形式就业",
        "签劳动合同形式就业",
        "其他录用形式就业",
        "科研助理、管理助理",
        "应征义务兵",
        "国家基层项目",
        "地方基层项目",
        "自主创业",
        "自由职业",
        "升学",
        "出国、出境",
        "待就业",
        "暂不就业",
    ]
    assert [c.code for c in cats if not c.placed] == ["seeking", "not_seeking"]


@pytest.mark.parametrize(
    "day, cadences",
    [
        ("2027-03-15", ["monthly", "weekly"]),
        ("2026-09-15", []),
        ("2026-11-30", ["monthly"]),
        ("2027-06-01", ["weekly"]),
    ],
)
def test_cli_prints_the_periods_as_json(runner, day, cadences):
    result = runner.invoke(args=["statistics", "due", "--date", day])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["date"] == day and [r["cadence"] for r in data["reports"]] == cadences
    assert all(set(r) == {"cadence", "start", "end"} for r in data["reports"])


@pytest.mark.parametrize("args", [["--date", "2027-02-30"], ["--date", "tomorrow"], ["--date", "2027-03-01\x00"]])
def test_cli_refuses_a_bad_date(runner, args):
    result = runner.invoke(args=["statistics", "due", *args])
    assert result.exit_code == 2 and "expected YYYY-MM-DD" in result.output


def test_cli_takes_another_policy(runner, tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text(
        'grace_days = 1\nremind_days_before = 1\n[[cadences]]\nname = "weekly"\nperiod = "week"\nmonths = [9]\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["statistics", "due", "--date", "2026-09-15", "--policy", str(policy)])
    assert json.loads(result.output)["reports"] == [{"cadence": "weekly", "start": "2026-09-14", "end": "2026-09-20"}]
