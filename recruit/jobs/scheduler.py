"""The scheduler process (``flask --app wsgi scheduler``). Web processes never run jobs.

APScheduler 3.x ``BlockingScheduler`` in Asia/Shanghai with an in-memory job store; each
registered job calls :func:`recruit.jobs.runner.run_job` inside an app context, which takes
the job's lock and records the run. Defaults: ``coalesce=True``, ``max_instances=1``; each
job's ``misfire_grace_time`` is in :mod:`recruit.jobs.registry`.

The job store is in memory, so fire times missed while no scheduler ran are not known to
APScheduler; :func:`catch_up` compares the last fire time of each trigger with the recorded
JobRuns at start-up and runs each missed job once (coalesced) if it is still within its grace.

Manual runs requested from the admin page are queued in ``app_state`` (key
``jobs.request.<name>``) and claimed by the ``_dispatch`` job every few seconds: the delete of
the row is the claim, so with two schedulers only one runs it.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from recruit.core.models import AppState
from recruit.extensions import db
from recruit.jobs import registry
from recruit.jobs.models import JobRun
from recruit.jobs.runner import run_job
from recruit.timeutil import SHANGHAI, utcnow

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1}
REQUEST_PREFIX = "jobs.request."
DISPATCH_SECONDS = 5


def run_in_app(app: Flask, name: str, trigger: str = "schedule") -> None:
    """What APScheduler calls: never raises, so a failing job cannot stop the scheduler."""
    try:
        with app.app_context():
            try:
                run_job(name, trigger)
            finally:
                db.session.remove()
    except Exception:  # noqa: BLE001  (e.g. the database is down: logged, next tick retries)
        log.exception("job %s could not be run or recorded", name)


def request_run(name: str) -> None:
    """Queue a manual run for the scheduler process (used by the admin page)."""
    key = REQUEST_PREFIX + name
    state = db.session.get(AppState, key)
    if state is None:
        db.session.add(AppState(key=key, value=utcnow().isoformat()))
    else:
        state.value = utcnow().isoformat()
    db.session.commit()


def pending_requests() -> list[str]:
    keys = db.session.scalars(sa.select(AppState.key).where(AppState.key.startswith(REQUEST_PREFIX)))
    return [k[len(REQUEST_PREFIX) :] for k in keys]


def claim_requests() -> list[str]:
    """Delete queued manual requests one by one; return the names this process claimed."""
    claimed = []
    for name in pending_requests():
        result = db.session.execute(sa.delete(AppState).where(AppState.key == REQUEST_PREFIX + name))
        db.session.commit()
        if result.rowcount == 1 and registry.get(name) is not None:
            claimed.append(name)
    return claimed


def dispatch(app: Flask) -> None:
    try:
        with app.app_context():
            try:
                names = claim_requests()
            finally:
                db.session.remove()
    except Exception:  # noqa: BLE001
        log.exception("could not read manual job requests")
        return
    for name in names:
        run_in_app(app, name, "manual")


def missed_fire_time(spec: registry.JobSpec, now: datetime, last_started: datetime | None) -> datetime | None:
    """The latest fire time within the grace before ``now`` with no run since, else None."""
    trigger = spec.make_trigger()
    since = now - timedelta(seconds=spec.misfire_grace_time)
    if last_started is not None and last_started >= since:
        since = last_started + timedelta(microseconds=1)  # a fire time at or before the last run is done
    latest = None
    fire = trigger.get_next_fire_time(None, since.astimezone(SHANGHAI))
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest


def catch_up(app: Flask, now: datetime | None = None) -> list[str]:
    """Run once each job whose last fire time was missed (within its grace). Returns the names."""
    ran = []
    with app.app_context():
        now = now or utcnow()
        last = dict(
            db.session.execute(
                sa.select(JobRun.job, sa.func.max(JobRun.started_at))
                .where(JobRun.trigger == "schedule")
                .group_by(JobRun.job)
            ).all()
        )
        db.session.remove()
    for name, spec in registry.JOBS.items():
        if missed_fire_time(spec, now, last.get(name)) is not None:
            log.info("catching up missed run of %s", name)
            run_in_app(app, name, "schedule")
            ran.append(name)
    return ran


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    scheduler = scheduler_class(timezone=SHANGHAI, job_defaults=JOB_DEFAULTS)
    for name, spec in registry.JOBS.items():
        scheduler.add_job(
            run_in_app,
            trigger=spec.make_trigger(),
            args=(app, name),
            id=name,
            name=name,
            misfire_grace_time=spec.misfire_grace_time,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
    scheduler.add_job(
        dispatch,
        trigger=IntervalTrigger(seconds=DISPATCH_SECONDS, timezone=SHANGHAI),
        args=(app,),
        id="_dispatch",
        name="manual requests",
        misfire_grace_time=DISPATCH_SECONDS,
        coalesce=True,
        max_instances=1,
    )
    return scheduler


def serve(app: Flask) -> None:
    """Run the scheduler in the foreground until SIGINT/SIGTERM."""

    def _stop(signum, frame):  # noqa: ARG001
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    # The 5-second dispatch tick would flood the log; runs are recorded in job_runs anyway.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    scheduler = build_scheduler(app)
    catch_up(app)
    log.info("scheduler started: %s", ", ".join(registry.JOBS))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
