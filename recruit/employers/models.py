"""Employers (用人单位) and their postings (用人单位需求库)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.timeutil import today_local, utcnow
from recruit.types import UTCDateTime, enum_check
from recruit.validation import DEGREES

EMPLOYER_STATUSES = ("pending", "approved", "rejected", "suspended")
POSTING_STATUSES = ("open", "closed")
#: Posting review: ``draft`` (its employer is not verified yet), ``pending`` (waiting for a
#: reviewer), ``published`` (graduates see it), ``returned`` (sent back with a reason).
REVIEW_STATUSES = ("draft", "pending", "published", "returned")
#: Fields whose change sends a published posting back to review.
REVIEWED_FIELDS = ("title", "description", "salary_min", "salary_max", "min_degree")
PARTICIPATION_STATUSES = ("approved", "rejected", "suspended")


class Employer(db.Model):
    """An employer. Stays ``pending`` until an admin or organizer approves it."""

    __tablename__ = "employers"
    __table_args__ = (enum_check("status", EMPLOYER_STATUSES, "status_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Registered name.
    name: Mapped[str] = mapped_column(sa.String(100))
    #: 统一社会信用代码, 18 characters, check digit validated (GB 32100-2015).
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    #: Industry, one of :data:`recruit.validation.INDUSTRIES`.
    industry: Mapped[str] = mapped_column(sa.String(60))
    #: City of the employer.
    city: Mapped[str] = mapped_column(sa.String(60))
    #: Contact person.
    contact_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: Contact phone.
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    #: Contact e-mail.
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: Short introduction.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: ``pending`` | ``approved`` | ``rejected``.
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    #: Why the employer was rejected.
    status_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: When the employer was approved or rejected.
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the employer registered.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A trusted employer's postings publish without review (set by a reviewer).
    trusted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Stored file name of the business licence (营业执照) under the instance folder.
    licence_file: Mapped[Optional[str]] = mapped_column(sa.String(80))
    #: Its content type, checked from the content (``application/pdf``, ``image/png``, ``image/jpeg``).
    licence_mime: Mapped[Optional[str]] = mapped_column(sa.String(40))
    #: When the licence was uploaded.
    licence_uploaded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    postings: Mapped[list["Posting"]] = relationship(back_populates="employer", cascade="all, delete-orphan")

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    @classmethod
    def is_verified_clause(cls):
        """SQL twin of :attr:`is_approved`."""
        return cls.status == "approved"

    def __repr__(self) -> str:
        return f"<Employer {self.name}>"


class Posting(db.Model):
    """A position an employer offers."""

    __tablename__ = "postings"
    __table_args__ = (
        enum_check("min_degree", DEGREES, "min_degree_valid"),
        enum_check("status", POSTING_STATUSES, "status_valid"),
        enum_check("review_status", REVIEW_STATUSES, "review_status_valid"),
        sa.CheckConstraint("salary_min >= 0 AND salary_max >= salary_min", name="salary_range"),
        sa.CheckConstraint("headcount > 0", name="headcount_positive"),
        # The natural key of the postings import: one title per employer.
        sa.UniqueConstraint("employer_id", "title", name="uq_postings_employer_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The employer offering the position.
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    #: Position title, e.g. Java后端开发工程师.
    title: Mapped[str] = mapped_column(sa.String(120))
    #: Duties and requirements.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Industry of the position.
    industry: Mapped[str] = mapped_column(sa.String(60))
    #: Majors accepted (empty: any major).
    majors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Minimum degree: 专科 < 本科 < 硕士 < 博士.
    min_degree: Mapped[str] = mapped_column(sa.String(8), default="本科")
    #: Work city.
    city: Mapped[str] = mapped_column(sa.String(60))
    #: Monthly salary range in yuan.
    salary_min: Mapped[int] = mapped_column(default=0)
    salary_max: Mapped[int] = mapped_column(default=0)
    #: Number of people wanted.
    headcount: Mapped[int] = mapped_column(default=1)
    #: Last day (local) to apply; after it the posting closes.
    deadline: Mapped[Optional[date]] = mapped_column(sa.Date)
    #: ``open`` | ``closed``.
    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)
    #: When the posting was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the posting last changed (drives the matching index refresh).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Review state, one of :data:`REVIEW_STATUSES`; only ``published`` postings reach graduates.
    review_status: Mapped[str] = mapped_column(
        sa.String(10), default="published", server_default="published", index=True
    )
    #: Why the reviewer returned the posting.
    review_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: When the posting was last published or returned.
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    employer: Mapped[Employer] = relationship(back_populates="postings")

    # The one visibility rule. Everything that shows a posting to graduates or the public
    # (matching index, matches, feeds, public boards, counts) asks :meth:`is_public` for one
    # loaded posting or :meth:`public_clause` in SQL (join ``Employer``). Keep the two equal.

    def is_public(self, today: date | None = None) -> bool:
        """Open, published after review, of a verified employer, and not past its deadline."""
        today = today or today_local()
        return (
            self.status == "open"
            and self.review_status == "published"
            and self.employer.is_approved
            and (self.deadline is None or self.deadline >= today)
        )

    @classmethod
    def public_clause(cls, today: date | None = None, *, with_deadline: bool = True):
        """SQL twin of :meth:`is_public`; the query must join :class:`Employer`.

        ``with_deadline=False`` leaves the deadline out (the matching index keeps postings
        until the nightly job closes them, and checks the deadline when ranking).
        """
        clauses = [cls.status == "open", cls.review_status == "published", Employer.is_verified_clause()]
        if with_deadline:
            today = today or today_local()
            clauses.append(sa.or_(cls.deadline.is_(None), cls.deadline >= today))
        return sa.and_(*clauses)

    def is_indexable(self) -> bool:
        """May the matching index hold it (:meth:`public_clause` without the deadline)."""
        return self.status == "open" and self.review_status == "published" and self.employer.is_approved

    def is_active(self, today: date | None = None) -> bool:
        """Kept for callers written before posting review: the same as :meth:`is_public`."""
        return self.is_public(today)

    def __repr__(self) -> str:
        return f"<Posting {self.id} {self.title}>"


class Participation(db.Model):
    """One university's own decision on one employer (may it come to our fairs, post to our
    graduates). Independent of the employer's province-wide identity verification and of
    every other university's decision."""

    __tablename__ = "employer_participations"
    __table_args__ = (
        sa.UniqueConstraint("employer_id", "university_id", name="uq_employer_participations_pair"),
        enum_check("status", PARTICIPATION_STATUSES, "status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The employer.
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    #: The deciding university.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: ``approved`` | ``rejected`` | ``suspended``.
    status: Mapped[str] = mapped_column(sa.String(16))
    #: The reason given for a refusal or suspension.
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Who decided (None once that account is deleted).
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When.
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employer: Mapped[Employer] = relationship()
