"""Check-in passes: a signed QR token and a short code, bound to one fair, one person and the fair's day.

A pass names its subject (``E`` an employer's booth registration, ``G`` a graduate's sign-up),
the fair and the fair's local date. The QR token is signed with itsdangerous (the app's
SECRET_KEY, a salt of its own); the short code for typing by hand is ``E12-7KQ3M``: the kind,
the subject's id and five characters of an HMAC over the same four facts. Rescheduling the fair
to another day or presenting the pass at another fair makes it useless; the signature makes
forging one impossible without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

import segno
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "recruit.fairday.checkin"
KINDS = ("E", "G")  #: E: employer booth registration, G: graduate sign-up
SHORT_RE = re.compile(r"^([EG])(\d{1,9})([0-9A-Z]{5})$")
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "ABCDEFGHJKMNPQRSTVWXYZ0123456789")


@dataclass(frozen=True)
class PassData:
    kind: str  #: ``E`` or ``G``
    subject_id: int
    fair_id: int | None  #: None for a short code (the subject's fair is looked up)
    day: date | None
    via: str  #: ``qr`` or ``code``
    mac: str = ""  #: the short code's MAC (checked once the subject's fair is known)


class PassError(ValueError):
    """The text is not a pass at all (bad signature, malformed code)."""


def _key() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(kind: str, subject_id: int, fair_id: int, day: date) -> str:
    """The signed QR payload."""
    return _serializer().dumps([kind, subject_id, fair_id, day.isoformat()])


def short_mac(kind: str, subject_id: int, fair_id: int, day: date) -> str:
    digest = hmac.new(
        _key(), f"{SALT}:{kind}:{subject_id}:{fair_id}:{day.isoformat()}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest).decode()[:5].translate(_CROCKFORD)


def short_code(kind: str, subject_id: int, fair_id: int, day: date) -> str:
    """``E12-7KQ3M``: typed by hand when the camera cannot read the QR code."""
    return f"{kind}{subject_id}-{short_mac(kind, subject_id, fair_id, day)}"


def normalise_code(text: str) -> str:
    """Upper case, without spaces and dashes; O→0 and I/L→1 as Crockford base32 reads them."""
    text = re.sub(r"[\s\-_]", "", (text or "").upper())
    if not text:
        return ""
    head, tail = text[:1], text[1:]
    return head + tail.replace("O", "0").replace("I", "1").replace("L", "1")


def parse(text: str) -> PassData:
    """A scanned QR payload (the pass URL or the bare token) or a typed short code."""
    text = (text or "").strip()
    if "\x00" in text or len(text) > 2000:
        raise PassError("bad input")
    match = re.search(r"[?&]t=([A-Za-z0-9_\-.]+)", text)
    raw = match.group(1) if match else text
    if "." in raw:
        try:
            kind, subject_id, fair_id, day = _serializer().loads(raw)
            if kind not in KINDS or not isinstance(subject_id, int) or not isinstance(fair_id, int):
                raise PassError("bad payload")
            return PassData(kind, subject_id, fair_id, date.fromisoformat(day), "qr")
        except (BadSignature, ValueError, TypeError) as error:
            raise PassError("bad signature") from error
    code = normalise_code(raw)
    m = SHORT_RE.match(code)
    if not m:
        raise PassError("malformed code")
    return PassData(m.group(1), int(m.group(2)), None, None, "code", mac=m.group(3))


def verify_short(data: PassData, fair_id: int, day: date) -> bool:
    return hmac.compare_digest(data.mac, short_mac(data.kind, data.subject_id, fair_id, day))


def qr_svg(payload: str, scale: int = 5) -> str:
    """The QR code as inline SVG markup (no XML declaration), dark modules on white."""
    qr = segno.make(payload, error="m")
    return qr.svg_inline(scale=scale, border=2, dark="#111", light="#fff")
