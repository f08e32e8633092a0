"""One verdict rule everywhere (issue 14 item 3) and the evidence rule on the season grid and province table."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
import time_machine

from recruit.compliance.engine import season_months, season_weeks
from recruit.compliance.policy import DEFAULT_POLICY_FILE, load_policy
from recruit.extensions import db
from recruit.fairs.models import FairCheckin, FairRegistration

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)  # Friday 2026-11-27, 10:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen(app):
    from recruit.compliance.holidays import sync_from_chinesecalendar

    sync_from_chinesecalendar({2026})
    with time_machine.travel(NOW, tick=False):
        yield


def _full_autumn(make_fair, university, venue, skip=frozenset()):
    """Fairs for every week and month of 2026-autumn (special on Tuesdays, large on the 3rd)."""
    season = load_policy(DEFAULT_POLICY_FILE).season("2026-autumn")
    today = date(2026, 11, 27)
    fairs = []
    for monday, _ in season_weeks(season):
        day = max(monday + timedelta(days=1), season.start)
        if day not in skip:
            fairs.append(
                make_fair(university=university, venue=venue, day=day, status="held" if day < today else "scheduled")
            )
    for first, _ in season_months(season):
        day = first.replace(day=3)
        fairs.append(
            make_fair(
                university=university,
                venue=venue,
                day=day,
                kind="large",
                start=time(9),
                status="held" if day < today else "scheduled",
            )
        )
    return fairs


def _verdict(page: str) -> str:
    return re.search(r'data-verdict="(\w+)"', page).group(1)


@pytest.mark.parametrize(
    "case, verdict, label, symbol",
    [
        ("all", "met", "达标", "✓"),
        ("cancel_future", "at_risk", "有风险", "!"),
        ("missing_past", "missed", "未达标", "✗"),
    ],
)
def test_headline_and_province_follow_one_rule(
    client, auth, make_user, make_university, make_venue, make_fair, case, verdict, label, symbol
):
    university = make_university(code="GZU", name="贵州大学")
    venue = make_venue(university=university)
    skip = {date(2026, 11, 17)} if case == "missing_past" else set()
    fairs = _full_autumn(make_fair, university, venue, skip)
    if case == "cancel_future":
        future = next(f for f in fairs if f.kind == "special" and f.local_date == date(2026, 12, 8))
        future.status = "cancelled"
        db.session.commit()
    auth.login(make_user("organizer", university=university))
    page = client.get("/compliance/season?season=2026-autumn").get_data(as_text=True)
    summary = page[
        page.index('data-testid="season-summary"') : page.index(
            "</section>", page.index('data-testid="season-summary"')
        )
    ]
    assert _verdict(summary) == verdict
    assert f"verdict-{verdict}" in page and f"status-{verdict}" in summary
    assert f">{symbol}</span> {label}</strong>" in summary
    others = {"达标", "有风险", "未达标"} - {label}
    assert not any(f"</span> {o}</strong>" in summary for o in others)
    auth.logout()
    auth.login(make_user("admin"))
    province = client.get("/compliance/province?season=2026-autumn").get_data(as_text=True)
    row = province[province.index("贵州大学") :]
    row = row[: row.index("</tr>")]
    assert f'data-verdict="{verdict}"' in row and f"status-{verdict}" in row and f"</span> {label}</span>" in row


def test_evidence_policy_shows_verified_and_below_fairs(
    app, client, auth, make_user, make_university, make_venue, make_fair, make_employer, tmp_path
):
    policy = tmp_path / "policy.toml"
    policy.write_text(
        DEFAULT_POLICY_FILE.read_text(encoding="utf-8").replace(
            "min_checked_in_employers = 0", "min_checked_in_employers = 2"
        ),
        encoding="utf-8",
    )
    app.config["COMPLIANCE_POLICY_FILE"] = str(policy)
    university = make_university(code="GZU", name="贵州大学")
    venue = make_venue(university=university)
    verified = make_fair(university=university, venue=venue, day=date(2026, 11, 17), status="held")
    thin = make_fair(university=university, venue=venue, day=date(2026, 11, 10), status="held")
    for fair, n in ((verified, 2), (thin, 1)):
        for _ in range(n):
            reg = FairRegistration(fair=fair, employer=make_employer(), status="approved", booth_number=1)
            db.session.add(reg)
            db.session.flush()
            db.session.add(FairCheckin(fair_id=fair.id, registration_id=reg.id, via="code"))
    db.session.commit()
    auth.login(make_user("organizer", university=university))
    page = client.get("/compliance/season?season=2026-autumn").get_data(as_text=True)
    assert "签到证据" in page and "至少 2 家" in page
    assert "已核实 1 场，签到不足 1 场" in page
    assert "签到不足，不计入" in page or "签到不足</span>" in page
    assert _verdict(page) == "missed"  # the week of Nov 9 had only a thin fair
    auth.logout()
    auth.login(make_user("admin"))
    province = client.get("/compliance/province?season=2026-autumn").get_data(as_text=True)
    assert "已核实场次" in province and "签到不足场次" in province
    csv = client.get("/compliance/province/export?season=2026-autumn&format=csv").get_data().decode("utf-8-sig")
    header, first = csv.splitlines()[:2]
    assert header.endswith("结论,已核实场次,签到不足场次")
    assert first.startswith("GZU") and first.endswith("未达标,1,1")
