"""Keep the matching index's data version current: listeners of the domain signals.

Each handler runs inside the sender's transaction (before its commit) and bumps
``matching.data_version`` in :class:`~recruit.core.models.AppState`, and marks the changed
row's ``updated_at`` so the incremental sync of every process picks it up.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app

from recruit import signals
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.matchmaking.index import bump_version, manager
from recruit.timeutil import utcnow


def _changed() -> None:
    bump_version()
    try:
        manager(current_app._get_current_object()).invalidate()
    except RuntimeError:  # no app context (a script): the version alone is enough
        pass


def on_posting_changed(posting, **_kw) -> None:
    posting.updated_at = utcnow()
    _changed()


def on_intention_changed(intention, **_kw) -> None:
    intention.updated_at = utcnow()
    _changed()


def on_employer_changed(employer, **_kw) -> None:
    if employer.id is not None:
        db.session.execute(
            sa.update(Posting)
            .where(Posting.employer_id == employer.id)
            .values(updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    _changed()


def connect(app: Flask) -> None:
    """Connect the listeners (idempotent: blinker keeps one connection per receiver)."""
    signals.posting_changed.connect(on_posting_changed)
    signals.intention_changed.connect(on_intention_changed)
    signals.employer_changed.connect(on_employer_changed)
    manager(app)
