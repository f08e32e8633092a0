"""Helpers shared by the CLI commands of every domain."""

from __future__ import annotations

import sys

import click


def finish_import(report) -> None:
    """End an import command: its summary when every row was written, else each error on stderr and exit 2."""
    if report.ok:
        click.echo(report.summary())
        return
    for line in report.lines():
        click.echo(line, err=True)
    sys.exit(2)
