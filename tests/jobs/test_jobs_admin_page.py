"""The admin page: jobs, next run times, last runs, the trigger (queued for the scheduler)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import time_machine

from recruit.extensions import db
from recruit.jobs.models import JobRun
from recruit.jobs.scheduler import dispatch, pending_requests
from recruit.timeutil import SHANGHAI


def test_page_shows_jobs_next_runs_and_last_runs(make_user, client, auth):
    admin = make_user("admin")
    db.session.add(
        JobRun(
            job="status_upkeep",
            started_at=datetime(2026, 9, 14, 9, 5, tzinfo=SHANGHAI),
            finished_at=datetime(2026, 9, 14, 9, 5, 2, tzinfo=SHANGHAI),
            outcome="error",
            detail="RuntimeError: 数据库不可用",
            error="Traceback ...",
        )
    )
    db.session.commit()
    auth.login(admin)
    with time_machine.travel(datetime(2026, 9, 14, 8, 30, tzinfo=SHANGHAI), tick=False):
        page = client.get("/jobs/").get_data(as_text=True)
    assert "服务季频次预警" in page and "2026年9月21日（周一）08:00" in page
    assert "RuntimeError: 数据库不可用" in page and "出错" in page


def test_trigger_queues_for_the_scheduler_which_runs_it_once(app, make_user, client, auth):
    auth.login(make_user("admin"))
    response = client.post("/jobs/holiday_check/run")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0  # the web process ran nothing
    assert pending_requests() == ["holiday_check"]
    assert "已排队" in client.get("/jobs/").get_data(as_text=True)
    dispatch(app)
    dispatch(app)  # claimed once
    runs = db.session.scalars(sa.select(JobRun)).all()
    assert [(r.job, r.trigger, r.outcome) for r in runs] == [("holiday_check", "manual", "success")]
    assert client.post("/jobs/nope/run").status_code == 404


def test_trigger_needs_csrf(app, make_user, client, auth):
    auth.login(make_user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/jobs/holiday_check/run").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert pending_requests() == []
