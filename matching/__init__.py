"""Chinese-aware TF-IDF matching of graduates' intentions and employers' postings.

This package never imports Flask: it is a library of its own.

>>> from matching import Matcher
>>> m = Matcher().fit(postings)                       # doctest: +SKIP
>>> m.rank(intention, top_k=10)                       # doctest: +SKIP
"""

from .matcher import FORMAT_VERSION, FormatError, Match, Matcher
from .metrics import evaluate, load_qrels
from .records import DEGREES, Intention, Posting, RecordError, load_jsonl
from .text import ANALYZERS, normalize

__all__ = [
    "Matcher", "Match", "Posting", "Intention", "DEGREES", "RecordError", "FormatError",
    "FORMAT_VERSION", "load_jsonl", "load_qrels", "evaluate", "ANALYZERS", "normalize",
]
