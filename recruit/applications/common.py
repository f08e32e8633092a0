"""What the application modules share: messages in the user's language (or Chinese outside a
request), the users to notify, a fair given with an application, a row inserted at most once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale, gettext
from sqlalchemy.exc import IntegrityError

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration


def text(msgid: str, /, **values) -> str:
    """The message in the user's language while serving a request; in Chinese otherwise (CLI, jobs)."""
    if has_request_context():
        return gettext(msgid, **values)
    with force_locale("zh"):  # lazy labels among the values render in Chinese too
        return msgid % {k: v if isinstance(v, (int, float)) else str(v) for k, v in values.items()} if values else msgid


#: Longest cover note or invitation message.
MESSAGE_LIMIT = 1000


def check_fair(fair_id, employer_id: int) -> int | None:
    """A fair id given with an application: kept only if the employer has an approved booth there."""
    if not fair_id:
        return None
    try:
        fair_id = int(fair_id)
    except (TypeError, ValueError):
        return None
    if not 0 < fair_id < 2**31:
        return None
    ok = db.session.scalar(
        sa.select(sa.func.count(FairRegistration.id))
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(
            FairRegistration.fair_id == fair_id,
            FairRegistration.employer_id == employer_id,
            FairRegistration.status == "approved",
            Fair.status.in_(("scheduled", "held")),
        )
    )
    return fair_id if ok else None


def insert_once(row, duplicate: str) -> None:
    """Add and flush ``row``; a unique constraint it breaks (a double submit, a race) rolls back and
    answers ``duplicate`` (409)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(duplicate, status=409) from None
