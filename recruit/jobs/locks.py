"""One lock per job, shared by every process that may run it.

- PostgreSQL: ``pg_try_advisory_lock(key)`` on a dedicated connection (not the session's:
  the body commits freely while the lock is held), released with ``pg_advisory_unlock`` and
  in any case when that connection closes (a crashed process frees its locks).
- SQLite: a ``filelock`` in ``JOB_LOCK_DIR`` (processes on one host share the file).

Both never wait: a run that cannot get the lock is recorded as ``skipped``.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from filelock import FileLock, Timeout
from flask import current_app

from recruit.extensions import db


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (the same in every process)."""
    digest = hashlib.sha256(f"recruit.jobs:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Yield True when this process holds the lock of job ``name``, False when another does."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        key = advisory_key(name)
        with engine.connect() as conn:
            got = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()  # not "idle in transaction" while the job runs; the lock is session-level
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
        return
    lock_dir = current_app.config["JOB_LOCK_DIR"]
    os.makedirs(lock_dir, exist_ok=True)
    lock = FileLock(os.path.join(lock_dir, f"{name}.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()
