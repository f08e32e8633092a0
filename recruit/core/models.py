"""Small application-wide state (versions of data the matching index depends on, etc.)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime


class AppState(db.Model):
    """A key/value pair of application state shared by every process."""

    __tablename__ = "app_state"

    #: The key, e.g. ``matching.data_version``.
    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    #: The value as text.
    value: Mapped[str] = mapped_column(sa.Text, default="")
    #: When the value last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
