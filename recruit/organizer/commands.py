"""``flask --app wsgi import graduates FILE [--university CODE]`` and ``import postings FILE``.

Exit status 0 when the file was imported, 2 when it was refused (nothing written; the
report on stderr lists each bad row, column and reason). Progress goes to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from recruit.core.cli import finish_import
from recruit.extensions import db
from recruit.organizer import importers
from recruit.universities.models import University

import_cli = AppGroup("import", help="导入毕业生（含求职意愿）或用人单位岗位（CSV/XLSX，全部成功或全部不写入）。")


def _run(kind: str, path: str, **kw) -> None:
    data = Path(path).read_bytes()
    with click.progressbar(length=1, label=f"导入 {Path(path).name}", file=sys.stderr, show_percent=True) as bar:
        state = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            if done > state["done"]:
                bar.update(done - state["done"])
                state["done"] = done

        if kind == "graduates":
            report = importers.import_graduates(data, path, kw["university"], progress=progress)
        else:
            report = importers.import_postings(data, path, progress=progress)
    finish_import(report)


@import_cli.command("graduates")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--university", "code", help="学校代码（只有一所学校时可省略）。")
def import_graduates_command(file: str, code: str | None) -> None:
    """导入毕业生与求职意愿：按（学校, 学号）新建或更新。"""
    if code:
        university = db.session.scalar(sa.select(University).where(University.code == code))
        if university is None:
            click.echo(f"没有代码为 {code} 的学校。", err=True)
            sys.exit(2)
    else:
        universities = db.session.scalars(sa.select(University).limit(2)).all()
        if len(universities) != 1:
            click.echo("请用 --university 指定学校代码。", err=True)
            sys.exit(2)
        university = universities[0]
    _run("graduates", file, university=university)


@import_cli.command("postings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_postings_command(file: str) -> None:
    """导入用人单位岗位：按（单位, 岗位名称）新建或更新。"""
    _run("postings", file)


def register(app: Flask) -> None:
    """Attach the ``import`` command group to app.cli."""
    app.cli.add_command(import_cli)
