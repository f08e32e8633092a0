"""Notifications: create (at most once per user and event), list, mark read.

:func:`notify` inserts with ``ON CONFLICT DO NOTHING`` on the unique (user_id, event_key),
so two processes that notice the same event at once still notify each user once. It does
not commit: callers (job bodies, signal handlers, services) own the transaction. E-mail
(when ``MAIL_SERVER`` is set) goes out after that transaction commits, only for rows this
transaction actually inserted.
"""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite

from recruit.auth.models import User
from recruit.core.paging import paginate
from recruit.core.urls import public_base_url
from recruit.extensions import db
from recruit.fairs.models import FairRegistration
from recruit.graduates.models import SavedFair
from recruit.notifications import mail, messages
from recruit.notifications.models import Notification
from recruit.timeutil import utcnow

PAGE_SIZE = 30


def _insert():
    dialect = db.engine.dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Notification.__table__)


def notify(
    users: Iterable[User],
    kind: str,
    event_key: str,
    title: str = "",
    body: str = "",
    link: str = "",
    params: dict | None = None,
    attachments: tuple = (),
) -> list[int]:
    """Notify each of ``users`` of the event ``event_key`` unless already notified.

    With ``params`` the notification is the message of ``kind`` (recruit.notifications.messages):
    shown in the reader's language, and e-mailed in the recipient's (``User.locale``); the
    stored title and body are its Chinese text. ``attachments`` ((filename, content type,
    bytes), ...) go with the e-mail only (e.g. an interview's .ics). Returns the ids of the
    notifications created now (empty on a rerun). Does not commit.
    """
    created: list[int] = []
    seen: set[int] = set()
    settings = mail.MailSettings.from_config(current_app.config)
    base = public_base_url()
    if params is not None:
        with force_locale("zh"):
            title, body = messages.render(kind, params, title, body)
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        stmt = (
            _insert()
            .values(
                user_id=user.id,
                kind=kind,
                event_key=event_key[:200],
                title=title[:200],
                body=body,
                link=link[:500],
                created_at=utcnow(),
                params=params,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "event_key"])
            .returning(Notification.__table__.c.id)
        )
        new_id = db.session.execute(stmt).scalar()
        if new_id is None:
            continue
        created.append(new_id)
        subject, text = title, body
        if params is not None:
            with force_locale(user.locale or "zh"):
                subject, text = messages.render(kind, params, title, body)
        text = text + (f"\n\n{base}{link}" if link else "")
        mail.queue(
            db.session(),
            db.engine,
            settings,
            mail.OutgoingMail(
                notification_id=new_id, to=user.email, subject=subject[:200], body=text, attachments=tuple(attachments)
            ),
        )
    return created


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def list_for(user: User, page: int = 1, unread_only: bool = False) -> tuple[list[Notification], int]:
    """One page of the user's notifications, newest first, and the total."""
    where = [Notification.user_id == user.id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    pages = paginate(
        sa.select(Notification).where(*where).order_by(Notification.created_at.desc(), Notification.id.desc()),
        PAGE_SIZE,
        page,
    )
    return pages.items, pages.total


def get_own_or_none(user: User, notification_id: int) -> Notification | None:
    """The user's notification; ``None`` for a missing one or another user's (shown as 404)."""
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != user.id:
        return None
    return n


def mark_read(user: User, notification_id: int) -> Notification | None:
    n = get_own_or_none(user, notification_id)
    if n is None:
        return None
    if n.read_at is None:
        n.read_at = utcnow()
        db.session.commit()
    return n


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0


# --- recipients -------------------------------------------------------------------------


def admins() -> list[User]:
    return list(
        db.session.scalars(sa.select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id))
    )


def organizers_of(university_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == "organizer", User.university_id == university_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def employer_users(employer_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == "employer", User.employer_id == employer_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def graduate_users(graduate_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == "graduate", User.graduate_id == graduate_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def fair_audience(fair) -> list[User]:
    """Users of employers with an approved booth at ``fair`` and graduates who saved it."""
    employer_ids = sa.select(FairRegistration.employer_id).where(
        FairRegistration.fair_id == fair.id, FairRegistration.status == "approved"
    )
    graduate_ids = sa.select(SavedFair.graduate_id).where(SavedFair.fair_id == fair.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.active.is_(True),
                sa.or_(
                    sa.and_(User.role == "employer", User.employer_id.in_(employer_ids)),
                    sa.and_(User.role == "graduate", User.graduate_id.in_(graduate_ids)),
                ),
            )
            .order_by(User.id)
        )
    )


def path_for(endpoint: str, **values) -> str:
    """An in-app path for ``endpoint`` (works outside a request)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
