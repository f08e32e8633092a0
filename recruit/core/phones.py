"""The one telephone-number check of the app: forms, services and importers all ask :func:`is_valid_phone`.

A number as people in China write it: a mobile number (13800138000, +86 138 0013 8000), a
landline with its area code (0851-86123456, (0851) 86123456, 0851-86123456-801 with an
extension), a service number (400-820-8820). Digits, spaces, hyphens, parentheses and one
leading "+"; between 7 and 20 digits; at most :data:`recruit.validation.LIMITS` ``["phone"]``
characters.
"""

from __future__ import annotations

import re

from recruit.validation import LIMITS

_SHAPE = re.compile(r"\+?[0-9() \-]+")
#: Fewest and most digits of a number (an 8-digit local number with no area code is the shortest
#: an office would give; 20 covers +86, an area code, a number and an extension).
MIN_DIGITS, MAX_DIGITS = 7, 20


def is_valid_phone(value: str | None) -> bool:
    """Whether ``value`` (already stripped) is a telephone number as the forms accept it."""
    if not isinstance(value, str) or len(value) > LIMITS["phone"] or not _SHAPE.fullmatch(value):
        return False
    return MIN_DIGITS <= sum(c.isdigit() for c in value) <= MAX_DIGITS


#: What a refused number is told (forms wrap it in ``lazy_gettext``; services raise it as is).
PHONE_MESSAGE = "请填写有效的电话号码（手机号或带区号的固话）。"
