"""Constraints live in the database too, not only in forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.graduates.models import Graduate
from recruit.timeutil import utcnow


def _fails(fn):
    with pytest.raises(IntegrityError):
        fn()
        db.session.flush()
    db.session.rollback()


def test_unique_student_number_per_university(make_university, make_graduate):
    university = make_university()
    make_graduate(university=university, student_number="A1")
    make_graduate(student_number="A1")  # another university: fine
    _fails(
        lambda: db.session.add(
            Graduate(
                university_id=university.id,
                student_number="A1",
                name="x",
                major="m",
                degree="本科",
                graduation_year=2027,
            )
        )
    )


def test_unique_credit_code(make_employer):
    first = make_employer()
    _fails(lambda: make_employer(credit_code=first.credit_code))


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "medium"},
        {"status": "published"},
        {"format": "offline"},
        {"ends_at_delta": timedelta(hours=-5)},
        {"format": "online", "online_url": None},
        {"venue": None},
        {"booth_capacity": 0},
    ],
)
def test_fair_check_constraints(make_fair, changes):
    fair = make_fair()
    delta = changes.pop("ends_at_delta", None)
    if delta is not None:
        fair.ends_at = fair.starts_at + delta
    for key, value in changes.items():
        setattr(fair, key, value)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_user_role_links_checked(make_university, password_hash):
    from recruit.auth.models import User

    university = make_university()
    _fails(
        lambda: db.session.add(
            User(email="x@example.com", display_name="x", role="organizer", password_hash=password_hash)
        )
    )
    _fails(
        lambda: db.session.add(
            User(
                email="y@example.com",
                display_name="y",
                role="admin",
                university_id=university.id,
                password_hash=password_hash,
            )
        )
    )


def test_datetimes_come_back_aware_in_utc(make_fair):
    fair = make_fair()
    db.session.expire_all()
    again = db.session.get(Fair, fair.id)
    assert again.starts_at.tzinfo is not None
    assert again.starts_at.utcoffset() == timedelta(0)
    assert again.created_at <= utcnow()


def test_naive_datetime_refused(make_fair):
    fair = make_fair()
    fair.starts_at = fair.starts_at.replace(tzinfo=None)
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()


def test_models_and_migrations_in_step(app):
    """The equivalent of `flask db check`: autogenerate finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
