"""Chinese-aware TF-IDF matching of graduates' intentions and employers' postings.

This package never imports Flask: it is a library of its own.

>>> from matching import Matcher
>>> m = Matcher().fit(postings)                       # doctest: +SKIP
>>> m.rank(intention, top_k=10)                       # doctest: +SKIP
"""

from .metrics import evaluate, load_qrels
from .reasons import BANDS, REASON_CODES, Reason, band, reason_text
from .records import DEGREES, Intention, Posting, RecordError, load_jsonl
from .text import ANALYZERS, normalize

#: Names served by :mod:`matching.matcher`, imported on first use: it pulls in scikit-learn and
#: SciPy (most of this package's import time), which code that only builds records never needs.
_MATCHER_NAMES = frozenset({"FORMAT_VERSION", "FormatError", "Match", "Matcher"})


def __getattr__(name: str):
    if name in _MATCHER_NAMES:
        from . import matcher

        return getattr(matcher, name)
    raise AttributeError(f"module 'matching' has no attribute {name!r}")


__all__ = [
    "Matcher",
    "Match",
    "Posting",
    "Intention",
    "DEGREES",
    "RecordError",
    "FormatError",
    "FORMAT_VERSION",
    "load_jsonl",
    "load_qrels",
    "evaluate",
    "ANALYZERS",
    "normalize",
    "Reason",
    "REASON_CODES",
    "BANDS",
    "band",
    "reason_text",
]
