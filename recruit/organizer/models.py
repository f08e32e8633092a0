"""Background import jobs: one record per large upload, with progress and the result."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.types import UTCDateTime, enum_check

IMPORT_KINDS = ("graduates", "postings")
IMPORT_STATUSES = ("queued", "running", "succeeded", "failed")
#: A running job whose heartbeat is older than this died with its process (nothing was written).
STALE_AFTER = timedelta(minutes=10)


class ImportJob(db.Model):
    """An import that runs outside the request (a worker thread), all or nothing."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        enum_check("kind", IMPORT_KINDS, "kind_valid"),
        enum_check("status", IMPORT_STATUSES, "status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``graduates`` | ``postings``.
    kind: Mapped[str] = mapped_column(sa.String(16))
    #: Who uploaded the file (only they, and admins, see the job).
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The university imported into (graduates) or whose organizer imported (postings).
    university_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"))
    #: The uploaded file's name, as the user named it.
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    #: ``queued`` | ``running`` | ``succeeded`` | ``failed`` (nothing written).
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    #: Progress: steps done of ``total`` (reading and checking rows, then writing them).
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: Data rows in the file, and what the import did with them.
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    #: The one-line result.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: The report's lines about bad rows (at most 1,000).
    errors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: When the file was uploaded.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the worker last reported progress (a stale heartbeat means the process died).
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: When the job ended.
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")

    def interrupted(self, now: datetime | None = None, heard: datetime | None = None) -> bool:
        """Queued or running, but its worker has not been heard of for STALE_AFTER (``heard``:
        a later sign of life than the row's, e.g. a SQLite import's progress file)."""
        if self.finished:
            return False
        last = max((t for t in (self.heartbeat_at, heard) if t is not None), default=self.created_at)
        return last is not None and (now or utcnow()) - last > STALE_AFTER

    @property
    def percent(self) -> int:
        return self.percent_of(self.done, self.total)

    def percent_of(self, done: int, total: int) -> int:
        if self.finished:
            return 100
        return min(99, int(100 * done / total)) if total else 0
