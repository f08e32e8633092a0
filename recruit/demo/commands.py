"""CLI: ``flask --app wsgi demo load [--seed N]`` fills an empty database with demo data."""

from __future__ import annotations

import unicodedata

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from recruit.auth.models import User
from recruit.demo.data import DEMO_PASSWORD, load_demo
from recruit.extensions import db

demo = AppGroup("demo", help="Demo data for trying recruit out (演示数据).")

_COUNT_LABELS = (
    ("universities", "高校 universities"),
    ("venues", "场地 venues"),
    ("employers", "用人单位 employers"),
    ("employers_by_status", "  by status"),
    ("postings", "岗位 postings"),
    ("postings_open", "  open"),
    ("graduates", "毕业生 graduates"),
    ("intentions", "求职意愿 intentions"),
    ("key_group_graduates", "重点群体 key-group graduates"),
    ("fairs", "招聘会 fairs"),
    ("fairs_by_kind", "  by kind"),
    ("fairs_by_status", "  by status"),
    ("registrations", "展位报名 registrations"),
    ("registrations_by_status", "  by status"),
    ("users", "账号 accounts"),
)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _fmt(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


@demo.command("load")
@click.option("--seed", default=2026, show_default=True, type=int, help="Random seed (same seed, same data).")
@click.option(
    "--profile",
    type=click.Choice(["default", "province"]),
    default="default",
    show_default=True,
    help="default: 8 universities; province: about 75 universities at the province's real size.",
)
def load(seed: int, profile: str) -> None:
    """Generate universities, employers, postings, graduates, fairs and demo accounts.

    Does nothing when the database already has a university.
    """

    try:
        result = load_demo(seed=seed, profile=profile)
    except (sa.exc.OperationalError, sa.exc.ProgrammingError) as exc:
        detail = str(exc.orig).strip().splitlines()[0]
        if "no such table" in detail or "does not exist" in detail:
            raise click.ClickException(
                "数据库还没有建表，请先运行 `flask --app wsgi db upgrade`。"
                f" The database has no schema yet: run `flask --app wsgi db upgrade` first. ({detail})"
            ) from exc
        raise click.ClickException(f"数据库错误，演示数据未写入。Database error, nothing was loaded: {detail}") from exc
    if not result["created"]:
        click.echo(result["message"])
        accounts = _existing_demo_accounts()
        if accounts:
            click.echo("")
            _print_accounts(accounts)
        return
    click.echo(f"{result['message']} (seed {result['seed']})")
    click.echo("")
    width = max(_width(label) for _, label in _COUNT_LABELS)
    for key, label in _COUNT_LABELS:
        if key in result["counts"]:
            click.echo(f"  {_pad(label, width)}  {_fmt(result['counts'][key])}")
    click.echo("")
    _print_accounts(result["accounts"])


def _existing_demo_accounts() -> list[dict]:
    """The demo accounts still in the database whose password is still the demo one."""

    users = db.session.scalars(sa.select(User).where(User.email.like("%@recruit.demo")).order_by(User.id)).all()
    checked: dict[str, bool] = {}
    out = []
    for user in users:
        # Accounts share the demo hash; check each distinct hash once (scrypt is slow on purpose).
        if user.password_hash not in checked:
            checked[user.password_hash] = user.check_password(DEMO_PASSWORD)
        if checked[user.password_hash]:
            out.append(
                {"email": user.email, "role": user.role, "password": DEMO_PASSWORD, "display_name": user.display_name}
            )
    return out


def _print_accounts(accounts: list[dict]) -> None:
    email_w = max(len("email"), *(len(a["email"]) for a in accounts))
    role_w = max(len("role"), *(len(a["role"]) for a in accounts))
    click.echo(f"  {'email'.ljust(email_w)}  {'role'.ljust(role_w)}  password   name")
    click.echo(f"  {'-' * email_w}  {'-' * role_w}  ---------  ----")
    for a in accounts:
        click.echo(f"  {a['email'].ljust(email_w)}  {a['role'].ljust(role_w)}  {a['password']}  {a['display_name']}")


def register(app: Flask) -> None:
    """Attach the ``demo`` command group to ``app.cli``."""
    app.cli.add_command(demo)
