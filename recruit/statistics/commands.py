"""CLI: ``flask statistics due --date YYYY-MM-DD`` (the report periods of §15 containing a date)."""

from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from recruit.statistics.policy import StatisticsPolicyError, load_policy
from recruit.timeutil import today_local

statistics_cli = AppGroup("statistics", help="Employment statistics reports (黔教发〔2022〕5号 §15).")


@statistics_cli.command("due")
@click.option("--date", "day", help="Local date YYYY-MM-DD (default: today in Asia/Shanghai).")
@click.option(
    "--policy", "policy_file", help="A cadence TOML file (default: STATISTICS_POLICY_FILE or the shipped one)."
)
def due(day: str | None, policy_file: str | None) -> None:
    """Print, as JSON, the report periods that contain the date."""
    try:
        when = date.fromisoformat(day) if day else today_local()
    except ValueError:
        click.echo(f"error: --date: expected YYYY-MM-DD, got {day!r}", err=True)
        sys.exit(2)
    try:
        policy = load_policy(policy_file or current_app.config.get("STATISTICS_POLICY_FILE"))
    except (OSError, StatisticsPolicyError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    periods = [p.to_dict() for p in policy.periods_on(when)]
    click.echo(json.dumps({"date": when.isoformat(), "reports": periods}, ensure_ascii=False))


def register(app: Flask) -> None:
    app.cli.add_command(statistics_cli)
