"""Business licences (营业执照): stored outside the web root, served only to reviewers.

A file is accepted when its *content* is a PDF, PNG or JPEG (magic bytes; the name and
the browser's content type are ignored) and it is no larger than ``LICENCE_MAX_BYTES``.
It is written under ``LICENCE_DIR`` (by default ``instance/licences``) with a random name;
the old file of the employer is removed after the new one is committed.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app

from recruit.core import audit
from recruit.core.errors import ServiceError
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.timeutil import utcnow

#: Content type -> file extension of the accepted kinds.
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def sniff(data: bytes) -> str | None:
    """The content type from the first bytes, or None when it is not an accepted kind."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _directory() -> Path:
    return Path(current_app.config["LICENCE_DIR"])


def path_of(employer: Employer) -> Path | None:
    """The stored file, or None (also for a stored name that is not one of ours)."""
    name = employer.licence_file
    if not name or not set(name) <= _NAME_CHARS or name.startswith("."):
        return None
    path = _directory() / name
    return path if path.is_file() else None


def store(employer: Employer, data: bytes, actor) -> Employer:
    """Check and store ``data`` as ``employer``'s licence (one transaction; the file first)."""
    limit = current_app.config["LICENCE_MAX_BYTES"]
    if not data:
        raise ServiceError("上传的文件是空的。", "licence")
    if len(data) > limit:
        raise ServiceError(f"文件不能超过 {limit // (1024 * 1024)} MB。", "licence")
    mime = sniff(data)
    if mime is None:
        raise ServiceError("只接受 PDF、PNG 或 JPEG 格式的营业执照（按文件内容判断）。", "licence")
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{employer.id}-{secrets.token_hex(16)}{EXTENSIONS[mime]}"
    path = directory / name
    with open(path, "xb") as handle:
        handle.write(data)
    old = path_of(employer)
    before = audit.snapshot(employer, ("licence_mime", "licence_uploaded_at"))
    employer.licence_file, employer.licence_mime, employer.licence_uploaded_at = name, mime, utcnow()
    audit.record(actor, "employer.licence", "employer", employer.id, label=employer.name, before=before,
                 after=audit.snapshot(employer, ("licence_mime", "licence_uploaded_at")))
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    if old is not None and old != path:
        try:
            os.unlink(old)
        except OSError:
            pass
    return employer
