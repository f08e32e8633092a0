"""Accounts. Every user has exactly one role."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check

ROLES = ("admin", "organizer", "employer", "graduate")
ROLE_LABELS = {
    "admin": _l("省教育厅管理员"),
    "organizer": _l("高校就业工作人员"),
    "employer": _lp("role", "用人单位"),
    "graduate": _lp("role", "毕业生"),
}
#: Modern password hashing: scrypt (werkzeug's default), parameters explicit.
PASSWORD_METHOD = "scrypt:32768:8:1"


class User(UserMixin, db.Model):
    """A login account: ``admin`` (province), ``organizer`` (one university),
    ``employer`` (one employer) or ``graduate`` (one graduate)."""

    __tablename__ = "users"
    __table_args__ = (
        enum_check("role", ROLES, "role_valid"),
        sa.CheckConstraint(
            "(role = 'admin' AND university_id IS NULL AND employer_id IS NULL AND graduate_id IS NULL)"
            " OR (role = 'organizer' AND university_id IS NOT NULL AND employer_id IS NULL AND graduate_id IS NULL)"
            " OR (role = 'employer' AND employer_id IS NOT NULL AND university_id IS NULL AND graduate_id IS NULL)"
            " OR (role = 'graduate' AND graduate_id IS NOT NULL AND university_id IS NOT NULL AND employer_id IS NULL)",
            name="role_links",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login e-mail, stored lower-case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Password hash (scrypt).
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    #: Name shown in the header.
    display_name: Mapped[str] = mapped_column(sa.String(100))
    #: ``admin`` | ``organizer`` | ``employer`` | ``graduate``.
    role: Mapped[str] = mapped_column(sa.String(16), index=True)
    #: The organizer's (or graduate's) university.
    university_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True
    )
    #: An organizer scoped to one college (院系): reviews that college's destination records (§15);
    #: None for the university's own office.
    college_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("colleges.id", ondelete="SET NULL"), index=True)
    #: The employer account's employer.
    employer_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    #: The graduate account's graduate record.
    graduate_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), unique=True)
    #: Disabled accounts cannot log in.
    active: Mapped[bool] = mapped_column(default=True)
    #: Preferred interface language (``zh`` or ``en``).
    locale: Mapped[str] = mapped_column(sa.String(5), default="zh")
    #: Secret token of the user's private calendar feed (None until generated).
    feed_token: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    #: When the account was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last successful login.
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    university: Mapped[Optional["University"]] = relationship()  # noqa: F821
    employer: Mapped[Optional["Employer"]] = relationship()  # noqa: F821
    graduate: Mapped[Optional["Graduate"]] = relationship()  # noqa: F821

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    #: The secret token of the session this object was loaded for (not a column; see
    #: :mod:`recruit.auth.sessions`). Flask-Login keeps ``get_id()`` in the session cookie
    #: and the remember-me cookie, so both name one revocable ``user_sessions`` row.
    session_token = None

    def get_id(self) -> str:  # type: ignore[override]
        return f"{self.id}.{self.session_token}" if self.session_token else str(self.id)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def regenerate_feed_token(self) -> str:
        """A new 256-bit token; the old private feed URL stops working."""
        self.feed_token = secrets.token_urlsafe(32)
        return self.feed_token

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginAttempt(db.Model):
    """A login attempt, kept for throttling (per account and per address)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The e-mail tried, lower-case.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    #: The client address.
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    #: Whether it succeeded.
    succeeded: Mapped[bool] = mapped_column(default=False)
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class UserSession(db.Model):
    """One signed-in browser of a user (one row per login).

    The session cookie and the remember-me cookie carry ``<user id>.<token>``; only the
    token's SHA-256 is stored. A request is signed in only while its row exists and has not
    expired: logging out deletes the row, a password change deletes every row of the user.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The account.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the secret token carried by the cookies.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Whether the user asked to be remembered (a persistent cookie).
    remember: Mapped[bool] = mapped_column(default=False)
    #: When the user signed in.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last request seen (updated at most once a minute).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the session ends at the latest (idle limit or remember-me lifetime).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: The browser's User-Agent at sign-in (shortened).
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The client address at sign-in.
    ip: Mapped[str] = mapped_column(sa.String(64), default="")


class ThrottleBucket(db.Model):
    """A failure counter for throttling (logins per account and per address, graduate claims).

    Counted with single ``UPDATE ... RETURNING`` statements so that concurrent attempts
    cannot exceed a limit (see :mod:`recruit.auth.throttle`).
    """

    __tablename__ = "throttle_buckets"

    #: What is counted, e.g. ``login:account:a@b.cn`` or ``claim:address:10.0.0.1``.
    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    #: Attempts counted in the current window.
    count: Mapped[int] = mapped_column(default=0)
    #: When the current window started (the first counted attempt).
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The last counted attempt.
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: No attempt is allowed before this (a slow-down), or None.
    blocked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class PendingRegistration(db.Model):
    """A self-registration waiting for its e-mail address to be confirmed.

    Registration answers "we sent a message to this address" whether or not the address
    already has an account (the owner of a taken address gets a notice instead of a link),
    so the form never tells a stranger which addresses are registered. The account is
    created when the link is followed.
    """

    __tablename__ = "pending_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the secret token in the e-mailed link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: ``employer`` | ``graduate``.
    kind: Mapped[str] = mapped_column(sa.String(16))
    #: The address to confirm, lower-case.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    #: The form's values (no password) and the password hash.
    payload: Mapped[dict] = mapped_column(sa.JSON)
    #: When it was asked for.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The link stops working after this.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
