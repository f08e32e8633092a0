"""Revocable sign-in sessions.

Every login creates a ``user_sessions`` row with a random token; Flask-Login stores
``<user id>.<token>`` (``User.get_id``) in the session cookie and in the remember-me cookie.
On each request the user loader accepts the cookie only while that row exists, has not
expired and the account is active. So:

* logging out deletes the row: a copy of the old session or remember-me cookie is dead;
* a password change or reset deletes every row of the account (every browser is signed out);
* each login has its own token, hence its own remember-me cookie, which lasts
  ``REMEMBER_DAYS`` at most (the row's ``expires_at``), and a session without remember-me
  ends after ``SESSION_IDLE_HOURS`` without a request.

``last_seen_at`` is written at most once a minute per session (the account page lists them).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, request, session
from flask_login import current_user, user_logged_in

from recruit.auth.models import User, UserSession
from recruit.extensions import db, login_manager
from recruit.timeutil import utcnow

TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_IDLE_HOURS"])


def _remember() -> timedelta:
    return timedelta(days=current_app.config["REMEMBER_DAYS"])


def start(user: User, remember: bool, user_agent: str = "", ip: str = "") -> str:
    """A new session row for ``user``; sets and returns ``user.session_token``. The caller commits."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            remember=bool(remember),
            created_at=now,
            last_seen_at=now,
            expires_at=now + (_remember() if remember else _idle()),
            user_agent=(user_agent or "")[:200],
            ip=(ip or "")[:64],
        )
    )
    user.session_token = token
    return token


def end(user: User, session_id: int | None = None) -> int:
    """End one session of ``user`` (by row id) or, with None, every session. The caller commits.
    Returns how many ended."""
    statement = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if session_id is not None:
        statement = statement.where(UserSession.id == session_id)
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def current_row_id(user: User) -> int | None:
    if not user.session_token:
        return None
    return db.session.scalar(sa.select(UserSession.id).where(UserSession.token_hash == token_hash(user.session_token)))


def current_is_remembered(user: User) -> bool:
    if not user.session_token:
        return False
    return bool(
        db.session.scalar(
            sa.select(UserSession.remember).where(UserSession.token_hash == token_hash(user.session_token))
        )
    )


def list_for(user: User) -> list[UserSession]:
    """The user's live sessions, most recently used first."""
    return db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.expires_at > utcnow())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()


def load_user(cookie_id: str) -> User | None:
    """Flask-Login's user loader: ``<user id>.<token>`` of a live session, else nobody."""
    user_id, _, token = (cookie_id or "").partition(".")
    if not token or not user_id.isdigit() or len(user_id) > 18:
        return None
    row = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == token_hash(token), UserSession.user_id == int(user_id))
    )
    now = utcnow()
    if row is None or row.expires_at <= now:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    user.session_token = token
    if now - row.last_seen_at >= TOUCH_EVERY:
        values = {"last_seen_at": now}
        if not row.remember:
            values["expires_at"] = now + _idle()
        g._recruit_session_touch = (row.id, values)
    return user


def _on_login(app, user, **extra) -> None:
    """Every ``login_user`` call gets a session row (routes of other domains included)."""
    if (
        user.session_token
        and session.get("_user_id") == user.get_id()
        and db.session.scalar(sa.select(UserSession.id).where(UserSession.token_hash == token_hash(user.session_token)))
    ):
        return  # signed in again with a live session of this browser: keep it
    start(user, session.get("_remember") == "set", request.user_agent.string, request.remote_addr or "")
    db.session.commit()
    session["_user_id"] = user.get_id()


def _touch() -> None:
    """Load the user before the view runs (so the session is clean) and record the last use."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    touch = g.pop("_recruit_session_touch", None)
    if touch is not None:
        row_id, values = touch
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.id == row_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    app.before_request(_touch)
    user_logged_in.connect(_on_login)  # idempotent: blinker keeps one entry per receiver
