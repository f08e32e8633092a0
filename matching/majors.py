"""The Ministry of Education's catalogues of majors, as data.

Two catalogues ship in ``matching/data/`` as plain text, one line per entry:

* ``majors_bachelor.txt``: 普通高等学校本科专业目录（2024年） — 学科门类 / 专业类 / 专业;
* ``majors_vocational.txt``: 高等职业教育专科专业目录（2021年及其后增补） — 专业大类 / 专业类 / 专业.

A line ``= CODE NAME`` opens a discipline (门类 or 专业大类), ``== CODE NAME`` a major class
(专业类), and ``CODE NAME`` is a major of the class above it. Lines starting with ``#`` are
comments. Each catalogue names a major once.

The catalogue serves three things:

* :func:`major_key` gives the one spelling under which a major is compared: the catalogue's
  name when the text names a catalogued major (``数学与应用数学（师范）``, ``软件工程专业`` and
  ``软件工程`` are one major), otherwise the normalised text;
* :meth:`Catalogue.class_of` gives a major's class (软件工程 → 计算机类), so that two majors of
  one class are *related* (相关专业);
* :meth:`Catalogue.requirement_classes` reads what a posting asks for: ``计算机类``,
  ``计算机相关专业``, ``计算机类等相关专业`` or a catalogued major name all name the class 计算机类.

Classes are compared by name: the bachelor's and the vocational catalogue both have a 计算机类,
and a posting that asks for 计算机类 is open to both (软件工程 and 软件技术).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import canonical_major

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The catalogues shipped, by level: file name, edition and level label (a degree of DEGREES).
CATALOGUES = (
    ("majors_bachelor.txt", "普通高等学校本科专业目录（2024年）", "本科"),
    ("majors_vocational.txt", "高等职业教育专科专业目录（2021年）", "专科"),
)

_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
#: Suffixes by which a posting says "this major or a related one" (after :func:`_key` has
#: dropped a trailing 专业: 计算机类等相关专业 → 计算机类等相关 → 计算机类).
_RELATED_SUFFIXES = ("等相关", "及相关", "或相关", "相关", "等", "及其")


@dataclass(frozen=True)
class Major:
    """One major of a catalogue."""

    #: Code in the catalogue, with its T/K suffix (e.g. ``080910T``).
    code: str
    #: Name in the catalogue (e.g. 数据科学与大数据技术).
    name: str
    #: 本科 or 专科: which catalogue it comes from.
    level: str
    #: Code and name of its class (专业类), e.g. ``0809`` 计算机类.
    class_code: str
    class_name: str
    #: Code and name of its discipline (学科门类 or 专业大类), e.g. ``08`` 工学.
    discipline_code: str
    discipline_name: str


def _key(text: str | None) -> str | None:
    """Normalised spelling of a name: NFKC, no bracketed qualifier, no spaces or punctuation."""
    if not text:
        return None
    t = _BRACKETS.sub("", unicodedata.normalize("NFKC", text))
    return canonical_major(t)


class CatalogueError(ValueError):
    """A catalogue file that does not follow the format (the message names file and line)."""


def parse_catalogue(text: str, level: str, source: str = "<text>") -> list[Major]:
    """Parse one catalogue file's text into its majors (see the module docstring)."""
    majors: list[Major] = []
    discipline = klass = None
    seen: set[str] = set()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.lstrip("=").split(None, 1)
        if len(parts) != 2:
            raise CatalogueError(f"{source}:{n}: expected a code and a name: {raw!r}")
        code, name = parts
        if line.startswith("=="):
            klass = (code, name)
        elif line.startswith("="):
            discipline, klass = (code, name), None
        else:
            if discipline is None or klass is None or not code.startswith(klass[0]):
                raise CatalogueError(f"{source}:{n}: major {code} outside its class")
            if name in seen:
                raise CatalogueError(f"{source}:{n}: {name} named twice")
            seen.add(name)
            majors.append(Major(code, name, level, klass[0], klass[1], discipline[0], discipline[1]))
    return majors


