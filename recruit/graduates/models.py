"""Graduates, their job-seeking intentions (毕业生求职意愿库) and key-group case records."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check
from recruit.validation import DEGREES


class Graduate(db.Model):
    """A graduate of one university.

    The key-group flags (low income, ethnic minority, disability; notice §13) are
    sensitive: only the graduate's own university organizers and province admins see them.
    """

    __tablename__ = "graduates"
    __table_args__ = (
        sa.UniqueConstraint("university_id", "student_number", name="uq_graduates_university_student_number"),
        enum_check("degree", DEGREES, "degree_valid"),
        sa.CheckConstraint("graduation_year BETWEEN 2000 AND 2100", name="graduation_year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The graduate's university.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: The college or department (院系) the graduate belongs to (None until the office assigns one).
    college_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("colleges.id", ondelete="SET NULL"), index=True)
    #: Student number, unique within the university.
    student_number: Mapped[str] = mapped_column(sa.String(32))
    #: Full name (never shown to employers unless ``share_contact``).
    name: Mapped[str] = mapped_column(sa.String(100))
    #: Major (专业).
    major: Mapped[str] = mapped_column(sa.String(60))
    #: Degree (学历): 专科 / 本科 / 硕士 / 博士.
    degree: Mapped[str] = mapped_column(sa.String(8))
    #: Year of graduation.
    graduation_year: Mapped[int]
    #: Contact phone (private).
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    #: Contact e-mail (private).
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: Key group: from a low-income family.
    low_income: Mapped[bool] = mapped_column(default=False)
    #: Key group: ethnic minority.
    ethnic_minority: Mapped[bool] = mapped_column(default=False)
    #: Key group: with a disability.
    disability: Mapped[bool] = mapped_column(default=False)
    #: Opted in to be found by employers (major, degree, skills, statement).
    visible_to_employers: Mapped[bool] = mapped_column(default=False)
    #: Agreed that employers may also see name and contact.
    share_contact: Mapped[bool] = mapped_column(default=False)
    #: Confirmed by an organizer (or created by an import).
    confirmed: Mapped[bool] = mapped_column(default=False)
    #: When the record was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: SHA-256 of the activation code the university issued for claiming this record (None: none issued).
    activation_code_hash: Mapped[Optional[str]] = mapped_column(sa.String(64))
    #: When the current activation code was issued.
    activation_code_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Self-registration without a code: the student number the graduate typed, until an
    #: organizer confirms it (the record's own ``student_number`` is a placeholder meanwhile).
    claimed_student_number: Mapped[Optional[str]] = mapped_column(sa.String(32))

    university: Mapped["University"] = relationship()  # noqa: F821
    intention: Mapped[Optional["Intention"]] = relationship(
        back_populates="graduate", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def is_key_group(self) -> bool:
        return self.low_income or self.ethnic_minority or self.disability

    @property
    def key_groups(self) -> list[str]:
        """Labels of the key groups the graduate belongs to, in the user's language."""
        labels = []
        if self.low_income:
            labels.append(gettext("低收入家庭"))
        if self.ethnic_minority:
            labels.append(gettext("少数民族"))
        if self.disability:
            labels.append(gettext("残疾"))
        return labels

    def __repr__(self) -> str:
        return f"<Graduate {self.student_number}>"


class Intention(db.Model):
    """A graduate's job-seeking intention (求职意愿)."""

    __tablename__ = "intentions"
    __table_args__ = (sa.CheckConstraint("salary_expectation >= 0", name="salary_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The graduate (one intention each).
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), unique=True)
    #: Intended industries.
    industries: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Intended positions, e.g. ["Java开发", "数据分析"].
    positions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Intended cities.
    cities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Expected monthly salary in yuan.
    salary_expectation: Mapped[int] = mapped_column(default=0)
    #: Skills, phrases separated by 、 or commas.
    skills: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Free-text statement in the graduate's own words.
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    #: When the intention last changed (drives the matching index refresh).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    graduate: Mapped[Graduate] = relationship(back_populates="intention")


class SavedPosting(db.Model):
    """A posting a graduate saved."""

    __tablename__ = "saved_postings"

    #: The graduate.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), primary_key=True)
    #: The posting.
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    #: When it was saved.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedFair(db.Model):
    """A fair a graduate saved (feeds their calendar and reminders)."""

    __tablename__ = "saved_fairs"

    #: The graduate.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), primary_key=True)
    #: The fair.
    fair_id: Mapped[int] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True)
    #: When it was saved.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseNote(db.Model):
    """An organizer's note in a key-group graduate's case record (一人一档)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The graduate.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), index=True)
    #: The organizer who wrote it.
    author_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: The note.
    body: Mapped[str] = mapped_column(sa.Text)
    #: When it was written.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SchoolRecommendation(db.Model):
    """A posting the school recommends to a graduate (优先推荐): shown first in their matches."""

    __tablename__ = "school_recommendations"
    __table_args__ = (
        sa.UniqueConstraint("graduate_id", "posting_id", name="uq_school_recommendations_graduate_posting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The graduate.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), index=True)
    #: The recommended posting.
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    #: The organizer who recommended it.
    recommended_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Why (shown to the graduate).
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
