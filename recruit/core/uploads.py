"""Uploaded documents (evidence, licences, résumés): checked by content, stored outside the web root.

A file is accepted when its size is within the limit and its first bytes are those of an allowed
type (the browser's content type and the file name are not trusted). It is stored under the
instance folder as ``<area>/<random token>.<ext>``; only the token travels in URLs and records, so
a stored name can never point elsewhere. Routes decide who may download it and serve it with
:func:`send_upload` (``Content-Disposition: attachment``, ``no-store``, ``nosniff``).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file

from recruit.core.errors import ServiceError

#: Content types recognised by their first bytes, with the extension they are stored under.
SIGNATURES: dict[str, tuple[bytes, str]] = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
}
_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(pdf|png|jpg)$")


@dataclass(frozen=True)
class StoredFile:
    #: Token file name (``<token>.<ext>``), what records keep.
    name: str
    content_type: str
    size: int


def sniff(head: bytes, allowed: tuple[str, ...]) -> str | None:
    """The allowed content type whose signature ``head`` starts with, or None."""
    for content_type in allowed:
        signature, _ext = SIGNATURES[content_type]
        if head.startswith(signature):
            return content_type
    return None


def _area_dir(area: str) -> Path:
    root = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    folder = root / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(file, area: str, allowed: tuple[str, ...], max_bytes: int, field: str = "file") -> StoredFile:
    """Check and store an uploaded file (a werkzeug FileStorage); ServiceError says what is wrong."""
    if file is None or not getattr(file, "filename", ""):
        raise ServiceError("请选择要上传的文件。", field)
    data = file.stream.read(max_bytes + 1)
    if not data:
        raise ServiceError("上传的文件是空的。", field)
    if len(data) > max_bytes:
        raise ServiceError("文件超过允许的大小，请压缩后再上传。", field, 413)
    content_type = sniff(data[:16], allowed)
    if content_type is None:
        raise ServiceError("文件类型不符合要求（按文件内容判断，而不是文件名）。", field, 415)
    name = f"{secrets.token_urlsafe(24)}.{SIGNATURES[content_type][1]}"
    (_area_dir(area) / name).write_bytes(data)
    return StoredFile(name, content_type, len(data))


def upload_path(area: str, name: str) -> Path | None:
    """The stored file for a token name, or None when the name is not one of ours or is gone."""
    if not name or not _NAME.match(name):
        return None
    path = _area_dir(area) / name
    return path if path.is_file() else None


def delete_upload(area: str, name: str) -> None:
    path = upload_path(area, name)
    if path is not None:
        path.unlink(missing_ok=True)


def send_upload(area: str, name: str, content_type: str, download_name: str):
    """A response that downloads the stored file, or None when it does not exist."""
    path = upload_path(area, name)
    if path is None:
        return None
    response = send_file(path, mimetype=content_type, as_attachment=True, download_name=download_name,
                         max_age=0)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
