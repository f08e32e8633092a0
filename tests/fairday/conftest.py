"""Fixtures of the fair-day tests: a fair on 2026-12-08 with an approved employer and a confirmed graduate."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import time_machine

from recruit.extensions import db
from recruit.fairs.models import FairRegistration, FairSignup

FAIR_DAY = date(2026, 12, 8)
ON_THE_DAY = datetime(2026, 12, 8, 6, 0, tzinfo=timezone.utc)  # 14:00 in Shanghai
DAY_BEFORE = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def day(make_university, make_venue, make_fair, make_employer, make_posting, make_graduate, make_user):
    """A scheduled fair on FAIR_DAY 14:00–17:00 with one approved employer and one confirmed graduate."""
    university = make_university(code="GZU", name="贵州大学")
    venue = make_venue(university=university)
    fair = make_fair(university=university, venue=venue, day=FAIR_DAY, title="计算机专场")
    employer = make_employer(name="黔云科技")
    posting = make_posting(employer=employer, headcount=5)
    registration = FairRegistration(fair=fair, employer=employer, status="approved", booth_number=1)
    registration.postings = [posting]
    db.session.add(registration)
    db.session.commit()
    graduate = make_graduate(university=university, name="李明")
    signup = FairSignup(fair_id=fair.id, graduate_id=graduate.id, status="confirmed")
    db.session.add(signup)
    db.session.commit()
    return {
        "university": university,
        "venue": venue,
        "fair": fair,
        "employer": employer,
        "posting": posting,
        "registration": registration,
        "graduate": graduate,
        "signup": signup,
        "organizer": make_user("organizer", university=university),
        "employer_user": make_user("employer", employer=employer),
        "graduate_user": make_user("graduate", graduate=graduate),
    }


@pytest.fixture
def on_the_day():
    with time_machine.travel(ON_THE_DAY, tick=False):
        yield


@pytest.fixture
def day_before():
    with time_machine.travel(DAY_BEFORE, tick=False):
        yield
