"""Record types: employers' postings and graduates' intentions.

Both are plain dataclasses built from dicts (for example one JSON Lines record) with
:meth:`Posting.from_dict` / :meth:`Intention.from_dict`, which validate their input and raise
:class:`RecordError` naming the offending field.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, Mapping, TextIO, TypeVar

__all__ = [
    "DEGREES",
    "RecordError",
    "Posting",
    "Intention",
    "degree_level",
    "load_jsonl",
    "iter_jsonl",
    "split_items",
]

#: Degrees in increasing order (专科 < 本科 < 硕士 < 博士).
DEGREES: tuple[str, ...] = ("专科", "本科", "硕士", "博士")

# Common spellings accepted for each degree; the stored value is always one of DEGREES.
_DEGREE_ALIASES = {
    "专科": "专科",
    "大专": "专科",
    "高职": "专科",
    "高职高专": "专科",
    "专科及以上": "专科",
    "大专及以上": "专科",
    "本科": "本科",
    "学士": "本科",
    "本科及以上": "本科",
    "大学本科": "本科",
    "硕士": "硕士",
    "研究生": "硕士",
    "硕士研究生": "硕士",
    "硕士及以上": "硕士",
    "博士": "博士",
    "博士研究生": "博士",
}


class RecordError(ValueError):
    """A record has a missing or malformed field.

    Parameters
    ----------
    field : str
        Name of the offending field (``"<record>"`` when the record itself is not an object).
    message : str
        Human-readable explanation.
    line : int, optional
        1-based line number in the input file, when known.
    """

    def __init__(self, field: str, message: str, line: int | None = None) -> None:
        self.field = field
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}field {self.field!r}: {self.message}"


def degree_level(value: str | None) -> int | None:
    """Return the index of a degree in :data:`DEGREES`, or ``None`` for no degree."""
    if value is None:
        return None
    return DEGREES.index(value)


# --------------------------------------------------------------------------- validators
def _opt_str(d: Mapping[str, Any], name: str) -> str | None:
    v = d.get(name)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise RecordError(name, f"expected a string, got {type(v).__name__}")
    s = str(v).strip()
    return s or None


def _req_id(d: Mapping[str, Any]) -> str:
    v = d.get("id")
    if v is None or (isinstance(v, str) and not v.strip()):
        raise RecordError("id", "missing")
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise RecordError("id", f"expected a string or integer, got {type(v).__name__}")
    return str(v).strip()


#: What separates the items of a list typed as one string: 、 , ， ; ； and line breaks. Not ``/``
#: (磷化工/现代化工 is one industry, C/C++ one skill) and not ``|``: they belong to the items.
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


def split_items(value: str | Iterable[Any] | None) -> list[str]:
    """``a、b, c；d`` (or an iterable of items) as stripped, non-empty, de-duplicated items, order kept.

    The one list splitter of this package and of the recruit app (forms, services, imports).
    """
    if value is None:
        return []
    parts = LIST_SEPARATORS.split(value) if isinstance(value, str) else [str(v) for v in value]
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def _str_list(d: Mapping[str, Any], name: str) -> list[str]:
    """Accept a list of strings or one string of items separated as :func:`split_items` says."""
    v = d.get(name)
    if v is None:
        return []
    if isinstance(v, str):
        return split_items(v)
    if isinstance(v, (list, tuple)):
        items = []
        for i, x in enumerate(v):
            if x is None:
                continue
            if isinstance(x, bool) or not isinstance(x, (str, int, float)):
                raise RecordError(name, f"item {i} is not a string")
            items.append(str(x))
    else:
        raise RecordError(name, f"expected a list of strings, got {type(v).__name__}")
    return split_items(items)


def _opt_int(d: Mapping[str, Any], name: str, minimum: int = 0) -> int | None:
    v = d.get(name)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise RecordError(name, "expected an integer, got a boolean")
    if isinstance(v, float):
        if not v.is_integer():
            raise RecordError(name, f"expected an integer, got {v!r}")
        v = int(v)
    elif isinstance(v, str):
        try:
            v = int(v.strip())
        except ValueError:
            raise RecordError(name, f"expected an integer, got {v!r}") from None
    elif not isinstance(v, int):
        raise RecordError(name, f"expected an integer, got {type(v).__name__}")
    if v < minimum:
        raise RecordError(name, f"must be >= {minimum}, got {v}")
    return v


def _opt_degree(d: Mapping[str, Any], name: str) -> str | None:
    v = _opt_str(d, name)
    if v is None or v in ("不限", "无要求"):
        return None
    deg = _DEGREE_ALIASES.get(v)
    if deg is None:
        raise RecordError(name, f"unknown degree {v!r}; expected one of {'/'.join(DEGREES)}")
    return deg


def _check_mapping(d: Any) -> Mapping[str, Any]:
    if not isinstance(d, Mapping):
        raise RecordError("<record>", f"expected a JSON object, got {type(d).__name__}")
    return d


# --------------------------------------------------------------------------- records
@dataclass
class Posting:
    """An employer's position (用人单位需求库).

    Attributes
    ----------
    id : str
        Unique identifier (integers are converted with ``str``).
    employer, title, industry, description, city : str or None
        Free text fields; ``title`` and ``description`` carry most of the text signal.
    majors : list of str
        Majors the employer asks for (may be empty: any major).
    education : str or None
        Minimum degree, one of :data:`DEGREES`, or ``None`` for no requirement.
    salary_min, salary_max : int or None
        Monthly salary range in yuan.
    headcount : int or None
        Number of openings.
    """

    id: str
    employer: str | None = None
    title: str | None = None
    industry: str | None = None
    description: str | None = None
    majors: list[str] = field(default_factory=list)
    education: str | None = None
    city: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    headcount: int | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Posting":
        """Build and validate a posting from a mapping; raise :class:`RecordError` on bad input."""
        d = _check_mapping(d)
        p = cls(
            id=_req_id(d),
            employer=_opt_str(d, "employer"),
            title=_opt_str(d, "title"),
            industry=_opt_str(d, "industry"),
            description=_opt_str(d, "description"),
            majors=_str_list(d, "majors"),
            education=_opt_degree(d, "education"),
            city=_opt_str(d, "city"),
            salary_min=_opt_int(d, "salary_min"),
            salary_max=_opt_int(d, "salary_max"),
            headcount=_opt_int(d, "headcount"),
        )
        if p.salary_min is not None and p.salary_max is not None and p.salary_min > p.salary_max:
            raise RecordError("salary_max", f"lower than salary_min ({p.salary_max} < {p.salary_min})")
        if not (p.title or p.description):
            raise RecordError("title", "a posting needs a title or a description")
        return p

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict of the fields."""
        return asdict(self)


