"""The Chinese statutory holiday calendar, kept as a table and seeded from chinesecalendar."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check


class HolidayYear(db.Model):
    """A year whose official arrangement (holidays and 调休 working days) is known."""

    __tablename__ = "holiday_years"

    #: The year.
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Where the data came from, e.g. ``chinesecalendar 1.11.0``.
    source: Mapped[str] = mapped_column(sa.String(100))
    #: When it was loaded.
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HolidayDay(db.Model):
    """A day that differs from the Monday–Friday rule: a holiday, or a weekend worked (调休)."""

    __tablename__ = "holiday_days"
    __table_args__ = (enum_check("kind", ("holiday", "workday"), "kind_valid"),)

    #: The date.
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    #: ``holiday`` (day off, even on a weekday) or ``workday`` (a weekend day worked).
    kind: Mapped[str] = mapped_column(sa.String(10))
    #: Name of the holiday, e.g. 国庆节.
    name: Mapped[str] = mapped_column(sa.String(60), default="")
