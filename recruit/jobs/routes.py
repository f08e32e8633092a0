"""Routes of the jobs domain: the admin page of scheduled jobs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from recruit.access import access
from recruit.jobs import registry
from recruit.jobs.runner import last_runs
from recruit.jobs.scheduler import pending_requests, request_run
from recruit.timeutil import utcnow

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/")
@access("admin")
def index():
    now = utcnow()
    runs = last_runs(50)
    latest = {}
    for run in runs:
        latest.setdefault(run.job, run)
    jobs = [
        dict(spec=spec, next_run=spec.next_run_time(now), last=latest.get(name)) for name, spec in registry.JOBS.items()
    ]
    return render_template("jobs/index.html", jobs=jobs, runs=runs, pending=set(pending_requests()))


@bp.route("/<name>/run", methods=["POST"])
@access("admin")
def trigger(name: str):
    spec = registry.get(name)
    if spec is None:
        abort(404)
    # The web process never runs a job: it queues the request for the scheduler process.
    request_run(name)
    flash(_("已请求运行“%(label)s”，调度进程将在几秒内执行；刷新本页查看结果。", label=spec.label), "success")
    return redirect(url_for("jobs.index"))
