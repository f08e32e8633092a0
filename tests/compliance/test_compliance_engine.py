"""The frequency rule: every boundary of the interpretation, and a property test against a naive version."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recruit.compliance.engine import FairRecord, evaluate, season_weeks
from recruit.compliance.policy import DEFAULT_POLICY_FILE, PolicyError, load_policy, parse_policy

SH = ZoneInfo("Asia/Shanghai")
POLICY = load_policy(DEFAULT_POLICY_FILE)
_ids = iter(range(1, 10**9))


def fair(day: date, kind="special", status="scheduled", hour=14, tz=SH) -> FairRecord:
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
    return FairRecord(
        id=str(next(_ids)),
        university="U",
        kind=kind,
        starts_at=starts,
        status=status,
        ends_at=starts + timedelta(hours=3),
    )


def weeks_of(key: str) -> list[tuple[date, date]]:
    return season_weeks(POLICY.season(key))


def week(result, monday: date):
    return next(p for p in result.weeks if p.start == monday)


def month(result, label: str):
    return next(p for p in result.months if p.label == label)


# --- which weeks and months are required -----------------------------------------------------


def test_season_of_three_days_at_start_is_not_required():
    # 2024-03-01 is a Friday: Feb 26–Mar 3 has 3 season days, its Thursday (Feb 29) is outside.
    assert weeks_of("2024-spring")[0] == (date(2024, 3, 4), date(2024, 3, 10))


def test_week_with_four_season_days_is_required():
    # 2018-03-01 is a Thursday: Feb 26–Mar 4 has 4 season days.
    assert weeks_of("2018-spring")[0] == (date(2018, 2, 26), date(2018, 3, 4))


def test_season_ending_on_a_sunday():
    # 2024-06-30 is a Sunday: the last week is Jun 24–30, fully inside.
    assert weeks_of("2024-spring")[-1] == (date(2024, 6, 24), date(2024, 6, 30))


def test_season_ending_mid_week():
    # 2026-06-30 is a Tuesday: Jun 29–Jul 5 has 2 season days and is not required.
    assert weeks_of("2026-spring")[-1] == (date(2026, 6, 22), date(2026, 6, 28))
    # 2026-12-31 is a Thursday: Dec 28–Jan 3 has 4 season days and is required.
    assert weeks_of("2026-autumn")[-1] == (date(2026, 12, 28), date(2027, 1, 3))


def test_week_across_new_year_counts_only_days_inside_the_season():
    season = POLICY.season("2026-autumn")
    on_new_year = evaluate([fair(date(2027, 1, 1))], season, POLICY, today=date(2027, 1, 10))
    assert week(on_new_year, date(2026, 12, 28)).count == 0
    assert week(on_new_year, date(2026, 12, 28)).status == "missed"
    on_new_years_eve = evaluate([fair(date(2026, 12, 31))], season, POLICY, today=date(2027, 1, 10))
    assert week(on_new_years_eve, date(2026, 12, 28)).status == "met"


def test_season_weeks_and_months_counts():
    season = POLICY.season("2026-spring")
    result = evaluate([], season, POLICY, today=date(2026, 1, 1))
    assert [p.label for p in result.months] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert result.weeks[0].start == date(2026, 3, 2) and len(result.weeks) == 17
    assert all(p.status == "at_risk" for p in result.periods) and not result.compliant


# --- what counts -------------------------------------------------------------------------------


def test_a_fair_counts_on_its_shanghai_date():
    # 2026-03-01T17:00Z is 2 March 01:00 in Shanghai: it counts for the week of Monday 2 March.
    f = FairRecord(
        id="1", university="U", kind="special", status="held", starts_at=datetime(2026, 3, 1, 17, tzinfo=timezone.utc)
    )
    result = evaluate([f], POLICY.season("2026-spring"), POLICY, today=date(2026, 3, 20))
    assert week(result, date(2026, 3, 2)).count == 1
    assert week(result, date(2026, 3, 2)).status == "met"


def test_a_fair_late_on_sunday_utc_counts_on_monday_local():
    f = FairRecord(
        id="1",
        university="U",
        kind="special",
        status="held",
        starts_at=datetime(2026, 3, 8, 16, 30, tzinfo=timezone.utc),
    )  # Mon 9 March 00:30 local
    result = evaluate([f], POLICY.season("2026-spring"), POLICY, today=date(2026, 3, 20))
    assert week(result, date(2026, 3, 2)).count == 0
    assert week(result, date(2026, 3, 9)).count == 1


@pytest.mark.parametrize(
    "status, counted", [("draft", False), ("cancelled", False), ("scheduled", True), ("held", True)]
)
def test_only_published_fairs_count(status, counted):
    result = evaluate(
        [fair(date(2026, 3, 10), status=status)], POLICY.season("2026-spring"), POLICY, today=date(2026, 3, 20)
    )
    assert week(result, date(2026, 3, 9)).status == ("met" if counted else "missed")


def test_a_large_fair_does_not_count_as_the_weeks_special_fair():
    result = evaluate(
        [fair(date(2026, 3, 14), kind="large")], POLICY.season("2026-spring"), POLICY, today=date(2026, 4, 20)
    )
    assert week(result, date(2026, 3, 9)).status == "missed"
    assert month(result, "2026-03").status == "met"


def test_a_fair_outside_the_season_does_not_count_even_in_a_required_week():
    # 2018-spring: the first week Feb 26–Mar 4 is required; a fair on Feb 27 is outside the season.
    result = evaluate([fair(date(2018, 2, 27))], POLICY.season("2018-spring"), POLICY, today=date(2018, 3, 10))
    assert week(result, date(2018, 2, 26)).status == "missed"


# --- statuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fair_day, today, expected",
    [
        (date(2026, 3, 10), date(2026, 3, 10), "met"),  # on today counts as done
        (date(2026, 3, 10), date(2026, 3, 20), "met"),
        (date(2026, 3, 12), date(2026, 3, 10), "planned"),  # only a future scheduled fair
        (None, date(2026, 3, 10), "at_risk"),  # not over, nothing
        (None, date(2026, 3, 15), "at_risk"),  # the last day: not over yet
        (None, date(2026, 3, 16), "missed"),  # over, nothing
        (None, date(2026, 1, 1), "at_risk"),  # not started, nothing
    ],
)
def test_period_statuses(fair_day, today, expected):
    fairs = [fair(fair_day)] if fair_day else []
    result = evaluate(fairs, POLICY.season("2026-spring"), POLICY, today=today)
    assert week(result, date(2026, 3, 9)).status == expected


def test_compliant_when_nothing_missed_or_at_risk():
    season = POLICY.season("2026-spring")
    fairs = [fair(m + timedelta(days=1)) for m, _ in season_weeks(season)]
    fairs += [fair(date(2026, m, 6), kind="large") for m in (3, 4, 5, 6)]
    assert evaluate(fairs, season, POLICY, today=date(2026, 1, 1)).compliant  # all planned
    assert evaluate(fairs, season, POLICY, today=date(2026, 7, 1)).compliant  # all met
    assert not evaluate(fairs[1:], season, POLICY, today=date(2026, 7, 1)).compliant


# --- the policy is data ------------------------------------------------------------------------

TWO_A_WEEK = """
name = "test: two special fairs a week"
counted_statuses = ["scheduled", "held"]
[[seasons]]
name = "spring"
start = "03-01"
end = "06-30"
[kinds]
special = "中小型专场招聘会"
large = "大型综合招聘会"
[[rules]]
kind = "special"
period = "week"
minimum = 2
"""


def test_two_per_week_policy_changes_the_result(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TWO_A_WEEK, encoding="utf-8")
    two = load_policy(path)
    fairs = [fair(date(2026, 3, 10)), fair(date(2026, 3, 17)), fair(date(2026, 3, 18))]
    default = evaluate(fairs, POLICY.season("2026-spring"), POLICY, today=date(2026, 3, 30))
    strict = evaluate(fairs, two.season("2026-spring"), two, today=date(2026, 3, 30))
    assert week(default, date(2026, 3, 9)).status == "met"
    assert week(strict, date(2026, 3, 9)).status == "missed"
    assert week(strict, date(2026, 3, 16)).status == "met"
    assert strict.months == []


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.pop("rules"), "no [[rules]]"),
        (lambda d: d["rules"][0].update(period="fortnight"), "rules[0].period"),
        (lambda d: d["rules"][0].update(minimum=0), "rules[0].minimum"),
        (lambda d: d["rules"][0].update(kind="tiny"), "rules[0].kind"),
        (lambda d: d["seasons"][0].update(end="02-30"), "seasons[0].end"),
        (lambda d: d["seasons"][0].update(start="07-01"), "end before start"),
    ],
)
def test_invalid_policies(mutate, message):
    import tomllib

    data = tomllib.loads(TWO_A_WEEK)
    mutate(data)
    with pytest.raises(PolicyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_policy(data)


@pytest.mark.parametrize("key", ["2026", "spring", "2026-summer", "26-spring"])
def test_unknown_season_names(key):
    with pytest.raises(PolicyError):
        POLICY.season(key)


# --- property test against a deliberately naive day-by-day implementation ----------------------


def naive(fairs, year: int, start: date, end: date, today: date, evidence: int = 0):
    """Walk every day; a week is required when its Thursday is in the season; statuses by hand.

    With an evidence minimum, a fair before today without enough check-ins is simply dropped,
    and a fair on today is done only with enough check-ins (else it waits like a future one).
    """

    def local(f):
        return f.starts_at.astimezone(SH).date()

    def proven(f):
        return evidence == 0 or f.checked_in_employers >= evidence

    counted = [
        f
        for f in fairs
        if f.status in ("scheduled", "held") and start <= local(f) <= end and not (local(f) < today and not proven(f))
    ]
    weeks, months = {}, {}
    day = start - timedelta(days=7)
    while day <= end + timedelta(days=7):
        monday = day - timedelta(days=day.weekday())
        if start <= monday + timedelta(days=3) <= end:
            weeks.setdefault(monday, [])
        if start <= day <= end:
            months.setdefault((day.year, day.month), [])
        day += timedelta(days=1)
    for f in counted:
        d = local(f)
        monday = d - timedelta(days=d.weekday())
        # a fair on today without its check-ins yet counts like a future one
        when = d if d != today or proven(f) else today + timedelta(days=1)
        if f.kind == "special" and monday in weeks:
            weeks[monday].append(when)
        if f.kind == "large":
            months[(d.year, d.month)].append(when)

    def status(days, last):
        if any(d <= today for d in days):
            return "met"
        if days:
            return "planned"
        return "missed" if today > last else "at_risk"

    out_w = [(m, len(v), status(v, min(m + timedelta(days=6), end))) for m, v in sorted(weeks.items())]
    out_m = []
    for (y, mo), v in sorted(months.items()):
        last = date(y + (mo == 12), mo % 12 + 1, 1) - timedelta(days=1)
        out_m.append((f"{y:04d}-{mo:02d}", len(v), status(v, min(last, end))))
    return out_w, out_m


fair_strategy = st.builds(
    lambda day, minute, kind, status, offset, checked_in: FairRecord(
        id="x",
        university="U",
        kind=kind,
        status=status,
        checked_in_employers=checked_in,
        starts_at=datetime.combine(day, datetime.min.time(), tzinfo=timezone(timedelta(hours=offset)))
        + timedelta(minutes=minute),
    ),
    checked_in=st.integers(0, 5),
    day=st.dates(date(2026, 2, 20), date(2027, 1, 8)),
    minute=st.integers(0, 24 * 60 - 1),
    kind=st.sampled_from(["special", "large"]),
    status=st.sampled_from(["draft", "scheduled", "held", "cancelled"]),
    offset=st.sampled_from([0, 8, -5, 14]),
)


@settings(max_examples=150, deadline=None)
@given(
    fairs=st.lists(fair_strategy, max_size=40),
    today=st.dates(date(2026, 2, 1), date(2027, 1, 31)),
    season_name=st.sampled_from(["spring", "autumn"]),
)
def test_engine_agrees_with_the_naive_day_by_day_version(fairs, today, season_name):
    season = POLICY.season(f"2026-{season_name}")
    result = evaluate(fairs, season, POLICY, today)
    weeks, months = naive(fairs, 2026, season.start, season.end, today)
    assert [(p.start, p.count, p.status) for p in result.weeks] == weeks
    assert [(p.label, p.count, p.status) for p in result.months] == months
    assert result.compliant == all(s in ("met", "planned") for *_, s in weeks + months)


EVIDENCE_POLICIES = {n: replace(POLICY, min_checked_in_employers=n) for n in (0, 1, 3)}


@settings(max_examples=200, deadline=None)
@given(
    fairs=st.lists(fair_strategy, max_size=40),
    today=st.dates(date(2026, 2, 1), date(2027, 1, 31)),
    season_name=st.sampled_from(["spring", "autumn"]),
    evidence=st.sampled_from([0, 1, 3]),
)
def test_engine_agrees_with_the_naive_version_under_the_evidence_rule(fairs, today, season_name, evidence):
    policy = EVIDENCE_POLICIES[evidence]
    season = policy.season(f"2026-{season_name}")
    result = evaluate(fairs, season, policy, today)
    weeks, months = naive(fairs, 2026, season.start, season.end, today, evidence)
    assert [(p.start, p.count, p.status) for p in result.weeks] == weeks
    assert [(p.label, p.count, p.status) for p in result.months] == months
    assert result.verdict == (
        "missed"
        if any(s == "missed" for *_, s in weeks + months)
        else "at_risk"
        if any(s == "at_risk" for *_, s in weeks + months)
        else "met"
    )
