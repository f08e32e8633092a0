"""Organizer invitations: a single-use, expiring link that creates an organizer account."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime


class OrganizerInvitation(db.Model):
    """An invitation of ``email`` to become an organizer of ``university``.

    The link carries a signed token naming this row and a random nonce; only the nonce's
    SHA-256 is stored. Accepting sets ``accepted_at`` with a compare-and-set update, so a
    link works once even when two requests race.
    """

    __tablename__ = "organizer_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The invited e-mail, lower-case.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    #: Name to show for the new account.
    display_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: The university the new organizer will work for.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the link's random nonce.
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Who invited (None once that account is deleted).
    invited_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When the invitation was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: After this the link no longer works.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When it was accepted (the link is then spent).
    accepted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When it was withdrawn by an organizer or the administrator.
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: The account created by accepting.
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    university: Mapped["University"] = relationship()  # noqa: F821

    def state(self, now: datetime | None = None) -> str:
        """``accepted`` | ``revoked`` | ``expired`` | ``open``."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (now or utcnow()):
            return "expired"
        return "open"
