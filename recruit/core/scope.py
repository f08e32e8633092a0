"""The university-scope rule, written once.

"An organizer sees their own university; the province administrator sees all; nobody
else manages any university's records." Every query over university-owned rows that an
organizer or administrator runs goes through :func:`scope_to_university`; every check on
one loaded object goes through :func:`can_manage_university`. Objects outside the scope
answer 404, never 403 (the caller decides with ``abort(404)``).
"""
from __future__ import annotations

import sqlalchemy as sa


def managed_university_id(user) -> int | None:
    """The one university ``user`` manages, or None for an administrator (all) or a non-manager."""
    if user is not None and getattr(user, "is_authenticated", False) and user.role == "organizer":
        return user.university_id
    return None


def can_manage_university(user, university_id: int | None) -> bool:
    """True when ``user`` may manage records of ``university_id``."""
    if user is None or not getattr(user, "is_authenticated", False) or university_id is None:
        return False
    if user.role == "admin":
        return True
    return user.role == "organizer" and user.university_id == university_id


def scope_to_university(query: sa.Select, user, column) -> sa.Select:
    """Restrict ``query`` to the rows of ``column`` (a ``university_id`` column) ``user`` manages.

    Administrators: unchanged. Organizers: their own university. Anyone else: no rows.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return query.where(sa.false())
    if user.role == "admin":
        return query
    if user.role == "organizer" and user.university_id is not None:
        return query.where(column == user.university_id)
    return query.where(sa.false())