@dataclass
class Intention:
    """A graduate's job-seeking intention (毕业生求职意愿库).

    Attributes
    ----------
    id : str
        Unique identifier (integers are converted with ``str``).
    major : str or None
        The graduate's major.
    education : str or None
        The graduate's degree, one of :data:`DEGREES`; ``None`` is treated as 专科 (the lowest)
        by the degree rule, so a graduate without a recorded degree only sees postings without a
        degree requirement or requiring 专科.
    industries, positions, cities : list of str
        Intended industries, positions and cities.
    salary_expectation : int or None
        Expected monthly salary in yuan. ``0`` means "not stated" and is stored as ``None``, so
        the 薪资匹配 rule never fires for a graduate who gave no expectation.
    skills : list of str
        Skills; a string of phrases separated by 、 or commas is accepted and split.
    statement : str or None
        Free-text statement in the graduate's own words.
    """

    id: str
    major: str | None = None
    education: str | None = None
    industries: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    salary_expectation: int | None = None
    skills: list[str] = field(default_factory=list)
    statement: str | None = None

    def __post_init__(self) -> None:
        if not self.salary_expectation:
            self.salary_expectation = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Intention":
        """Build and validate an intention from a mapping; raise :class:`RecordError` on bad input."""
        d = _check_mapping(d)
        return cls(
            id=_req_id(d),
            major=_opt_str(d, "major"),
            education=_opt_degree(d, "education"),
            industries=_str_list(d, "industries"),
            positions=_str_list(d, "positions"),
            cities=_str_list(d, "cities"),
            salary_expectation=_opt_int(d, "salary_expectation"),
            skills=_str_list(d, "skills"),
            statement=_opt_str(d, "statement"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict of the fields."""
        return asdict(self)


R = TypeVar("R", Posting, Intention)


def coerce(records: Iterable[Any], cls: type[R]) -> list[R]:
    """Turn an iterable of records or dicts into a list of ``cls`` instances."""
    out: list[R] = []
    for r in records:
        if isinstance(r, cls):
            out.append(r)
        else:
            out.append(cls.from_dict(r))
    return out


def iter_jsonl(stream: TextIO, cls: type[R]) -> Iterator[R]:
    """Yield validated records from a JSON Lines stream; errors carry the line number.

    Blank lines are skipped.
    """
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            raise RecordError("<json>", f"invalid JSON ({e.msg} at column {e.colno})", lineno) from None
        try:
            yield cls.from_dict(d)
        except RecordError as e:
            e.line = lineno
            raise


def load_jsonl(path: str, kind: str | type = "posting") -> list[Any]:
    """Read a JSON Lines file of postings or intentions.

    Parameters
    ----------
    path : str
        File path, or ``"-"`` for standard input.
    kind : {"posting", "intention"} or the class
        Which record type to build.

    Returns
    -------
    list of Posting or Intention

    Raises
    ------
    RecordError
        On the first bad line, with ``line`` set to its 1-based number.
    """
    if isinstance(kind, str):
        cls = {"posting": Posting, "postings": Posting, "intention": Intention, "intentions": Intention}.get(kind)
        if cls is None:
            raise ValueError(f"kind must be 'posting' or 'intention', not {kind!r}")
    else:
        cls = kind
    if path == "-":
        return list(iter_jsonl(sys.stdin, cls))
    with open(path, encoding="utf-8") as f:
        return list(iter_jsonl(f, cls))
