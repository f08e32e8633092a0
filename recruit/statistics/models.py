"""Employment statistics (§15): destination records with their three-level review, submitted
reports (frozen snapshots with revisions), the province's verification samples (核查) and each
university's full-time employment officers (§19)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check

#: pending (待采集: filled by the graduate or being entered) → collected (已采集, by staff) →
#: reviewed (已审核, by the college) → verified (已复核, by the university); returned (已退回) goes
#: back to pending when corrected. Only ``verified`` records count in the employment rate.
RECORD_STATUSES = ("pending", "collected", "reviewed", "verified", "returned")
#: What the province's check of a sampled record found.
VERDICTS = ("unchecked", "confirmed", "falsified", "unverifiable")
#: The province's decision on 一票否决 for a sample.
VETO_DECISIONS = ("none", "applied", "not_applied")


class DestinationRecord(db.Model):
    """A graduate's destination (毕业去向登记): one per graduate."""

    __tablename__ = "destination_records"
    __table_args__ = (enum_check("status", RECORD_STATUSES, "status_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The graduate (one record each).
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), unique=True)
    #: The graduate's university (denormalised for the scope rule and the counts).
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: Destination category code (categories.toml: data, checked by the service, not the schema).
    category: Mapped[str] = mapped_column(sa.String(32))
    #: Employer, or school for further study.
    organisation: Mapped[str] = mapped_column(sa.String(100), default="")
    #: City of the job or school.
    city: Mapped[str] = mapped_column(sa.String(60), default="")
    #: Industry of the job (for the quality report), free text.
    industry: Mapped[str] = mapped_column(sa.String(60), default="")
    #: Date of the contract, offer or admission.
    destination_date: Mapped[Optional[date]] = mapped_column(sa.Date)
    #: Stored evidence file name under the instance folder (never a path from the user).
    evidence_file: Mapped[str] = mapped_column(sa.String(64), default="")
    #: Evidence content type (application/pdf, image/png, image/jpeg).
    evidence_type: Mapped[str] = mapped_column(sa.String(32), default="")
    #: Review status (RECORD_STATUSES).
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    #: Why the record was returned (when ``returned``).
    returned_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Who filled it in last (graduate or staff) and when.
    filled_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: 采集: who and when.
    collected_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    collected_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: 审核 (college): who and when.
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: 复核 (university): who and when.
    verified_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Bumped on every change (compare-and-set of review steps).
    version: Mapped[int] = mapped_column(default=1)

    graduate: Mapped["Graduate"] = relationship()  # noqa: F821
    events: Mapped[list["DestinationEvent"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="DestinationEvent.id"
    )

    @property
    def counts(self) -> bool:
        """Only records re-reviewed by the university count in the employment rate."""
        return self.status == "verified"


class DestinationEvent(db.Model):
    """One step in a destination record's history (filled, collected, reviewed, verified, returned)."""

    __tablename__ = "destination_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record.
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("destination_records.id", ondelete="CASCADE"), index=True)
    #: filled | collected | reviewed | verified | returned.
    action: Mapped[str] = mapped_column(sa.String(16))
    #: Who did it (None when the account was deleted).
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: The reason of a return, or a note.
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: When.
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[DestinationRecord] = relationship(back_populates="events")
    actor: Mapped[Optional["User"]] = relationship()  # noqa: F821


class StatisticsReport(db.Model):
    """A university's report for one period: a frozen snapshot. A correction is a new revision."""

    __tablename__ = "statistics_reports"
    __table_args__ = (
        sa.UniqueConstraint(
            "university_id", "cadence", "period_start", "revision", name="uq_statistics_reports_revision"
        ),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The reporting university.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: ``monthly`` or ``weekly`` (cadence.toml).
    cadence: Mapped[str] = mapped_column(sa.String(16))
    #: First and last local date of the period.
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    #: The graduating class reported on.
    class_year: Mapped[int]
    #: 1 for the first submission, 2… for corrections.
    revision: Mapped[int] = mapped_column(default=1)
    #: The frozen counts (by category, college, major and degree; totals and rate).
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    #: Why this revision corrects the previous one (empty for revision 1).
    correction_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Who submitted it and when.
    submitted_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submitted_by: Mapped[Optional["User"]] = relationship()  # noqa: F821


class VerificationSample(db.Model):
    """The province's random, reproducible sample of a university's verified records (核查)."""

    __tablename__ = "verification_samples"
    __table_args__ = (enum_check("veto", VETO_DECISIONS, "veto_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The university checked.
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True)
    #: The graduating class sampled.
    class_year: Mapped[int]
    #: The seed: the same seed over the same records gives the same sample.
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    #: How many records were asked for.
    size: Mapped[int]
    #: The province's 一票否决 decision and its note.
    veto: Mapped[str] = mapped_column(sa.String(16), default="none")
    veto_note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Who drew it and when.
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list["SampleItem"]] = relationship(
        back_populates="sample", cascade="all, delete-orphan", order_by="SampleItem.position"
    )

    @property
    def falsified(self) -> int:
        return sum(1 for i in self.items if i.verdict == "falsified")


class SampleItem(db.Model):
    """One sampled record and the province's verdict on it."""

    __tablename__ = "verification_sample_items"
    __table_args__ = (
        sa.UniqueConstraint("sample_id", "record_id", name="uq_sample_items_record"),
        enum_check("verdict", VERDICTS, "verdict_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The sample.
    sample_id: Mapped[int] = mapped_column(sa.ForeignKey("verification_samples.id", ondelete="CASCADE"), index=True)
    #: The record checked.
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("destination_records.id", ondelete="CASCADE"))
    #: Order in the sample.
    position: Mapped[int]
    #: The verdict (VERDICTS) and a note.
    verdict: Mapped[str] = mapped_column(sa.String(16), default="unchecked")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Who gave the verdict and when.
    checked_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    sample: Mapped[VerificationSample] = relationship(back_populates="items")
    record: Mapped[DestinationRecord] = relationship()


class UniversityStaffing(db.Model):
    """A university's full-time employment officers (§19: at least 1 per 500 graduates)."""

    __tablename__ = "university_staffing"
    __table_args__ = (
        sa.CheckConstraint("fulltime_officers >= 0 AND fulltime_officers <= 10000", name="officers_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The university (one row each).
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"), unique=True)
    #: Number of full-time employment officers.
    fulltime_officers: Mapped[int] = mapped_column(default=0)
    #: Who recorded it and when.
    updated_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
