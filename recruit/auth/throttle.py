"""Atomic attempt counters for throttling (logins, graduate record claims).

Each counter is one row of ``throttle_buckets``. An attempt is *taken* with a single
``UPDATE ... WHERE count < limit ... RETURNING``: the database serialises concurrent updates
of one row, so N simultaneous attempts can never all read "below the limit" and all go
ahead (the race of a read-count-then-check design). The caller commits right after taking,
before the slow work (the password hash), so the row lock is held for microseconds.

Two kinds of windows:

* fixed (``sliding=False``): the window starts with the first attempt; after ``window``
  the counter starts again. Used per address and per claimed record.
* sliding (``sliding=True``): the counter starts again only after ``window`` without a
  counted attempt; with :func:`slow_down` the bucket also carries ``blocked_until`` (a
  progressive delay instead of a lock-out). Used per account.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from recruit.auth.models import ThrottleBucket
from recruit.extensions import db

T = ThrottleBucket


def clean_key(key: str) -> str:
    """At most 300 characters, no NUL (PostgreSQL text cannot hold one)."""
    return key.replace("\x00", "")[:300]


def _ensure(key: str, now: datetime) -> None:
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(T)
        .values(key=key, count=0, window_start=now, last_at=now, blocked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )


def _stale(window: timedelta, now: datetime, sliding: bool):
    return (T.last_at if sliding else T.window_start) <= now - window


def take(
    key: str,
    limit: int,
    window: timedelta,
    now: datetime,
    *,
    sliding: bool = False,
    hold_from: int | None = None,
    hold: timedelta | None = None,
) -> int | None:
    """Count one attempt unless the limit is reached or the bucket is blocked.

    Returns the new count, or None when refused (nothing counted). With ``hold_from`` and
    ``hold``, an attempt whose count reaches ``hold_from`` also blocks the bucket for ``hold``
    (a provisional block while it is being checked; :func:`slow_down` or :func:`reset` then
    set the real one). The caller commits.
    """
    key = clean_key(key)
    _ensure(key, now)
    stale = _stale(window, now, sliding)
    new_count = sa.case((stale, 1), else_=T.count + 1)
    values = {
        "count": new_count,
        "window_start": sa.case((stale, now), else_=T.window_start),
        "last_at": now,
    }
    if hold_from is not None and hold is not None:
        values["blocked_until"] = sa.case((new_count >= hold_from, now + hold), else_=sa.null())
    statement = (
        sa.update(T)
        .where(T.key == key, sa.or_(stale, T.count < limit), sa.or_(T.blocked_until.is_(None), T.blocked_until <= now))
        .values(**values)
        .returning(T.count)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).scalar()


def slow_down(key: str, count: int, free: int, base: timedelta, cap: timedelta, now: datetime) -> None:
    """After a failure that brought the counter to ``count``: block the bucket for a delay that
    doubles with every failure past ``free`` (``base``, ``2 * base``, ... up to ``cap``).

    Only while the counter is still ``count``: when a later attempt was taken meanwhile, that
    attempt sets the delay (its own ``slow_down``, or the provisional ``hold`` of :func:`take`
    until then). Without this guard a slow early failure (count 1 of 5, delay none) finishing
    after the fifth attempt was taken lifted the fifth's hold, and a sixth guess got a password
    check (6 of 10 simultaneous guesses instead of 5).
    """
    if count < free:
        until = None
    else:
        seconds = min(base.total_seconds() * (2 ** min(count - free, 30)), cap.total_seconds())
        until = now + timedelta(seconds=seconds)
    db.session.execute(
        sa.update(T)
        .where(T.key == clean_key(key), T.count == count)
        .values(blocked_until=until)
        .execution_options(synchronize_session=False)
    )


def release(key: str) -> None:
    """Give back one attempt counted by :func:`take` (a success: it was not a failure).
    Other attempts counted in the bucket stay counted."""
    db.session.execute(
        sa.update(T)
        .where(T.key == clean_key(key), T.count > 0)
        .values(count=T.count - 1)
        .execution_options(synchronize_session=False)
    )


def reset(key: str) -> None:
    """Forget the bucket (a success that proves ownership: the right password, a reset link)."""
    db.session.execute(sa.delete(T).where(T.key == clean_key(key)).execution_options(synchronize_session=False))


def retry_after(key: str, window: timedelta, now: datetime, *, sliding: bool = False) -> int:
    """Seconds until the bucket admits an attempt again (at least 1)."""
    bucket = db.session.get(T, clean_key(key), populate_existing=True)
    if bucket is None:
        return 1
    candidates = []
    if bucket.blocked_until is not None and bucket.blocked_until > now:
        candidates.append((bucket.blocked_until - now).total_seconds())
    start = bucket.last_at if sliding else bucket.window_start
    if start + window > now and not candidates:
        candidates.append((start + window - now).total_seconds())
    return max(1, math.ceil(max(candidates, default=1)))


def purge(now: datetime, older_than: timedelta = timedelta(days=1)) -> None:
    """Forget buckets without an attempt for a day (their windows and delays are long over)."""
    db.session.execute(
        sa.delete(T)
        .where(T.last_at < now - older_than, sa.or_(T.blocked_until.is_(None), T.blocked_until < now))
        .execution_options(synchronize_session=False)
    )
