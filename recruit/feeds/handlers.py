"""Feeds listen to fair and employer changes and invalidate every worker's feed cache."""

from __future__ import annotations

from flask import Flask

from recruit import signals
from recruit.feeds.services import bump_version


def on_fair_changed(sender, **kw) -> None:
    """Any change of a fair (time, place, status, booths) may change a feed."""
    bump_version()


def on_employer_changed(sender, **kw) -> None:
    """Employer names appear in the feeds' descriptions."""
    bump_version()


def connect(app: Flask) -> None:
    """Connect the listeners (idempotent: blinker keeps one connection per receiver)."""
    signals.fair_changed.connect(on_fair_changed)
    signals.employer_changed.connect(on_employer_changed)
