"""Fairs (招聘会) and employers' booth registrations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.i18n import N_
from recruit.timeutil import local_date, utcnow
from recruit.types import UTCDateTime, enum_check

FAIR_KINDS = ("special", "large")
FAIR_FORMATS = ("onsite", "online", "hybrid")
#: The kinds' and formats' names, defined once: Chinese msgids (translated where shown:
#: ``KIND_LABELS``/``FORMAT_LABELS`` in templates, the fair form's choices; the feeds stay Chinese).
FAIR_KIND_NAMES = {"special": N_("中小型专场招聘会"), "large": N_("大型综合招聘会")}
FAIR_FORMAT_NAMES = {"onsite": N_("线下"), "online": N_("线上"), "hybrid": N_("线上线下结合")}
FAIR_STATUSES = ("draft", "scheduled", "held", "cancelled")
PUBLISHED_STATUSES = ("scheduled", "held")
REGISTRATION_STATUSES = ("pending", "approved", "rejected", "withdrawn")

registration_postings = sa.Table(
    "registration_postings",
    db.metadata,
    sa.Column("registration_id", sa.ForeignKey("fair_registrations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("posting_id", sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
)


class Fair(db.Model):
    """A special (中小型专场) or large (大型综合) recruitment fair of one university."""

    __tablename__ = "fairs"
    __table_args__ = (
        enum_check("kind", FAIR_KINDS, "kind_valid"),
        enum_check("format", FAIR_FORMATS, "format_valid"),
        enum_check("status", FAIR_STATUSES, "status_valid"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        sa.CheckConstraint("format = 'online' OR venue_id IS NOT NULL", name="venue_unless_online"),
        sa.CheckConstraint("format = 'onsite' OR online_url IS NOT NULL", name="url_unless_onsite"),
        sa.CheckConstraint("booth_capacity > 0", name="booth_capacity_positive"),
        sa.CheckConstraint("revision >= 0", name="revision_nonneg"),
        # A venue never holds two overlapping non-cancelled fairs (PostgreSQL enforces it;
        # on SQLite the booking service checks under the database write lock).
        postgresql.ExcludeConstraint(
            (sa.column("venue_id"), "="),
            (sa.func.tstzrange(sa.column("starts_at"), sa.column("ends_at")), "&&"),
            name="no_venue_overlap",
            using="gist",
            where=sa.text("status <> 'cancelled' AND venue_id IS NOT NULL"),
        ).ddl_if(dialect="postgresql"),
        sa.Index("ix_fairs_university_starts", "university_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organizing university.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"))
    #: ``special`` (中小型专场招聘会) or ``large`` (大型综合招聘会).
    kind: Mapped[str] = mapped_column(sa.String(16))
    #: Title shown in lists and calendars.
    title: Mapped[str] = mapped_column(sa.String(120))
    #: ``onsite`` | ``online`` | ``hybrid`` (线下 / 线上 / 线上线下结合).
    format: Mapped[str] = mapped_column(sa.String(16), default="onsite")
    #: Start, timezone-aware (shown in Asia/Shanghai). The fair counts on its local start date.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: End, after the start.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Venue; required unless the fair is online.
    venue_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("venues.id", ondelete="RESTRICT"), index=True)
    #: Online URL; required unless the fair is onsite.
    online_url: Mapped[Optional[str]] = mapped_column(sa.String(500))
    #: Number of employer booths.
    booth_capacity: Mapped[int] = mapped_column(default=30)
    #: Industry focus (free text or one of the priority industries).
    industry_focus: Mapped[str] = mapped_column(sa.String(120), default="")
    #: Description for graduates and employers.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: ``draft`` | ``scheduled`` | ``held`` | ``cancelled``.
    status: Mapped[str] = mapped_column(sa.String(16), default="draft", index=True)
    #: Why the fair was cancelled.
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: When the fair was cancelled.
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Bumped on every change of time, place or status (iCal SEQUENCE).
    revision: Mapped[int] = mapped_column(default=0)
    #: The user who created the fair.
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When the fair was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the fair last changed in any way.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Graduates who may sign up (报名); later sign-ups join the waiting list. None: no limit.
    signup_capacity: Mapped[Optional[int]] = mapped_column(sa.Integer)
    #: Representatives an approved employer may name for its booth.
    max_representatives: Mapped[int] = mapped_column(default=3, server_default="3")
    #: ``manual`` (booked by hand) or ``planner`` (proposed by the gap planner, a draft to review).
    origin: Mapped[str] = mapped_column(sa.String(16), default="manual", server_default="manual")

    university: Mapped["University"] = relationship()  # noqa: F821
    venue: Mapped[Optional["Venue"]] = relationship()  # noqa: F821
    registrations: Mapped[list["FairRegistration"]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="FairRegistration.id"
    )

    @property
    def is_published(self) -> bool:
        """Scheduled or held: visible to the public, counted by the frequency rule."""
        return self.status in PUBLISHED_STATUSES

    @property
    def local_date(self) -> date:
        """The Shanghai date on which the fair starts (the date it counts on)."""
        return local_date(self.starts_at)

    @property
    def approved_registrations(self) -> list["FairRegistration"]:
        return [r for r in self.registrations if r.status == "approved"]

    def bump_revision(self) -> None:
        """Record a change of time, place or status (iCal SEQUENCE)."""
        self.revision = (self.revision or 0) + 1

    def __repr__(self) -> str:
        return f"<Fair {self.id} {self.kind} {self.status}>"


class FairRegistration(db.Model):
    """An employer's request for a booth at a fair."""

    __tablename__ = "fair_registrations"
    __table_args__ = (
        sa.UniqueConstraint("fair_id", "employer_id", name="uq_fair_registrations_fair_employer"),
        enum_check("status", REGISTRATION_STATUSES, "status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The fair.
    fair_id: Mapped[int] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    #: The employer asking for a booth.
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    #: ``pending`` | ``approved`` | ``rejected`` | ``withdrawn``.
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    #: Booth number given on approval.
    booth_number: Mapped[Optional[int]]
    #: Note from the employer.
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Organizer's reason for a rejection.
    decision_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: When the organizer decided.
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the request was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the approved employer confirmed that it will attend.
    attendance_confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    fair: Mapped[Fair] = relationship(back_populates="registrations")
    employer: Mapped["Employer"] = relationship()  # noqa: F821
    postings: Mapped[list["Posting"]] = relationship(secondary=registration_postings)  # noqa: F821

    representatives: Mapped[list["FairRepresentative"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="FairRepresentative.id"
    )
    checkin: Mapped[Optional["FairCheckin"]] = relationship(
        primaryjoin="FairCheckin.registration_id == FairRegistration.id", viewonly=True, uselist=False
    )


SIGNUP_STATUSES = ("confirmed", "waitlisted", "cancelled")
CHECKIN_VIA = ("qr", "code", "online")


class FairRepresentative(db.Model):
    """A person an approved employer sends to its booth."""

    __tablename__ = "fair_representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The employer's (approved) booth registration.
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_registrations.id", ondelete="CASCADE"), index=True)
    #: Full name.
    name: Mapped[str] = mapped_column(sa.String(100))
    #: Mobile phone.
    phone: Mapped[str] = mapped_column(sa.String(30))
    #: When the representative was named.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[FairRegistration] = relationship(back_populates="representatives")


class FairSignup(db.Model):
    """A graduate's sign-up (报名) for a fair: confirmed within the capacity, else waitlisted."""

    __tablename__ = "fair_signups"
    __table_args__ = (
        sa.UniqueConstraint("fair_id", "graduate_id", name="uq_fair_signups_fair_graduate"),
        enum_check("status", SIGNUP_STATUSES, "status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The fair.
    fair_id: Mapped[int] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    #: The graduate.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), index=True)
    #: ``confirmed`` | ``waitlisted`` | ``cancelled``.
    status: Mapped[str] = mapped_column(sa.String(16))
    #: When the graduate (last) signed up: the waiting list's order.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When a waitlisted sign-up moved up to confirmed.
    promoted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the graduate cancelled.
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    fair: Mapped[Fair] = relationship()
    graduate: Mapped["Graduate"] = relationship()  # noqa: F821
    checkin: Mapped[Optional["FairCheckin"]] = relationship(
        primaryjoin="FairCheckin.signup_id == FairSignup.id", viewonly=True, uselist=False
    )


class FairCheckin(db.Model):
    """One person's entry at a fair: an employer's booth registration or a graduate's sign-up.

    Unique per registration and per sign-up: a second scan finds the first check-in.
    """

    __tablename__ = "fair_checkins"
    __table_args__ = (
        enum_check("via", CHECKIN_VIA, "via_valid"),
        sa.CheckConstraint("(registration_id IS NULL) <> (signup_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The fair.
    fair_id: Mapped[int] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    #: The employer's booth registration checked in (or None for a graduate).
    registration_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("fair_registrations.id", ondelete="CASCADE"), unique=True
    )
    #: The graduate's sign-up checked in (or None for an employer).
    signup_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("fair_signups.id", ondelete="CASCADE"), unique=True)
    #: ``qr`` (scanned), ``code`` (short code typed by hand) or ``online`` (entered through the fair's link).
    via: Mapped[str] = mapped_column(sa.String(8))
    #: The organizer who checked the person in (None for an online entry).
    checked_in_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When.
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FairReport(db.Model):
    """The post-fair report (one per fair); its counts are frozen when it is closed."""

    __tablename__ = "fair_reports"

    #: The fair.
    fair_id: Mapped[int] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True)
    #: The organizer's notes.
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: Employers with an approved booth (frozen on close).
    employers_registered: Mapped[Optional[int]]
    #: Employers checked in (frozen on close).
    employers_checked_in: Mapped[Optional[int]]
    #: Graduates signed up, confirmed (frozen on close).
    graduates_signed_up: Mapped[Optional[int]]
    #: Graduates checked in (frozen on close).
    graduates_checked_in: Mapped[Optional[int]]
    #: Distinct postings brought by approved employers (frozen on close).
    postings: Mapped[Optional[int]]
    #: Their total headcount (frozen on close).
    headcount: Mapped[Optional[int]]
    #: Applications made at the fair: filled by the applications feature (None: not recorded).
    applications_at_fair: Mapped[Optional[int]]
    #: Interview invitations made at the fair: filled by the applications feature (None: not recorded).
    invitations_at_fair: Mapped[Optional[int]]
    #: When the report was closed (the fair is then held); None while open.
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Who closed it (None: closed automatically the day after the fair).
    closed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Last change.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FairInvitation(db.Model):
    """An employer invited by the organizer to a fair (the gap planner's matched employers)."""

    __tablename__ = "fair_invitations"

    #: The fair.
    fair_id: Mapped[int] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True)
    #: The employer.
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employers.id", ondelete="CASCADE"), primary_key=True)
    #: Who invited.
    invited_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The exclusion constraint compares venue ids with "=" inside a GiST index.
sa.event.listen(
    Fair.__table__,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
