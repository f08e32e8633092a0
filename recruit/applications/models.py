"""Résumés, applications (投递) with their history, and employers' invitations.

The application's state machine lives in :mod:`recruit.applications.states` (one place);
these models only hold the data. Every status change is a compare-and-set on ``version``
(see :func:`recruit.applications.services.transition`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from recruit.applications.states import APPLICATION_STATUSES, INVITATION_KINDS, INVITATION_STATUSES
from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check


class Resume(db.Model):
    """A graduate's résumé (one each). Education comes from the graduate record plus ``education``."""

    __tablename__ = "resumes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The graduate (one résumé each).
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), unique=True)
    #: Further education beyond the graduate record (school, major, degree, years), one per line.
    education: Mapped[str] = mapped_column(sa.Text, default="")
    #: Internships, one per paragraph.
    internships: Mapped[str] = mapped_column(sa.Text, default="")
    #: Projects, one per paragraph.
    projects: Mapped[str] = mapped_column(sa.Text, default="")
    #: Skills, phrases separated by 、 or commas.
    skills: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Certificates (e.g. CET-6, 计算机二级), one per line.
    certificates: Mapped[str] = mapped_column(sa.Text, default="")
    #: Awards, one per line.
    awards: Mapped[str] = mapped_column(sa.Text, default="")
    #: Stored file name of the PDF under ``<instance>/resumes`` (None: no PDF).
    pdf_path: Mapped[Optional[str]] = mapped_column(sa.String(100))
    #: The PDF's original file name (shown, never used as a path).
    pdf_name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Size of the PDF in bytes.
    pdf_size: Mapped[int] = mapped_column(default=0)
    #: When the PDF was uploaded.
    pdf_uploaded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the résumé last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    graduate: Mapped["Graduate"] = relationship(  # noqa: F821
        backref=backref("resume", uselist=False, cascade="all, delete-orphan", passive_deletes=True)
    )

    def matching_text(self) -> str:
        """What the résumé adds to the matching text: skills, projects and internships."""
        parts = [self.skills or "", self.projects or "", self.internships or "", self.certificates or ""]
        return "\n".join(p.strip() for p in parts if p and p.strip())


class Application(db.Model):
    """A graduate's application (投递) to a posting: one per graduate and posting."""

    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("graduate_id", "posting_id", name="uq_applications_graduate_posting"),
        enum_check("status", APPLICATION_STATUSES, "status_valid"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.Index("ix_applications_posting_status", "posting_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The applicant.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), index=True)
    #: The posting applied to.
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    #: The fair at which the application was made (for the fair's report), if any.
    fair_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("fairs.id", ondelete="SET NULL"), index=True)
    #: The invitation the graduate accepted by applying, if any.
    invitation_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("invitations.id", ondelete="SET NULL"))
    #: See :data:`recruit.applications.states.APPLICATION_STATUSES`.
    status: Mapped[str] = mapped_column(sa.String(16), default="submitted", index=True)
    #: Compare-and-set counter: every change bumps it; a change made on an old version loses.
    version: Mapped[int] = mapped_column(default=1)
    #: The graduate's cover note.
    cover_note: Mapped[str] = mapped_column(sa.Text, default="")
    #: The employer's last message to the graduate.
    message: Mapped[str] = mapped_column(sa.Text, default="")
    #: Interview start (when invited to interview).
    interview_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Interview length in minutes.
    interview_minutes: Mapped[int] = mapped_column(default=60)
    #: Interview place (onsite).
    interview_place: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Interview link (online).
    interview_url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Bumped whenever the interview is (re)scheduled (iCal SEQUENCE).
    interview_revision: Mapped[int] = mapped_column(default=0)
    #: When the graduate applied.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the status last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    graduate: Mapped["Graduate"] = relationship()  # noqa: F821
    posting: Mapped["Posting"] = relationship()  # noqa: F821
    events: Mapped[list["ApplicationEvent"]] = relationship(
        back_populates="application",
        order_by="ApplicationEvent.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ApplicationEvent(db.Model):
    """One step of an application's history (shown to the graduate and the employer)."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The application.
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    #: Status before (None for the application itself).
    from_status: Mapped[Optional[str]] = mapped_column(sa.String(16))
    #: Status after.
    to_status: Mapped[str] = mapped_column(sa.String(16))
    #: The version the change produced (unique per application: one event per change).
    version: Mapped[int] = mapped_column(default=1)
    #: Who made the change.
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: The message given with the change.
    message: Mapped[str] = mapped_column(sa.Text, default="")
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("application_id", "version", name="uq_application_events_version"),)

    application: Mapped[Application] = relationship(back_populates="events")


class Invitation(db.Model):
    """An employer invites a matched, opted-in graduate to apply to a posting or to meet at a fair."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.UniqueConstraint("employer_id", "graduate_id", "target", name="uq_invitations_employer_graduate_target"),
        enum_check("kind", INVITATION_KINDS, "kind_valid"),
        enum_check("status", INVITATION_STATUSES, "status_valid"),
        sa.CheckConstraint("kind <> 'fair' OR fair_id IS NOT NULL", name="fair_needs_fair"),
        sa.CheckConstraint("kind <> 'apply' OR posting_id IS NOT NULL", name="apply_needs_posting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The inviting employer.
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    #: The invited graduate.
    graduate_id: Mapped[int] = mapped_column(sa.ForeignKey("graduates.id", ondelete="CASCADE"), index=True)
    #: ``apply`` (invited to apply to ``posting``) or ``fair`` (to meet at the booth at ``fair``).
    kind: Mapped[str] = mapped_column(sa.String(8))
    #: The posting (required for ``apply``; the posting discussed for ``fair``).
    posting_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    #: The fair (for ``fair``).
    fair_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    #: ``apply:<posting>`` or ``fair:<fair>``: one invitation per employer, graduate and target.
    target: Mapped[str] = mapped_column(sa.String(40))
    #: ``pending`` | ``accepted`` | ``declined``.
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    #: The employer's message.
    message: Mapped[str] = mapped_column(sa.Text, default="")
    #: The employer user who sent it.
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When it was sent.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the graduate answered.
    responded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    employer: Mapped["Employer"] = relationship()  # noqa: F821
    graduate: Mapped["Graduate"] = relationship()  # noqa: F821
    posting: Mapped[Optional["Posting"]] = relationship()  # noqa: F821
    fair: Mapped[Optional["Fair"]] = relationship()  # noqa: F821
