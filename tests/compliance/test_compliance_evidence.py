"""The evidence rule ([evidence] min_checked_in_employers): every boundary, the policy file, the CLI, the views."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from recruit.compliance.engine import FairRecord, evaluate, fair_evidence
from recruit.compliance.policy import DEFAULT_POLICY_FILE, PolicyError, load_policy, parse_policy

SH = ZoneInfo("Asia/Shanghai")
POLICY = load_policy(DEFAULT_POLICY_FILE)
N = 3
STRICT = replace(POLICY, min_checked_in_employers=N)
FAIR_DAY = date(2026, 3, 11)  # a Wednesday; its week is 2026-03-09 … 2026-03-15


def record(checked_in: int, day: date = FAIR_DAY, status: str = "scheduled") -> FairRecord:
    starts = datetime(day.year, day.month, day.day, 14, tzinfo=SH)
    return FairRecord(
        id="1",
        university="U",
        kind="special",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status=status,
        checked_in_employers=checked_in,
    )


def week_of(result):
    return next(p for p in result.weeks if p.start == date(2026, 3, 9))


# today relative to the fair: yesterday's fair (today = day after), today's fair, tomorrow's fair (today = day before)
@pytest.mark.parametrize(
    "today, checked_in, status, count, done, below",
    [
        (FAIR_DAY + timedelta(days=1), N - 1, "at_risk", 0, 0, 1),  # past, below N: counts for nothing
        (FAIR_DAY + timedelta(days=1), N, "met", 1, 1, 0),  # past, N: done
        (FAIR_DAY + timedelta(days=5), N - 1, "missed", 0, 0, 1),  # the week is over (Mar 16): missed
        (FAIR_DAY + timedelta(days=5), N, "met", 1, 1, 0),
        (FAIR_DAY, N - 1, "planned", 1, 0, 0),  # today, below N: still planned
        (FAIR_DAY, N, "met", 1, 1, 0),  # today with N check-ins: done
        (FAIR_DAY - timedelta(days=1), N - 1, "planned", 1, 0, 0),  # future: planned whatever the count
        (FAIR_DAY - timedelta(days=1), N, "planned", 1, 0, 0),
    ],
)
def test_evidence_boundaries(today, checked_in, status, count, done, below):
    result = evaluate([record(checked_in)], STRICT.season("2026-spring"), STRICT, today)
    week = week_of(result)
    assert (week.status, week.count, week.done, week.below) == (status, count, done, below)


@pytest.mark.parametrize("offset, checked_in", [(-1, 0), (0, 0), (1, 0), (-1, N - 1)])
def test_without_evidence_every_published_fair_counts(offset, checked_in):
    today = FAIR_DAY + timedelta(days=offset)
    result = evaluate([record(checked_in)], POLICY.season("2026-spring"), POLICY, today)
    week = week_of(result)
    assert week.count == 1 and week.below == 0
    assert week.status == ("planned" if offset < 0 else "met")


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_unpublished_fairs_never_count_even_with_check_ins(status):
    result = evaluate([record(10, status=status)], STRICT.season("2026-spring"), STRICT, FAIR_DAY + timedelta(days=1))
    assert week_of(result).count == 0 and week_of(result).below == 0


def test_held_fair_with_enough_check_ins_is_done():
    result = evaluate([record(N, status="held")], STRICT.season("2026-spring"), STRICT, FAIR_DAY + timedelta(days=2))
    assert week_of(result).status == "met"


@pytest.mark.parametrize(
    "day, checked_in, minimum, expected",
    [
        (date(2026, 1, 1), 0, 0, "done"),
        (date(2026, 1, 3), 0, 0, "planned"),
        (date(2026, 1, 1), 1, 2, "below"),
        (date(2026, 1, 2), 1, 2, "planned"),
        (date(2026, 1, 2), 2, 2, "done"),
        (date(2026, 1, 3), 0, 2, "planned"),
    ],
)
def test_fair_evidence(day, checked_in, minimum, expected):
    assert fair_evidence(day, checked_in, minimum, today=date(2026, 1, 2)) == expected


def _policy_text(evidence: str) -> str:
    return DEFAULT_POLICY_FILE.read_text(encoding="utf-8").split("[evidence]")[0] + evidence


@pytest.mark.parametrize(
    "evidence, expected",
    [
        ("", 0),
        ("[evidence]\n", 0),
        ("[evidence]\nmin_checked_in_employers = 0\n", 0),
        ("[evidence]\nmin_checked_in_employers = 3\n", 3),
    ],
)
def test_policy_reads_the_evidence_table(tmp_path, evidence, expected):
    path = tmp_path / "p.toml"
    path.write_text(_policy_text(evidence), encoding="utf-8")
    assert load_policy(path).min_checked_in_employers == expected


@pytest.mark.parametrize(
    "value, message",
    [
        (-1, "min_checked_in_employers"),
        ("3", "min_checked_in_employers"),
        (True, "min_checked_in_employers"),
        (1.5, "min_checked_in_employers"),
        (10**9, "min_checked_in_employers"),
    ],
)
def test_policy_refuses_bad_evidence_minimums(value, message):
    import tomllib

    data = tomllib.loads(_policy_text(""))
    data["evidence"] = {"min_checked_in_employers": value}
    with pytest.raises(PolicyError, match=message):
        parse_policy(data)


def test_policy_refuses_unknown_evidence_keys():
    import tomllib

    data = tomllib.loads(_policy_text(""))
    data["evidence"] = {"min_checked_in_graduates": 3}
    with pytest.raises(PolicyError, match="unknown key"):
        parse_policy(data)


# --- the CLI ----------------------------------------------------------------------------------


def _fair(id_, day: str, **extra) -> dict:
    return {
        "id": id_,
        "university": "GZU",
        "kind": "special",
        "starts_at": f"{day}T14:00:00+08:00",
        "ends_at": f"{day}T17:00:00+08:00",
        "status": "scheduled",
        "format": "onsite",
        **extra,
    }


def _run(runner, tmp_path, fairs, policy_evidence: str | None, today="2026-03-12"):
    doc = tmp_path / "fairs.json"
    doc.write_text(json.dumps({"fairs": fairs}), encoding="utf-8")
    args = ["compliance", "check", str(doc), "--season", "2026-spring", "--today", today]
    if policy_evidence is not None:
        policy = tmp_path / "policy.toml"
        policy.write_text(_policy_text(policy_evidence), encoding="utf-8")
        args += ["--policy", str(policy)]
    return runner.invoke(args=args)


def test_cli_applies_the_evidence_rule_with_the_same_json_shape(runner, tmp_path):
    fairs = [_fair("a", "2026-03-10", checked_in_employers=2), _fair("b", "2026-03-17")]
    plain = _run(runner, tmp_path, fairs, None)
    strict = _run(runner, tmp_path, fairs, "[evidence]\nmin_checked_in_employers = 3\n")
    assert plain.exit_code == 0 and strict.exit_code == 0, (plain.output, strict.output)
    a, b = json.loads(plain.output), json.loads(strict.output)
    week_a = next(w for w in a["universities"]["GZU"]["weeks"] if w["start"] == "2026-03-09")
    week_b = next(w for w in b["universities"]["GZU"]["weeks"] if w["start"] == "2026-03-09")
    assert week_a == {"start": "2026-03-09", "end": "2026-03-15", "count": 1, "status": "met"}
    assert week_b == {"start": "2026-03-09", "end": "2026-03-15", "count": 0, "status": "at_risk"}
    assert set(a) == set(b) == {"season", "universities"}
    assert set(a["universities"]["GZU"]) == set(b["universities"]["GZU"]) == {"weeks", "months", "compliant"}


def test_cli_counts_a_fair_with_n_check_ins(runner, tmp_path):
    result = _run(
        runner,
        tmp_path,
        [_fair("a", "2026-03-10", checked_in_employers=3)],
        "[evidence]\nmin_checked_in_employers = 3\n",
    )
    week = next(w for w in json.loads(result.output)["universities"]["GZU"]["weeks"] if w["start"] == "2026-03-09")
    assert week["status"] == "met"


@pytest.mark.parametrize("value", [-1, "3", 1.5, True, None])
def test_cli_refuses_bad_checked_in_counts(runner, tmp_path, value):
    result = _run(runner, tmp_path, [_fair("a", "2026-03-10", checked_in_employers=value)], None)
    assert result.exit_code == 2
    assert "checked_in_employers" in result.output


def test_cli_refuses_a_bad_evidence_policy(runner, tmp_path):
    result = _run(runner, tmp_path, [], "[evidence]\nmin_checked_in_employers = -2\n")
    assert result.exit_code == 2 and "min_checked_in_employers" in result.output
