"""Business licences (营业执照): stored outside the web root, served only to reviewers.

A file is accepted when its *content* is a PDF, PNG or JPEG (magic bytes; the name and
the browser's content type are ignored) and it is no larger than ``LICENCE_MAX_BYTES``.
It is written under ``LICENCE_DIR`` (by default ``instance/licences``) with a random name by
the one upload store (:mod:`recruit.core.uploads`); the old file of the employer is removed
after the new one is committed.
"""

from __future__ import annotations

from pathlib import Path

from recruit.core import audit
from recruit.core.uploads import UploadStore, extension
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.timeutil import utcnow

#: Licence files: ``<LICENCE_DIR>/<employer id>-<token>.<ext>``.
LICENCES = UploadStore(
    "LICENCE_DIR", "", ("application/pdf", "image/png", "image/jpeg"), "LICENCE_MAX_BYTES", "licence"
)


def path_of(employer: Employer) -> Path | None:
    """The stored file, or None (also for a stored name that is not one of ours)."""
    return LICENCES.path(employer.licence_file)


def send(employer: Employer):
    """The licence shown inline (sandboxed, never cached), or None when there is no file."""
    if path_of(employer) is None:
        return None
    return LICENCES.send(
        employer.licence_file,
        employer.licence_mime,
        f"licence-{employer.id}.{extension(employer.licence_mime)}",
        inline=True,
    )


def store(employer: Employer, data: bytes, actor) -> Employer:
    """Check and store ``data`` as ``employer``'s licence (one transaction; the file first)."""
    limit = LICENCES.max_bytes()
    stored = LICENCES.save(
        data,
        prefix=str(employer.id),
        messages={
            "too_large": f"文件不能超过 {limit // (1024 * 1024)} MB。",
            "wrong_type": "只接受 PDF、PNG 或 JPEG 格式的营业执照（按文件内容判断）。",
        },
    )
    old = employer.licence_file
    before = audit.snapshot(employer, ("licence_mime", "licence_uploaded_at"))
    employer.licence_file, employer.licence_mime, employer.licence_uploaded_at = (
        stored.name,
        stored.content_type,
        utcnow(),
    )
    audit.record(
        actor,
        "employer.licence",
        "employer",
        employer.id,
        label=employer.name,
        before=before,
        after=audit.snapshot(employer, ("licence_mime", "licence_uploaded_at")),
    )
    with LICENCES.replacing(stored.name, old):
        db.session.commit()
    return employer
