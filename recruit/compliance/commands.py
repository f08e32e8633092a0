"""CLI: ``flask holidays sync`` and ``flask compliance check|report|plan``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from recruit.compliance import export, planner, services
from recruit.compliance.engine import FairsFileError, check_document
from recruit.compliance.holidays import day_info, sync_from_chinesecalendar
from recruit.compliance.policy import PolicyError, current_policy, load_policy
from recruit.compliance.services import evaluate_university
from recruit.core import spreadsheets
from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.timeutil import today_local, utcnow
from recruit.universities.models import University

holidays_cli = AppGroup("holidays", help="The Chinese statutory holiday calendar (节假日与调休).")
compliance_cli = AppGroup("compliance", help="The season frequency check (黔教发〔2022〕5号 §3).")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _parse_day(value: str | None, name: str) -> date:
    if not value:
        return today_local()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--{name}: expected YYYY-MM-DD, got {value!r}")


def _season(policy, key: str | None, today: date):
    try:
        return policy.season(key) if key else policy.season_for(today)
    except PolicyError as error:
        _fail(f"--season: {error}")


def _policy(path: str | None):
    try:
        return load_policy(path) if path else current_policy()
    except PolicyError as error:
        _fail(str(error))


@holidays_cli.command("sync")
def holidays_sync() -> None:
    """Load every year chinesecalendar knows into the holiday table."""
    years = sync_from_chinesecalendar()
    click.echo(
        f"holiday calendar: {len(years)} years loaded ({years[0]}–{years[-1]}); later years fall back to Monday–Friday (未公布)"
    )


@holidays_cli.command("show")
@click.argument("day")
def holidays_show(day: str) -> None:
    """Print one day's status."""
    workday, name, announced = day_info(_parse_day(day, "day"))
    click.echo(json.dumps({"day": day, "workday": workday, "name": name, "announced": announced}, ensure_ascii=False))


@compliance_cli.command("check")
@click.argument("fairs_file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--season", "season_key", required=True, help="e.g. 2026-spring")
@click.option("--today", help="YYYY-MM-DD (default: today in Asia/Shanghai)")
@click.option("--policy", "policy_file", help="policy TOML file (default: COMPLIANCE_POLICY_FILE)")
def check(fairs_file: str, season_key: str, today: str | None, policy_file: str | None) -> None:
    """Evaluate the fairs in FAIRS_FILE (JSON) and print the result as JSON."""
    policy = _policy(policy_file)
    day = _parse_day(today, "today")
    season = _season(policy, season_key, day)
    try:
        text = sys.stdin.read() if fairs_file == "-" else Path(fairs_file).read_text(encoding="utf-8")
    except OSError as error:
        _fail(f"{fairs_file}: {error.strerror}")
    except UnicodeDecodeError:
        _fail(f"{fairs_file}: not UTF-8 text")
    try:
        result = check_document(text, season, policy, day)
    except FairsFileError as error:
        _fail(f"{fairs_file}: {error}")
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@compliance_cli.command("report")
@click.option("--season", "season_key", help="e.g. 2026-autumn (default: the current or next season)")
@click.option("--university", "code", help="one university's code")
@click.option("--today", help="YYYY-MM-DD (default: today in Asia/Shanghai)")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), help="file to write (xlsx needs one)")
def report(season_key: str | None, code: str | None, today: str | None, fmt: str, output: str | None) -> None:
    """The check computed from the database, for every university or one."""
    policy = _policy(None)
    day = _parse_day(today, "today")
    season = _season(policy, season_key, day)
    try:
        results = services.evaluate_universities(season, day, code=code, policy=policy)
    except LookupError as error:
        _fail(str(error))
    if fmt == "json":
        text = json.dumps(
            {"season": season.key, "universities": {u.code: r.to_json() for u, r in results}},
            ensure_ascii=False,
            indent=2,
        )
        _write(text.encode(), output)
    elif fmt == "csv":
        _write(spreadsheets.to_csv(export.HEADERS, export.summary_rows(results, day)), output)
    else:
        if not output:
            _fail("--format xlsx needs --output FILE")
        _write(
            spreadsheets.to_xlsx(export.HEADERS, export.summary_rows(results, day), title=season.key, bold_header=True),
            output,
        )


def _write(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data.decode("utf-8-sig"))


@compliance_cli.command("plan")
@click.option("--season", "season_key", required=True, help="e.g. 2026-autumn")
@click.option("--university", "code", required=True, help="the university's code")
@click.option("--today", help="YYYY-MM-DD (default: today in Asia/Shanghai); only for a dry run")
@click.option("--apply", "apply_", is_flag=True, help="publish the proposed fairs")
def plan(season_key: str, code: str, today: str | None, apply_: bool) -> None:
    """Propose a fair for every at-risk period; with --apply, publish them."""

    policy = _policy(None)
    university = db.session.scalar(sa.select(University).where(University.code == code))
    if university is None:
        _fail(f"--university: unknown university code {code!r}")
    if apply_ and today:
        _fail("--today cannot be combined with --apply (fairs are never booked in the past)")
    day = _parse_day(today, "today")
    season = _season(policy, season_key, day)
    now = utcnow() if not today else None
    result = planner.plan(university, season, policy, today=day, now=now)
    out = {
        "season": season.key,
        "university": code,
        "proposals": [p.to_json() for p in result.proposals],
        "unresolved": [u.to_json() for u in result.unresolved],
    }
    if apply_ and result.proposals:
        try:
            fairs = planner.apply(university, result.proposals)
        except ServiceError as error:
            _fail(error.message)
        out["created"] = [f.id for f in fairs]
        out["compliant"] = evaluate_university(university, season, day, policy).compliant
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    if result.unresolved:
        sys.exit(1)


def register(app: Flask) -> None:
    """Attach this domain's commands to app.cli."""
    app.cli.add_command(holidays_cli)
    app.cli.add_command(compliance_cli)
