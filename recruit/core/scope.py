"""The university-scope rule, written once.

"An organizer sees their own university; the province administrator sees all; nobody
else manages any university's records." Every query over university-owned rows that an
organizer or administrator runs goes through :func:`scope_to_university` (or
:func:`university_condition` inside a larger condition); every check on one loaded object
goes through :func:`can_manage_university`; the university a manager's page works on comes
from :func:`university_for`. Objects outside the scope answer 404, never 403 (the caller
decides with ``abort(404)``).
"""

from __future__ import annotations

import sqlalchemy as sa

from recruit.extensions import db
from recruit.universities.models import University


def _is_admin(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.role == "admin"


def managed_university_id(user) -> int | None:
    """The one university ``user`` manages, or None for an administrator (all) or a non-manager."""
    if user is not None and getattr(user, "is_authenticated", False) and user.role == "organizer":
        return user.university_id
    return None


def can_manage_university(user, university_id: int | None) -> bool:
    """True when ``user`` may manage records of ``university_id``."""
    if university_id is None:
        return False
    return _is_admin(user) or (managed_university_id(user) == university_id)


def university_condition(user, column):
    """The SQL condition "``column`` (a ``university_id`` column) is a university ``user`` manages".

    Administrators: true. Organizers: their own university. Anyone else: false. For use inside
    a larger condition, e.g. ``sa.or_(published, university_condition(user, Fair.university_id))``.
    """
    if _is_admin(user):
        return sa.true()
    university_id = managed_university_id(user)
    return sa.false() if university_id is None else column == university_id


def scope_to_university(query: sa.Select, user, column) -> sa.Select:
    """Restrict ``query`` to the rows of ``column`` (a ``university_id`` column) ``user`` manages.

    Administrators: unchanged. Organizers: their own university. Anyone else: no rows.
    """
    return query if _is_admin(user) else query.where(university_condition(user, column))


def university_for(user, code: str | None = None) -> University | None:
    """The university a manager's page works on: an organizer's own (``code`` is ignored); for an
    administrator the one whose code is ``code`` (None without a code or for an unknown one)."""
    university_id = managed_university_id(user)
    if university_id is not None:
        return db.session.get(University, university_id)
    if _is_admin(user) and code:
        return db.session.scalar(sa.select(University).where(University.code == code.strip()[:20]))
    return None
