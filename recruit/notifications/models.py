"""In-app notifications (e-mailed too when SMTP is configured)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.notifications import messages
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime


class Notification(db.Model):
    """A message to one user. ``event_key`` makes every event notify a user at most once."""

    __tablename__ = "notifications"
    __table_args__ = (sa.UniqueConstraint("user_id", "event_key", name="uq_notifications_user_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The recipient.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Kind, e.g. ``frequency_watch``, ``fair_reminder``, ``fair_cancelled``.
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: Key of the event, e.g. ``fair_reminder:12:rev3``; unique per user.
    event_key: Mapped[str] = mapped_column(sa.String(200))
    #: Title.
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Body text.
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: Parameters of the kind's message (``None`` for a text stored in Chinese only): the title and
    #: body are rendered from ``kind`` and these in the reader's language (recruit.notifications.messages).
    params: Mapped[Optional[dict]] = mapped_column(sa.JSON)
    #: Link inside the app.
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    #: When it was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: When the user marked it read.
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the e-mail was sent (None: not sent or no SMTP).
    emailed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    def rendered(self) -> tuple[str, str]:
        """(title, body) in the current language; the stored text when the kind has no message."""
        return messages.render(self.kind, self.params, self.title, self.body)
