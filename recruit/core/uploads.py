"""Uploaded documents (evidence, licences, résumés): one store, checked by content, kept outside the web root.

A file is accepted when it is not empty, its size is within the kind's limit and its first bytes
are those of an allowed type (the browser's content type and the file name are not trusted). It is
written (atomically) under the kind's folder as ``[<prefix>-]<random token>.<ext>``; only that name
travels in URLs and records, and a name that is not of this form never reaches the file system.
Each kind is one :class:`UploadStore` in its domain (the folder setting, the subfolder, the allowed
types, the size setting); routes decide who may download a file and serve it with
:meth:`UploadStore.send` (``no-store``, ``nosniff``; a document shown inline is sandboxed).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file

from recruit.core.errors import ServiceError
from recruit.extensions import db

#: Content types recognised by their first bytes, with the extension they are stored under.
SIGNATURES: dict[str, tuple[bytes, str]] = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
}
#: Every name the store gives (``token_urlsafe`` or ``<prefix>-<token_hex>``, and an extension above).
_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(pdf|png|jpg)$")

#: What is wrong with a file, for a kind that does not word it itself.
MESSAGES: dict[str, str] = {
    "missing": "请选择要上传的文件。",
    "empty": "上传的文件是空的。",
    "too_large": "文件超过允许的大小，请压缩后再上传。",
    "wrong_type": "文件类型不符合要求（按文件内容判断，而不是文件名）。",
}
_STATUS = {"too_large": 413, "wrong_type": 415}


@dataclass(frozen=True)
class StoredFile:
    #: File name (``[<prefix>-]<token>.<ext>``), what records keep.
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


def extension(content_type: str) -> str:
    """The extension (without the dot) files of an allowed content type are stored under."""
    return SIGNATURES[content_type][1]


@dataclass(frozen=True)
class UploadStore:
    """One kind of uploaded document.

    Files live in ``app.config[setting]`` (the instance folder when ``setting`` is None), in
    ``subdirectory``; ``max_bytes_setting`` names the setting of the largest file accepted.
    ``field`` is the form field a :class:`ServiceError` names; a kind may word the errors itself
    by passing ``messages`` (keys of :data:`MESSAGES`, already translated) to :meth:`read`/:meth:`save`.
    """

    setting: str | None
    subdirectory: str
    allowed: tuple[str, ...]
    max_bytes_setting: str
    field: str = "file"

    def directory(self) -> Path:
        root = Path(current_app.config[self.setting] if self.setting else current_app.instance_path)
        folder = root / self.subdirectory if self.subdirectory else root
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def max_bytes(self) -> int:
        return int(current_app.config[self.max_bytes_setting])

    def _error(self, reason: str, messages: Mapping[str, str] | None) -> ServiceError:
        message = (messages or {}).get(reason) or MESSAGES[reason]
        return ServiceError(message, self.field, _STATUS.get(reason, 400))

    def read(self, file, messages: Mapping[str, str] | None = None) -> bytes:
        """At most one byte more than the limit of an uploaded file (a werkzeug FileStorage)."""
        if file is None or not getattr(file, "filename", ""):
            raise self._error("missing", messages)
        return file.stream.read(self.max_bytes() + 1)

    def check(self, data: bytes, messages: Mapping[str, str] | None = None) -> str:
        """The content type of ``data``; ServiceError when it is empty, too large or not allowed."""
        if not data:
            raise self._error("empty", messages)
        if len(data) > self.max_bytes():
            raise self._error("too_large", messages)
        content_type = sniff(data[:16], self.allowed)
        if content_type is None:
            raise self._error("wrong_type", messages)
        return content_type

    def save(self, data: bytes, prefix: str = "", messages: Mapping[str, str] | None = None) -> StoredFile:
        """Check and store ``data`` under a new name (``<prefix>-<token>`` when a prefix is given)."""
        content_type = self.check(data, messages)
        token = f"{prefix}-{secrets.token_hex(16)}" if prefix else secrets.token_urlsafe(24)
        name = f"{token}.{extension(content_type)}"
        target = self.directory() / name
        part = target.with_suffix(".part")
        part.write_bytes(data)
        os.replace(part, target)
        return StoredFile(name, content_type, len(data))

    def path(self, name: str | None) -> Path | None:
        """The stored file for a name, or None when the name is not one of ours or the file is gone."""
        if not name or not _NAME.match(name):
            return None
        path = self.directory() / name
        return path if path.is_file() else None

    def delete(self, name: str | None) -> None:
        path = self.path(name)
        if path is not None:
            path.unlink(missing_ok=True)

    @contextmanager
    def replacing(self, new: str, old: str | None) -> Iterator[None]:
        """Around the service's commit that records file ``new`` in place of ``old``: when it fails the
        session is rolled back and ``new`` removed; once it succeeded ``old`` is removed."""
        try:
            yield
        except Exception:
            db.session.rollback()
            self.delete(new)
            raise
        if old and old != new:
            self.delete(old)

    def send(self, name: str | None, content_type: str, download_name: str, inline: bool = False):
        """A response with the stored file (never cached, never sniffed), or None when it does not exist.

        A file shown ``inline`` also gets a sandboxing Content-Security-Policy.
        """
        path = self.path(name)
        if path is None:
            return None
        response = send_file(
            path, mimetype=content_type, as_attachment=not inline, download_name=download_name, max_age=0
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if inline:
            response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
