"""Graduate records: confirmation and visibility rules."""
from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from recruit.extensions import db
from recruit.graduates.models import Graduate


def graduates_query_for(user) -> sa.Select:
    """Graduates a user may manage: an organizer's own university, or all for admins."""
    query = sa.select(Graduate)
    if user.role == "organizer":
        query = query.where(Graduate.university_id == user.university_id)
    elif user.role != "admin":
        query = query.where(sa.false())
    return query


def get_managed_graduate(graduate_id: int, user=None) -> Graduate | None:
    """The graduate if ``user`` may manage it, else None (the route answers 404)."""
    user = user or current_user
    return db.session.scalar(graduates_query_for(user).where(Graduate.id == graduate_id))


def confirm_graduate(graduate: Graduate) -> Graduate:
    graduate.confirmed = True
    db.session.commit()
    return graduate
