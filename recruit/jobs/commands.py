"""CLI of the jobs domain.

- ``flask --app wsgi scheduler``: the scheduler process (see docs/jobs.md).
- ``flask --app wsgi jobs list``: jobs, schedules, next run times, last outcome.
- ``flask --app wsgi jobs run NAME``: run one job now in this process (lock + run record).
"""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from recruit.jobs import registry
from recruit.jobs.runner import last_runs, run_job
from recruit.jobs.scheduler import serve
from recruit.timeutil import format_datetime, utcnow

jobs_cli = AppGroup("jobs", help="Scheduled jobs: list them, run one now.")


@jobs_cli.command("list")
def list_jobs() -> None:
    """List the jobs with their next run time and last outcome."""

    now = utcnow()
    for name, spec in registry.JOBS.items():
        runs = last_runs(1, job=name)
        last = f"{runs[0].outcome} {format_datetime(runs[0].started_at)}" if runs else "-"
        with force_locale("zh"):
            click.echo(
                f"{name:16} {str(spec.schedule):24} next {format_datetime(spec.next_run_time(now))}  last {last}"
            )


@jobs_cli.command("run")
@click.argument("name")
def run(name: str) -> None:
    """Run job NAME now (exits 1 on error, 2 for an unknown job)."""
    if registry.get(name) is None:
        raise click.UsageError(f"unknown job {name!r}; known: {', '.join(registry.JOBS)}")
    result = run_job(name, trigger="cli")
    click.echo(f"{name}: {result.outcome} {result.detail}".rstrip())
    if result.outcome == "error":
        click.echo(result.error, err=True)
        raise SystemExit(1)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the job scheduler in the foreground (its own process; web processes never run jobs)."""

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    serve(current_app._get_current_object())


def register(app: Flask) -> None:
    """Attach this domain's commands to app.cli."""
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_command)
