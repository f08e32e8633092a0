"""The audit log: every administrative action, who did it, when, and the record before and after.

Any domain records an entry with :func:`record` inside its own service transaction (the
entry commits or rolls back with the change it describes). Values are JSON-safe snapshots
made with :func:`snapshot`; nothing secret (password hashes, tokens) is ever passed in.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.timeutil import combine_local, utcnow
from recruit.types import UTCDateTime

#: Never copied into an audit entry, whatever the caller passes.
SECRET_FIELDS = frozenset({"password_hash", "feed_token", "token", "token_hash", "password"})


class AuditEntry(db.Model):
    """One administrative action."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: When it happened.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: The acting account (None for the command line or once the account is deleted).
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The actor's e-mail at the time (kept when the account goes), or ``cli``.
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: What was done, a dotted code such as ``university.update`` or ``employer.approve``.
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    #: The kind of record acted on, e.g. ``university``.
    target_type: Mapped[str] = mapped_column(sa.String(40))
    #: The record's id (None for actions on many records, such as an import).
    target_id: Mapped[Optional[int]] = mapped_column()
    #: A human label of the record at the time (its name or e-mail).
    target_label: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The university the record belongs to, when it belongs to one.
    university_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="SET NULL"), index=True
    )
    #: The changed fields before the action (JSON object; empty for a creation).
    before: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The changed fields after the action (JSON object).
    after: Mapped[dict] = mapped_column(sa.JSON, default=dict)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def snapshot(obj, fields: Iterable[str]) -> dict:
    """A JSON-safe dict of ``fields`` of ``obj`` (secret fields left out)."""
    return {name: _json(getattr(obj, name)) for name in fields if name not in SECRET_FIELDS}


def update(
    actor, obj, values: dict, fields: Iterable[str], action: str, target_type: str, *, university_id: int | None = None
) -> AuditEntry:
    """Set ``values`` on ``obj`` (a row with an ``id`` and a ``name``) and :func:`record` the change
    of its ``fields``, labelled by its name as it reads after the change."""
    fields = tuple(fields)
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    return record(
        actor,
        action,
        target_type,
        obj.id,
        label=obj.name,
        before=before,
        after=snapshot(obj, fields),
        university_id=university_id,
    )


def set_active(
    actor, obj, active: bool, action: str, target_type: str, *, label: str, university_id: int | None, **after
) -> bool:
    """Set ``obj.active`` and :func:`record` ``<action>.activate`` or ``<action>.deactivate``
    (``after``: more of what the change did); nothing when it already is so. Whether it changed."""
    if obj.active == active:
        return False
    obj.active = active
    record(
        actor,
        f"{action}.{'activate' if active else 'deactivate'}",
        target_type,
        obj.id,
        label=label,
        university_id=university_id,
        before={"active": not active},
        after={"active": active, **after},
    )
    return True


def record(
    actor,
    action: str,
    target_type: str,
    target_id: int | None = None,
    *,
    label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    university_id: int | None = None,
) -> AuditEntry:
    """Add an entry to the session (the calling service commits it with its change).

    Only the fields that differ are kept when both ``before`` and ``after`` are given.
    """
    before = {k: _json(v) for k, v in (before or {}).items() if k not in SECRET_FIELDS}
    after = {k: _json(v) for k, v in (after or {}).items() if k not in SECRET_FIELDS}
    if before and after:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor_id=actor.id if authenticated else None,
        actor_email=(actor.email if authenticated else "cli")[:254],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=(label or "")[:200],
        university_id=university_id,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def entries(
    *,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    university_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> sa.Select:
    """The filtered log, newest first (the caller paginates)."""
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor:
        query = query.where(AuditEntry.actor_email.contains(actor.lower(), autoescape=True))
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if university_id is not None:
        query = query.where(AuditEntry.university_id == university_id)
    if since is not None:
        query = query.where(AuditEntry.created_at >= combine_local(since, time(0)))
    if until is not None:
        query = query.where(AuditEntry.created_at < combine_local(until + timedelta(days=1), time(0)))
    return query
