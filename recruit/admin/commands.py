"""Bootstrap from the command line (for the operator who installs recruit).

- ``flask --app wsgi accounts create-admin EMAIL``: a province administrator. The password
  comes from ``RECRUIT_ADMIN_PASSWORD`` when set (no prompt: works in scripts), else from a
  prompt. Running it again for the same e-mail says so and changes nothing (exit 0).
- ``flask --app wsgi universities import FILE``: create or update universities from CSV/XLSX,
  all or nothing; exit status 2 with a report of every bad row (on stderr) when refused.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from recruit.core.cli import finish_import
from recruit.admin import importer, services
from recruit.core.errors import ServiceError

accounts_cli = AppGroup("accounts", help="账号管理：创建省教育厅管理员。")
universities_cli = AppGroup("universities", help="高校名录：从 CSV/XLSX 导入（全部成功或全部不写入）。")


@accounts_cli.command("create-admin")
@click.argument("email")
@click.option("--name", "display_name", default="", help="显示名称（默认“省教育厅管理员”）。")
def create_admin_command(email: str, display_name: str) -> None:
    """创建省教育厅管理员账号（密码取自 RECRUIT_ADMIN_PASSWORD，未设置时提示输入）。"""
    password = os.environ.get("RECRUIT_ADMIN_PASSWORD")
    if password is None:
        password = click.prompt("密码 Password", hide_input=True, confirmation_prompt=True)
    try:
        user, role = services.create_admin(email, password, display_name)
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(2)
    if user is None:
        if role == "admin":
            click.echo(
                f"{email.strip().lower()} 已是管理员账号，未做任何修改。Already an administrator; nothing changed."
            )
            return
        click.echo(
            f"{email.strip().lower()} 已有其他角色的账号，未做任何修改。This e-mail has another account; nothing changed.",
            err=True,
        )
        sys.exit(2)
    click.echo(f"已创建管理员 {user.email}。Administrator {user.email} created.")


@universities_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_universities_command(file: str) -> None:
    """导入高校名录：按代码新建或更新；任何一行有错则不写入并列出每个错误（退出码 2）。"""
    path = Path(file)
    if path.stat().st_size > importer.MAX_BYTES:
        click.echo(f"文件太大：最多 {importer.MAX_BYTES // (1024 * 1024)} MB。", err=True)
        sys.exit(2)
    report = importer.import_universities(path.read_bytes(), path.name, None)
    finish_import(report)


def register(app: Flask) -> None:
    app.cli.add_command(accounts_cli)
    app.cli.add_command(universities_cli)
