"""Records of scheduled job runs."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check

JOB_OUTCOMES = ("running", "success", "error", "skipped")


class JobRun(db.Model):
    """One run of a scheduled job."""

    __tablename__ = "job_runs"
    __table_args__ = (enum_check("outcome", JOB_OUTCOMES, "outcome_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Job name, e.g. ``frequency_watch``.
    job: Mapped[str] = mapped_column(sa.String(60), index=True)
    #: When the run started.
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it finished.
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: ``running`` | ``success`` | ``error`` | ``skipped`` (another process held the lock).
    outcome: Mapped[str] = mapped_column(sa.String(16), default="running")
    #: What triggered it: ``schedule``, ``manual`` or ``cli``.
    trigger: Mapped[str] = mapped_column(sa.String(16), default="schedule")
    #: Summary of what the run did.
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    #: The error, when it failed.
    error: Mapped[str] = mapped_column(sa.Text, default="")
    #: Host and process id of the runner.
    runner: Mapped[str] = mapped_column(sa.String(120), default="")
