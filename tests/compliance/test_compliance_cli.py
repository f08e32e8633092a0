"""``flask compliance check|report|plan`` and ``flask holidays sync``."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest


def write(tmp_path, doc) -> str:
    path = tmp_path / "fairs.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def f(
    id_,
    university="GZU",
    kind="special",
    starts="2026-03-10T14:00:00+08:00",
    ends="2026-03-10T17:00:00+08:00",
    status="scheduled",
    fmt="onsite",
):
    return {
        "id": id_,
        "university": university,
        "kind": kind,
        "starts_at": starts,
        "ends_at": ends,
        "status": status,
        "format": fmt,
    }


def test_check_prints_the_documented_json(runner, tmp_path):
    doc = {
        "fairs": [
            f(1),
            f(2, kind="large", starts="2026-03-01T17:00:00Z", ends="2026-03-01T20:00:00Z"),
            f(3, university="GZNU", status="draft"),
        ]
    }
    result = runner.invoke(
        args=["compliance", "check", write(tmp_path, doc), "--season", "2026-spring", "--today", "2026-04-15"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["season"] == "2026-spring" and list(out["universities"]) == ["GZNU", "GZU"]
    gzu = out["universities"]["GZU"]
    assert set(gzu) == {"weeks", "months", "compliant"} and gzu["compliant"] is False
    assert gzu["weeks"][0] == {"start": "2026-03-02", "end": "2026-03-08", "count": 0, "status": "missed"}
    assert gzu["weeks"][1] == {"start": "2026-03-09", "end": "2026-03-15", "count": 1, "status": "met"}
    assert gzu["weeks"][6]["status"] == "at_risk"  # Apr 13–19 contains today
    assert [w["start"] for w in gzu["weeks"]] == sorted(w["start"] for w in gzu["weeks"])
    assert gzu["months"][0] == {"month": "2026-03", "count": 1, "status": "met"}
    assert gzu["months"][1] == {"month": "2026-04", "count": 0, "status": "at_risk"}
    assert out["universities"]["GZNU"]["weeks"][0]["count"] == 0


@pytest.mark.parametrize(
    "doc, message",
    [
        ("{not json", "not valid JSON"),
        ({"items": []}, 'expected an object with a "fairs" list'),
        ({"fairs": [{k: v for k, v in f(7).items() if k != "kind"}]}, "fair 7: missing field 'kind'"),
        ({"fairs": [{k: v for k, v in f(7).items() if k != "ends_at"}]}, "fair 7: missing field 'ends_at'"),
        ({"fairs": [{k: v for k, v in f(7).items() if k != "id"}]}, "fair #1: missing field 'id'"),
        ({"fairs": [f(7, kind="huge")]}, "fair 7: field 'kind': unknown kind 'huge'"),
        ({"fairs": [f(7, status="maybe")]}, "fair 7: field 'status': unknown status 'maybe'"),
        ({"fairs": [f(7, fmt="tv")]}, "fair 7: field 'format': unknown format 'tv'"),
        (
            {"fairs": [f(7, starts="2026-03-10T14:00:00")]},
            "fair 7: field 'starts_at': the time '2026-03-10T14:00:00' has no UTC offset",
        ),
        ({"fairs": [f(7, ends="tomorrow")]}, "fair 7: field 'ends_at': not an ISO 8601 date-time"),
        ({"fairs": [f(7, ends="2026-03-10T13:00:00+08:00")]}, "fair 7: field 'ends_at': must be after starts_at"),
        ({"fairs": [f("a"), f("b", university="")]}, "fair 'b': field 'university'"),
    ],
)
def test_check_bad_files_exit_2_with_one_line(runner, tmp_path, doc, message):
    result = runner.invoke(
        args=["compliance", "check", write(tmp_path, doc), "--season", "2026-spring", "--today", "2026-04-15"]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--season", "2026-summer", "--today", "2026-04-15"], "unknown season 'summer'"),
        (["--season", "2026-spring", "--today", "15.04.2026"], "--today: expected YYYY-MM-DD"),
    ],
)
def test_check_bad_options(runner, tmp_path, args, message):
    result = runner.invoke(args=["compliance", "check", write(tmp_path, {"fairs": []}), *args])
    assert result.exit_code == 2 and message in result.output


def test_check_missing_file(runner, tmp_path):
    result = runner.invoke(args=["compliance", "check", str(tmp_path / "nope.json"), "--season", "2026-spring"])
    assert result.exit_code == 2 and "nope.json" in result.output


def test_two_per_week_policy_file_via_config(app, runner, tmp_path):
    from tests.compliance.test_compliance_engine import TWO_A_WEEK

    policy = tmp_path / "two.toml"
    policy.write_text(TWO_A_WEEK, encoding="utf-8")
    doc = write(tmp_path, {"fairs": [f(1)]})
    args = ["compliance", "check", doc, "--season", "2026-spring", "--today", "2026-04-15"]
    assert json.loads(runner.invoke(args=args).output)["universities"]["GZU"]["weeks"][1]["status"] == "met"
    app.config["COMPLIANCE_POLICY_FILE"] = str(policy)
    out = json.loads(runner.invoke(args=args).output)["universities"]["GZU"]
    assert out["weeks"][1] == {"start": "2026-03-09", "end": "2026-03-15", "count": 1, "status": "missed"}
    assert out["months"] == []


def test_report_from_the_database(runner, make_university, make_fair, tmp_path):
    good = make_university(code="AAA")
    bad = make_university(code="BBB", name='=HYPERLINK("http://x")')
    make_fair(university=good, day=date(2026, 3, 10))
    make_fair(university=good, day=date(2026, 3, 11), status="draft")
    result = runner.invoke(args=["compliance", "report", "--season", "2026-spring", "--today", "2026-03-20"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out["universities"]) == ["AAA", "BBB"]
    assert out["universities"]["AAA"]["weeks"][1]["count"] == 1
    one = json.loads(
        runner.invoke(
            args=["compliance", "report", "--season", "2026-spring", "--university", "BBB", "--today", "2026-03-20"]
        ).output
    )
    assert list(one["universities"]) == ["BBB"]
    unknown = runner.invoke(args=["compliance", "report", "--season", "2026-spring", "--university", "ZZZ"])
    assert unknown.exit_code == 2 and "ZZZ" in unknown.output

    csv_out = runner.invoke(
        args=["compliance", "report", "--season", "2026-spring", "--today", "2026-03-20", "--format", "csv"]
    ).output
    assert "'=HYPERLINK" in csv_out and "\n=HYPERLINK" not in csv_out and ",=HYPERLINK" not in csv_out

    target = tmp_path / "r.xlsx"
    result = runner.invoke(
        args=[
            "compliance",
            "report",
            "--season",
            "2026-spring",
            "--today",
            "2026-03-20",
            "--format",
            "xlsx",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(target.read_bytes())).active
    names = [c.value for c in ws["B"]][1:]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(not str(v).startswith("=") for row in ws.iter_rows() for v in (c.value for c in row) if v is not None)


def test_holidays_sync_and_day_info(app, runner):
    from recruit.compliance.holidays import day_info

    # Not loaded yet (未公布): Monday–Friday, and the holidays fixed by law on solar dates.
    assert day_info(date(2026, 10, 1)) == (False, "国庆节", False)
    assert day_info(date(2026, 10, 8)) == (True, "", False)
    result = runner.invoke(args=["holidays", "sync"])
    assert result.exit_code == 0 and "2004" in result.output and "2026" in result.output
    assert day_info(date(2026, 10, 1)) == (False, "国庆节", True)
    assert day_info(date(2026, 9, 20)) == (True, "国庆节调休上班", True)  # a Sunday worked
    assert day_info(date(2026, 12, 12)) == (False, "周末", True)
    assert day_info(date(2026, 12, 8)) == (True, "", True)
    assert day_info(date(2027, 3, 6)) == (False, "周末", False)  # 2027 not announced
    assert day_info(date(2027, 10, 1)) == (False, "国庆节", False)  # fixed by law before the announcement
    assert day_info(date(2027, 1, 1)) == (False, "元旦", False)
    assert day_info(date(2027, 5, 2)) == (False, "劳动节", False)
    assert day_info(date(2027, 1, 4)) == (True, "", False)
    assert runner.invoke(args=["holidays", "sync"]).exit_code == 0  # idempotent
