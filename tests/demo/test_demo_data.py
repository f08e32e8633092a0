"""The demo data generator (``flask --app wsgi demo load``).

The data is loaded once for the module (a load takes a couple of seconds) into the suite's
database (SQLite, or PostgreSQL where the venue exclusion constraint checks the schedule too);
the tables are emptied afterwards like the shared ``app`` fixture does. The determinism and CLI
test builds a second, in-memory database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy.orm import selectinload

from config import TestConfig
from recruit import create_app
from recruit.auth.models import User
from recruit.demo import texts
from recruit.demo.base import AUTUMN_GAPS, COMPLIANT, SEASONS
from recruit.demo.data import DEMO_PASSWORD, load_demo
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.graduates.models import Graduate, Intention
from recruit.timeutil import SHANGHAI, local
from recruit.universities.models import University
from recruit.validation import CITIES, DEGREES, INDUSTRIES, is_valid_credit_code

TODAY = date(2026, 11, 27)
SEED = 2026


class MemoryConfig(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def _clear_tables() -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in db.metadata.sorted_tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(scope="module")
def demo(_schema):
    """The suite's database with the demo data of seed 2026 as of 2026-11-27."""
    app = create_app(TestConfig)
    with app.app_context():
        _clear_tables()
        result = load_demo(SEED, today=TODAY)
        yield app, result
        db.session.remove()
        _clear_tables()
        db.engine.dispose()


_EAGER = {
    Posting: lambda: (selectinload(Posting.employer),),
    Graduate: lambda: (selectinload(Graduate.university), selectinload(Graduate.intention)),
    Fair: lambda: (selectinload(Fair.university), selectinload(Fair.venue)),
    FairRegistration: lambda: (
        selectinload(FairRegistration.fair).selectinload(Fair.venue),
        selectinload(FairRegistration.employer),
        selectinload(FairRegistration.postings),
    ),
    University: lambda: (selectinload(University.venues),),
    User: lambda: (selectinload(User.employer), selectinload(User.graduate).selectinload(Graduate.intention)),
}


def _all(model):
    """Every row of ``model`` in id order, with the relationships the tests read loaded eagerly."""
    options = _EAGER.get(model, lambda: ())()
    return db.session.scalars(sa.select(model).options(*options).order_by(model.id)).all()


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _snapshot() -> dict:
    """Everything that should be identical for the same seed, without database ids."""
    return {
        "universities": [
            (
                u.code,
                u.name,
                u.city,
                u.graduates_count,
                tuple(u.majors),
                tuple((v.name, v.capacity, v.address) for v in u.venues),
            )
            for u in _all(University)
        ],
        "employers": [(e.name, e.credit_code, e.industry, e.city, e.status, e.contact_name) for e in _all(Employer)],
        "postings": [
            (
                p.employer.credit_code,
                p.title,
                p.description,
                tuple(p.majors),
                p.min_degree,
                p.city,
                p.salary_min,
                p.salary_max,
                p.headcount,
                p.deadline,
                p.status,
            )
            for p in _all(Posting)
        ],
        "graduates": [
            (
                g.university.code,
                g.student_number,
                g.name,
                g.major,
                g.degree,
                g.graduation_year,
                g.low_income,
                g.ethnic_minority,
                g.disability,
                g.visible_to_employers,
                g.intention.statement if g.intention else None,
            )
            for g in _all(Graduate)
        ],
        "fairs": [
            (
                f.university.code,
                f.kind,
                f.title,
                f.format,
                f.starts_at,
                f.venue.name if f.venue else None,
                f.booth_capacity,
                f.status,
            )
            for f in _all(Fair)
        ],
        "registrations": [
            (
                r.fair.title,
                r.fair.starts_at,
                r.employer.credit_code,
                r.status,
                r.booth_number,
                tuple(sorted(p.title for p in r.postings)),
            )
            for r in _all(FairRegistration)
        ],
        "users": [(u.email, u.role) for u in _all(User)],
    }


def test_counts_are_in_the_expected_ranges(demo):
    _app, result = demo
    assert result["created"] is True
    counts = result["counts"]
    assert _count(University) == counts["universities"] == 8
    assert _count(Employer) == counts["employers"] == 60
    assert _count(Posting) == counts["postings"] == 300
    assert _count(Graduate) == counts["graduates"] == 600
    assert 0.85 * 600 <= _count(Intention) == counts["intentions"] <= 0.95 * 600
    assert 300 <= _count(Fair) == counts["fairs"] <= 600
    assert 1000 <= _count(FairRegistration) == counts["registrations"] <= 6000
    statuses = Counter(e.status for e in _all(Employer))
    assert statuses["approved"] >= 50 and 4 <= statuses["pending"] <= 6 and 1 <= statuses["rejected"] <= 2
    assert all(e.status_reason for e in _all(Employer) if e.status == "rejected")
    fair_statuses = Counter(f.status for f in _all(Fair))
    assert set(fair_statuses) == {"draft", "scheduled", "held", "cancelled"}


