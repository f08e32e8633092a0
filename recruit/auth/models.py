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
    university_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
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

    def can_see_university(self, university_id: int) -> bool:
        """Admins see every university; organizers only their own."""
        return self.role == "admin" or (self.role == "organizer" and self.university_id == university_id)

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
