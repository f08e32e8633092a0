"""Run one job: take its lock, record the run, never let an exception escape.

Every run leaves a :class:`~recruit.jobs.models.JobRun`: ``success`` with the body's summary,
``skipped`` when another process holds the lock (or the body raises ``JobSkipped``: nothing it
can do), ``error`` with the traceback. Must be called inside an app
context. The body owns its transactions (it commits its work); on error its uncommitted work
is rolled back.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale

from recruit.extensions import db
from recruit.jobs import registry
from recruit.jobs.locks import job_lock
from recruit.jobs.models import JobRun
from recruit.timeutil import today_local, utcnow

log = logging.getLogger(__name__)


class JobSkipped(Exception):
    """Raised by a body that cannot do its work now (recorded as ``skipped`` with the message)."""


class UnknownJob(KeyError):
    pass


@dataclass
class JobContext:
    """What a body gets: the run's start time (aware UTC), local date and trigger."""

    name: str
    now: datetime
    trigger: str

    @property
    def today(self):
        return today_local()


def runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _record(run: JobRun, outcome: str, detail: str = "", error: str = "") -> JobRun:
    run.outcome = outcome
    run.detail = detail
    run.error = error
    run.finished_at = utcnow()
    db.session.add(run)
    db.session.commit()
    return run


def run_job(name: str, trigger: str = "schedule") -> JobRun:
    """Run job ``name`` once in this process (``trigger``: schedule, manual or cli)."""
    spec = registry.get(name)
    if spec is None:
        raise UnknownJob(name)
    with job_lock(name) as acquired:
        run = JobRun(job=name, started_at=utcnow(), trigger=trigger, outcome="running", runner=runner_id())
        if not acquired:
            log.info("job %s skipped: another process holds its lock", name)
            return _record(run, "skipped", "另一进程正在运行此任务（未获得锁）")
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        try:
            body = registry.body_of(spec)
            with force_locale("zh"):
                detail = body(JobContext(name=name, now=run.started_at, trigger=trigger)) or ""
        except JobSkipped as exc:
            db.session.rollback()
            return _record(db.session.get(JobRun, run_id), "skipped", str(exc))
        except Exception as exc:  # noqa: BLE001  (recorded; the scheduler must keep going)
            db.session.rollback()
            log.exception("job %s failed", name)
            error = "".join(traceback.format_exception(exc))[-8000:]
            return _record(db.session.get(JobRun, run_id), "error", f"{type(exc).__name__}: {exc}"[:500], error)
        return _record(db.session.get(JobRun, run_id), "success", str(detail))


def last_runs(limit: int = 50, job: str | None = None) -> list[JobRun]:
    stmt = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    if job:
        stmt = stmt.where(JobRun.job == job)
    return list(db.session.scalars(stmt))
