"""URL converters shared by every blueprint."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

#: The largest id a database integer column holds (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` limited to what an id column can hold, so ``/fairs/99999999999999999999``
    is a 404 instead of a database error (PostgreSQL refuses out-of-range integers)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
