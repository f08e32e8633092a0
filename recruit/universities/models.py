"""Universities and their venues."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime


class University(db.Model):
    """A university (普通高等学校) with its majors and graduate numbers (published per §4)."""

    __tablename__ = "universities"
    __table_args__ = (sa.CheckConstraint("graduates_count >= 0", name="graduates_count_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short stable code used in URLs and files, e.g. ``GZU``.
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    #: Full Chinese name, e.g. 贵州大学.
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    #: City of the main campus.
    city: Mapped[str] = mapped_column(sa.String(60))
    #: Number of graduates of the current cohort (毕业生规模).
    graduates_count: Mapped[int] = mapped_column(default=0)
    #: Majors offered (专业设置), a list of names.
    majors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Gap planner preference: ISO weekdays (1=Mon) for special fairs, e.g. ``[2, 3, 4]``.
    plan_special_weekdays: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [2, 3, 4])
    #: Gap planner preference: local start time of special fairs, ``HH:MM``.
    plan_special_start: Mapped[str] = mapped_column(sa.String(5), default="14:00")
    #: Gap planner preference: duration of special fairs in minutes.
    plan_special_minutes: Mapped[int] = mapped_column(default=180)
    #: Gap planner preference: ISO weekdays for large fairs (default Saturday).
    plan_large_weekdays: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [6])
    #: Gap planner preference: local start time of large fairs.
    plan_large_start: Mapped[str] = mapped_column(sa.String(5), default="09:00")
    #: Gap planner preference: duration of large fairs in minutes.
    plan_large_minutes: Mapped[int] = mapped_column(default=210)
    #: When the record was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    venues: Mapped[list["Venue"]] = relationship(
        back_populates="university", order_by="Venue.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<University {self.code}>"


class Venue(db.Model):
    """A place where a university holds fairs."""

    __tablename__ = "venues"
    __table_args__ = (
        sa.UniqueConstraint("university_id", "name", name="uq_venues_university_name"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The university that owns the venue.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: Name, e.g. 大学生活动中心一楼.
    name: Mapped[str] = mapped_column(sa.String(100))
    #: Number of booths the venue holds.
    capacity: Mapped[int]
    #: Street address shown in calendars.
    address: Mapped[str] = mapped_column(sa.String(200), default="")

    university: Mapped[University] = relationship(back_populates="venues")

    def __repr__(self) -> str:
        return f"<Venue {self.name}>"


class College(db.Model):
    """A college or department (院系) of a university: graduates belong to one, and an organizer
    scoped to one reviews its graduates' destination records (§15 审核)."""

    __tablename__ = "colleges"
    __table_args__ = (sa.UniqueConstraint("university_id", "name", name="uq_colleges_university_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The university the college belongs to.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: Name, e.g. 计算机科学与技术学院.
    name: Mapped[str] = mapped_column(sa.String(100))
    #: When the record was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    university: Mapped[University] = relationship()

    def __repr__(self) -> str:
        return f"<College {self.name}>"
