"""Bookings' write lock and their commits: a lost race (a unique or exclusion violation) is a 409.

Used by the fair services and the booth registrations.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.universities.models import Venue

VENUE_TAKEN = "该场地在此时间段已被占用"
CONFLICT = "保存失败：数据与已有记录冲突，请检查后重试。"


def write_lock(venue_ids=()) -> None:
    """Serialise bookings before reading what we are about to check.

    SQLite serialises writers: ``BEGIN IMMEDIATE`` makes the overlap check and the insert
    one critical section (other writers wait, see busy_timeout). PostgreSQL: the exclusion
    constraint ``no_venue_overlap`` decides; a row lock on the venues (in id order) queues
    concurrent bookings of one venue so they fail cleanly instead of deadlocking.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        ids = sorted({i for i in venue_ids if i})
        if ids:
            db.session.execute(sa.select(Venue.id).where(Venue.id.in_(ids)).order_by(Venue.id).with_for_update())
        return
    raw = db.session.connection().connection.driver_connection
    if not raw.in_transaction:
        db.session.execute(sa.text("BEGIN IMMEDIATE"))


def is_exclusion_violation(error: IntegrityError) -> bool:
    orig = getattr(error, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return code == "23P01" or "no_venue_overlap" in str(orig)


def _write(operation, conflict: str) -> None:
    """``operation()`` (the session's commit or flush); a unique or exclusion violation (a lost race)
    rolls back and is a 409: the venue is taken, or ``conflict``."""
    try:
        operation()
    except IntegrityError as error:
        db.session.rollback()
        if is_exclusion_violation(error):
            raise ServiceError(VENUE_TAKEN, "venue_id", status=409) from None
        raise ServiceError(conflict, status=409) from None


def commit(conflict: str = CONFLICT) -> None:
    """Commit; a lost race is a 409 (see :func:`_write`)."""
    _write(db.session.commit, conflict)


def flush(conflict: str = CONFLICT) -> None:
    """Flush; a lost race is a 409 (see :func:`_write`)."""
    _write(db.session.flush, conflict)