def test_credit_codes_are_valid_and_unique(demo):
    codes = [e.credit_code for e in _all(Employer)]
    assert all(is_valid_credit_code(c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert len({e.name for e in _all(Employer)}) == len(codes)


def test_employers_and_postings_are_plausible(demo):
    employers = _all(Employer)
    assert {e.industry for e in employers} <= set(INDUSTRIES)
    assert len({e.industry for e in employers}) >= 14
    assert all(e.city in texts.CITY_DIVISION for e in employers)  # all in Guizhou
    postings = _all(Posting)
    assert all(p.city in CITIES for p in postings)
    assert all(3000 <= p.salary_min <= p.salary_max <= 20000 for p in postings)
    assert all(p.headcount > 0 and p.min_degree in DEGREES for p in postings)
    degrees = Counter(p.min_degree for p in postings)
    assert degrees.most_common(1)[0][0] == "本科"
    past_open = [p for p in postings if p.status == "open" and p.deadline < TODAY]
    assert 1 <= len(past_open) <= 30  # for the nightly upkeep to close
    assert any(p.status == "closed" for p in postings)
    assert all(date(2026, 12, 1) <= p.deadline <= date(2027, 6, 30) for p in postings if p.deadline >= TODAY)
    descriptions = [p.description for p in postings]
    assert len(set(descriptions)) >= 0.95 * len(descriptions)
    assert all(2 <= d.count("。") + d.count("；") <= 8 for d in descriptions)
    assert len({p.title for p in postings}) >= 40


def test_every_university_has_majors_venues_and_graduates_of_its_majors(demo):
    for uni in _all(University):
        assert 8 <= len(uni.majors) <= 20
        assert 2 <= len(uni.venues) <= 4
        assert all(20 <= v.capacity <= 300 and v.address for v in uni.venues)
        assert uni.graduates_count >= 1000
    for g in _all(Graduate):
        assert g.major in g.university.majors
        assert g.graduation_year in (2026, 2027)


def test_no_venue_is_double_booked(demo):
    by_venue = defaultdict(list)
    for fair in _all(Fair):
        if fair.format == "online":
            assert fair.venue_id is None and fair.online_url
        else:
            assert fair.venue_id is not None and fair.venue.university_id == fair.university_id
            if fair.format == "hybrid":
                assert fair.online_url
        if fair.status != "cancelled" and fair.venue_id is not None:
            by_venue[fair.venue_id].append((fair.starts_at, fair.ends_at))
    assert by_venue
    for slots in by_venue.values():
        slots.sort()
        for (_s1, e1), (s2, _e2) in zip(slots, slots[1:]):
            assert e1 <= s2


def test_fairs_follow_the_season_pattern(demo):
    now = datetime.combine(TODAY, time(8), tzinfo=SHANGHAI)
    for fair in _all(Fair):
        start, end = local(fair.starts_at), local(fair.ends_at)
        assert any(s <= start.date() <= e for s, e, _ in SEASONS)
        if fair.kind == "special":
            assert start.isoweekday() in (2, 3, 4) and (start.time(), end.time()) == (time(14), time(17))
        else:
            assert start.isoweekday() == 6 and (start.time(), end.time()) == (time(9), time(12, 30))
        if fair.status == "held":
            assert fair.starts_at < now and fair.revision == 1
        elif fair.status == "scheduled":
            assert fair.starts_at > now and fair.revision == 1
        elif fair.status == "cancelled":
            assert fair.cancel_reason and fair.cancelled_at is not None
        else:
            assert fair.revision == 0
        if fair.venue is not None and fair.status != "cancelled":
            assert fair.booth_capacity <= fair.venue.capacity


def _weeks(start: date, end: date) -> list[date]:
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= end:
        if start <= monday + timedelta(days=3) <= end:
            out.append(monday)
        monday += timedelta(days=7)
    return out


def _coverage(code: str, start: date, end: date) -> tuple[list[date], list[int]]:
    """(weeks without a published special fair, months without a published large fair)."""
    uni = db.session.scalar(sa.select(University).where(University.code == code))
    fairs = [f for f in _all(Fair) if f.university_id == uni.id and f.is_published and start <= f.local_date <= end]
    special_days = [f.local_date for f in fairs if f.kind == "special"]
    large_months = {f.local_date.month for f in fairs if f.kind == "large"}
    weeks = [w for w in _weeks(start, end) if not any(0 <= (d - w).days < 7 for d in special_days)]
    months = [m for m in range(start.month, end.month + 1) if m not in large_months]
    return weeks, months


def test_one_university_complies_and_others_leave_gaps_after_today(demo):
    for start, end, _label in SEASONS:
        assert _coverage(COMPLIANT, start, end) == ([], [])
    autumn_start, autumn_end, _ = SEASONS[1]
    right_after_today = date(2026, 11, 30)
    laggards = 0
    for code, gaps in AUTUMN_GAPS.items():
        weeks, months = _coverage(code, autumn_start, autumn_end)
        assert set(gaps["weeks"]) <= set(weeks)
        assert set(gaps["months"]) <= set(months)
        laggards += right_after_today in weeks
    assert laggards >= 2


def test_registrations_respect_booths_and_approval(demo):
    regs = _all(FairRegistration)
    pairs = [(r.fair_id, r.employer_id) for r in regs]
    assert len(set(pairs)) == len(pairs)
    assert {r.status for r in regs} >= {"pending", "approved", "rejected"}
    assert all(r.employer.status == "approved" for r in regs)
    by_fair = defaultdict(list)
    for r in regs:
        by_fair[r.fair_id].append(r)
        assert all(p.employer_id == r.employer_id for p in r.postings)
        assert r.fair.status in ("held", "scheduled")
    assert any(r.fair.status == "held" for r in regs) and any(r.fair.status == "scheduled" for r in regs)
    for fair_regs in by_fair.values():
        approved = [r for r in fair_regs if r.status == "approved"]
        assert len(approved) <= fair_regs[0].fair.booth_capacity
        booths = [r.booth_number for r in approved]
        assert None not in booths and len(set(booths)) == len(booths)
        assert all(r.booth_number is None for r in fair_regs if r.status != "approved")
    assert sum(len(r.postings) for r in regs) >= len(regs)


def test_graduates_key_groups_visibility_and_intentions(demo):
    graduates = _all(Graduate)
    key_share = sum(g.is_key_group for g in graduates) / len(graduates)
    assert 0.04 <= key_share <= 0.13
    visible_share = sum(g.visible_to_employers for g in graduates) / len(graduates)
    assert 0.6 <= visible_share <= 0.8
    assert 0.9 <= sum(g.confirmed for g in graduates) / len(graduates) < 1
    assert sum(g.graduation_year == 2027 for g in graduates) > 0.7 * len(graduates)
    for g in graduates:
        if g.intention:
            i = g.intention
            assert i.industries and i.positions and i.cities and i.skills and i.salary_expectation > 0
            assert set(i.industries) <= set(INDUSTRIES)
            assert set(i.cities) <= set(CITIES)


def test_statements_are_varied_first_person_and_not_copied_from_postings(demo):
    statements = [i.statement for i in _all(Intention)]
    duplicates = len(statements) - len(set(statements))
    assert duplicates < 0.05 * len(statements)
    assert sum("我" in s for s in statements) > 0.9 * len(statements)
    openings = Counter(s[:6] for s in statements)
    assert openings.most_common(1)[0][1] < 0.3 * len(statements)
    posting_sentences = set()
    for occ in texts.OCCUPATIONS.values():
        posting_sentences.update(occ["duties"])
        posting_sentences.update(occ["needs"])
    assert not any(sentence in s for s in statements for sentence in posting_sentences)


def test_demo_accounts_cover_every_role(demo):
    _app, result = demo
    accounts = {a["email"]: a for a in result["accounts"]}
    assert all(a["password"] == DEMO_PASSWORD for a in accounts.values())
    users = {u.email: u for u in _all(User)}
    assert set(accounts) == set(users)
    assert users["admin@recruit.demo"].role == "admin"
    assert users["admin@recruit.demo"].check_password(DEMO_PASSWORD)
    assert len({u.password_hash for u in users.values()}) == 1  # hashed once
    for uni in _all(University):
        organizer = users[f"{uni.code.lower()}@recruit.demo"]
        assert organizer.role == "organizer" and organizer.university_id == uni.id
    assert users["employer@recruit.demo"].employer.status == "approved"
    assert users["pending@recruit.demo"].employer.status == "pending"
    graduate = users["graduate@recruit.demo"].graduate
    assert (graduate.university.code, graduate.major, graduate.degree) == ("GZU", "计算机科学与技术", "本科")
    assert graduate.intention is not None and graduate.confirmed and graduate.visible_to_employers
    assert users["graduate@recruit.demo"].university_id == graduate.university_id
    assert users["keygroup@recruit.demo"].graduate.is_key_group
    assert users["keygroup@recruit.demo"].graduate.intention is not None


def test_second_load_changes_nothing(demo):
    app, _result = demo
    before = _snapshot()
    again = load_demo(SEED, today=TODAY)
    assert again["created"] is False and "已存在" in again["message"]
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "已存在" in result.output
    # A second `make run` still prints the demo accounts.
    assert "admin@recruit.demo" in result.output and "demo12345" in result.output
    db.session.expire_all()
    assert _snapshot() == before


def test_cli_load_is_deterministic_for_the_same_seed(demo):
    _app, _result = demo
    expected = _snapshot()
    other = create_app(MemoryConfig)
    with other.app_context():
        db.create_all()
        with time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI), tick=False):
            result = other.test_cli_runner().invoke(args=["demo", "load", "--seed", str(SEED)])
        assert result.exit_code == 0, result.output
        assert "admin@recruit.demo" in result.output and "demo12345" in result.output
        assert "600" in result.output
        assert _snapshot() == expected
        db.session.remove()


def test_cli_load_without_schema_says_to_upgrade():
    bare = create_app(MemoryConfig)
    with bare.app_context():
        result = bare.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 1
        assert "db upgrade" in result.output
        db.session.remove()
