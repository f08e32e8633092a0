"""Universities and their venues."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check

#: 办学层次: undergraduate universities and vocational colleges.
UNIVERSITY_LEVELS = ("本科", "高职专科")
#: A venue is indoors, outdoors, or an online hall (a meeting link).
VENUE_SETTINGS = ("indoor", "outdoor", "online")


class University(db.Model):
    """A university (普通高等学校) with its majors and graduate numbers (published per §4)."""

    __tablename__ = "universities"
    __table_args__ = (
        sa.CheckConstraint("graduates_count >= 0", name="graduates_count_nonneg"),
        enum_check("level", UNIVERSITY_LEVELS, "level_valid"),
    )

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
    #: The Ministry of Education's five-digit institution code (院校代码), unique when given.
    moe_code: Mapped[Optional[str]] = mapped_column(sa.String(5), unique=True)
    #: 办学层次: ``本科`` or ``高职专科``.
    level: Mapped[str] = mapped_column(sa.String(8), default="本科", server_default="本科")
    #: Deactivated universities leave public lists and cannot hold new fairs; nothing is deleted.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Graduates per major and degree (§4), a list of ``{"major", "degree", "graduates"}``.
    major_stats: Mapped[list[dict]] = mapped_column(sa.JSON, default=list, server_default="[]")

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
        enum_check("setting", VENUE_SETTINGS, "setting_valid"),
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
    #: Campus (校区), e.g. 花溪校区.
    campus: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    #: ``indoor`` | ``outdoor`` | ``online`` (see :data:`VENUE_SETTINGS`).
    setting: Mapped[str] = mapped_column(sa.String(8), default="indoor", server_default="indoor")
    #: Meeting link of an online venue.
    online_url: Mapped[Optional[str]] = mapped_column(sa.String(500))
    #: Deactivated venues keep their fairs but cannot be booked.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

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
