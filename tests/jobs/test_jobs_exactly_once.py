"""Two processes run the same job against one database: each event is notified once.

Real processes (``flask --app wsgi jobs run NAME``) on the test database; on PostgreSQL the
lock is an advisory lock, on SQLite a file lock in JOB_LOCK_DIR. Data is relative to the real
clock because time cannot be frozen across processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from recruit.extensions import db
from recruit.jobs.locks import job_lock
from recruit.jobs.models import JobRun
from recruit.notifications.models import Notification
from recruit.timeutil import local, utcnow

ROOT = Path(__file__).resolve().parents[2]


def _cmd(app, name: str) -> tuple[list[str], dict]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        JOB_LOCK_DIR=app.config["JOB_LOCK_DIR"],
        RECRUIT_ENV="development",
        MAIL_SERVER="",
        FLASK_APP="wsgi",
    )
    flask = str(Path(sys.executable).with_name("flask"))
    return [flask, "--app", "wsgi", "jobs", "run", name], env


def _audience(make_fair, make_employer, make_graduate, make_user):
    from recruit.fairs.models import FairRegistration
    from recruit.graduates.models import SavedFair

    start = local(utcnow() + timedelta(hours=12))
    fair = make_fair(day=start.date(), start=start.time().replace(microsecond=0), title="并发测试专场")
    users = []
    for _ in range(3):
        employer = make_employer()
        db.session.add(FairRegistration(fair=fair, employer=employer, status="approved"))
        db.session.commit()
        users.append(make_user("employer", employer=employer))
        graduate = make_graduate()
        db.session.add(SavedFair(graduate_id=graduate.id, fair_id=fair.id))
        db.session.commit()
        users.append(make_user("graduate", graduate=graduate))
    return fair, users


def test_two_processes_notify_each_event_once(app, make_fair, make_employer, make_graduate, make_user):
    fair, users = _audience(make_fair, make_employer, make_graduate, make_user)
    cmd, env = _cmd(app, "fair_reminders")
    # 1. While another holder has the lock, a process records a skipped run and does nothing.
    with job_lock("fair_reminders") as got:
        assert got
        blocked = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert blocked.returncode == 0, blocked.stderr
    assert "fair_reminders: skipped" in blocked.stdout
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    # 2. Two processes at once: whichever order they get the lock in, one reminder per person.
    procs = [
        subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Notification).where(Notification.kind == "fair_reminder")).all()
    assert sorted(n.user_id for n in rows) == sorted(u.id for u in users)
    runs = db.session.scalars(sa.select(JobRun).where(JobRun.job == "fair_reminders").order_by(JobRun.id)).all()
    assert len(runs) == 3
    assert runs[0].outcome == "skipped"
    assert sorted(r.outcome for r in runs[1:]) in (["skipped", "success"], ["success", "success"])
    assert len({r.runner for r in runs}) == 3  # three different processes
