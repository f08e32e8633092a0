"""CLI commands of the jobs domain."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach this domain's commands to app.cli."""