class Catalogue:
    """The majors of both catalogues, looked up by (normalised) name."""

    def __init__(self, majors: list[Major], editions: dict[str, str]):
        self.majors = tuple(majors)
        #: Edition of each level's catalogue (本科/专科 → title and year).
        self.editions = dict(editions)
        self._by_key: dict[str, Major] = {}
        for m in self.majors:  # the bachelor's catalogue first: it wins a shared name
            self._by_key.setdefault(_key(m.name), m)
        self.class_names = frozenset(m.class_name for m in self.majors)
        self._class_by_key = {_key(c): c for c in self.class_names}

    def __len__(self) -> int:
        return len(self.majors)

    def lookup(self, name: str | None) -> Major | None:
        """The catalogued major that ``name`` spells, or None."""
        k = _key(name)
        return self._by_key.get(k) if k else None

    def class_of(self, name: str | None) -> str | None:
        """The class (专业类) name of a catalogued major, or None."""
        m = self.lookup(name)
        return m.class_name if m else None

    def names(self, level: str | None = None) -> list[str]:
        """Names of the majors (of one level), in catalogue order."""
        return [m.name for m in self.majors if level is None or m.level == level]

    def requirement_classes(self, text: str | None) -> list[str]:
        """The classes a posting's required-major entry opens, by name.

        ``计算机类``, ``计算机类专业``, ``计算机相关专业``, ``计算机等相关专业`` → [计算机类];
        ``软件工程`` (a catalogued major) → [计算机类]; anything else → [].
        """
        k = _key(text)
        if not k:
            return []
        if k in self._class_by_key:
            return [self._class_by_key[k]]
        for suffix in _RELATED_SUFFIXES:
            if k.endswith(suffix) and len(k) > len(suffix):
                k = k[: -len(suffix)]
                break
        for candidate in (k, k + "类"):
            if candidate in self._class_by_key:
                return [self._class_by_key[candidate]]
        m = self._by_key.get(k)
        return [m.class_name] if m else []


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogues (read once per process)."""
    majors: list[Major] = []
    editions = {}
    for file_name, edition, level in CATALOGUES:
        path = DATA_DIR / file_name
        majors.extend(parse_catalogue(path.read_text(encoding="utf-8"), level, str(path)))
        editions[level] = edition
    return Catalogue(majors, editions)


@lru_cache(maxsize=65536)
def major_key(name: str | None) -> str | None:
    """The spelling under which a major is compared (专业对口): the catalogue's name when known."""
    m = catalogue().lookup(name)
    if m is not None:
        return canonical_major(m.name)
    return canonical_major(name)


@lru_cache(maxsize=65536)
def major_class(name: str | None) -> str | None:
    """The class of a graduate's major (None when the major is not catalogued)."""
    return catalogue().class_of(name)


@lru_cache(maxsize=65536)
def requirement_classes(text: str | None) -> tuple[str, ...]:
    """The classes a posting's required-major entry opens (see :meth:`Catalogue.requirement_classes`)."""
    return tuple(catalogue().requirement_classes(text))


def spelling(text: str | None) -> str:
    """How to store a major someone typed: the catalogue's name when the text spells a catalogued
    major up to spaces, width and a trailing 专业 (``软件工程专业`` → ``软件工程``); otherwise the
    text as typed, trimmed (``数学与应用数学（师范）`` keeps its qualifier, unknown names stay).
    """
    t = (text or "").strip()
    m = catalogue().lookup(t)
    if m is not None and not _BRACKETS.search(unicodedata.normalize("NFKC", t)):
        return m.name
    return t


@lru_cache(maxsize=1)
def names_for_forms() -> tuple[str, ...]:
    """What a major field suggests: every class name (计算机类), then every major name, once each."""
    cat = catalogue()
    classes = list(dict.fromkeys(m.class_name for m in cat.majors))
    return tuple(dict.fromkeys([*classes, *(m.name for m in cat.majors)]))


#: Entries by which a posting takes any major (not a major, not a class, not unknown either).
_ANY_MAJOR = frozenset(_key(x) for x in ("不限", "专业不限", "不限专业", "任意专业", "所有专业", "各专业"))


def known_major(name: str | None) -> bool:
    """Whether ``name`` spells a catalogued major (a graduate's major)."""
    return catalogue().lookup(name) is not None


def known_requirement(text: str | None) -> bool:
    """Whether a posting's required-major entry is understood: a catalogued major, a class
    (计算机类, 计算机相关专业) or "any major" (不限)."""
    return _key(text) in _ANY_MAJOR or bool(requirement_classes(text))
