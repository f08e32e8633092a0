"""Structured rules expressed as sparse features.

Each rule is encoded so that the dot product of an intention's rule features with a posting's
rule features equals the bonus the rule awards (and a large negative number when the posting's
minimum degree is above the graduate's).  Appended to the TF-IDF vectors, this makes the *final*
score one sparse dot product, so exact batch top-k is a sparse top-n matrix product.

Feature keys (strings; ``\\x00`` separates parts):

=========================  ==============================  ===============================
rule                        posting side (value 1)           intention side (value)
=========================  ==============================  ===============================
专业对口 (major)              ``M\\x00<major>`` per listed major  ``M\\x00<major>`` = bonus_major
意向城市 (city)               ``C\\x00<city>``                  ``C\\x00<city>`` per city = bonus_city
意向行业 (industry)           ``I\\x00<industry>``              one per industry = bonus_industry
薪资匹配 (salary)             dyadic blocks containing max     dyadic cover of [expectation, 2^17)
degree (hard rule)          ``D\\x00<level>`` of the minimum   ``D\\x00<x>`` = -4 for x above own
=========================  ==============================  ===============================

Values are de-duplicated after canonicalisation, so each rule fires at most once per pair; a
posting lists one city and one industry, a graduate has one major.  The salary rule uses an exact
dyadic decomposition: the intention covers the integer interval ``[e, 2**17)`` with disjoint
aligned blocks, the posting lists the one block per level that contains its salary, so exactly one
block is shared when ``salary >= e`` and none otherwise.
"""

from __future__ import annotations

from typing import Iterator

from .records import DEGREES, Intention, Posting
from .text import canonical_city, canonical_industry, canonical_major

SALARY_LEVELS = 17  # salaries are compared on integers in [0, 2**17) yuan per month
SALARY_CAP = (1 << SALARY_LEVELS) - 1
DEGREE_PENALTY = -4.0  # far below any attainable positive score (<= 1)

#: Chinese labels of the rules, in the order they are reported.
RULE_LABELS = ("专业对口", "意向城市", "意向行业", "薪资匹配")


def posting_salary(p: Posting) -> int | None:
    """The salary compared against expectations: the top of the range (or its bottom)."""
    v = p.salary_max if p.salary_max is not None else p.salary_min
    if v is None:
        return None
    return min(v, SALARY_CAP)


def salary_meets(p: Posting, i: Intention) -> bool:
    """Whether the posting's salary meets the graduate's expectation (the 薪资匹配 rule)."""
    v = posting_salary(p)
    e = i.salary_expectation
    return v is not None and e is not None and e <= SALARY_CAP and v >= e


def _salary_cover(e: int) -> Iterator[tuple[int, int]]:
    """Disjoint aligned dyadic blocks (level, index) covering [e, 2**SALARY_LEVELS)."""
    lo, hi = e, 1 << SALARY_LEVELS
    while lo < hi:
        level = 0
        while level < SALARY_LEVELS and lo % (1 << (level + 1)) == 0 and lo + (1 << (level + 1)) <= hi:
            level += 1
        yield level, lo >> level
        lo += 1 << level


def posting_majors(p: Posting) -> list[str]:
    out: list[str] = []
    for m in p.majors:
        c = canonical_major(m)
        if c and c not in out:
            out.append(c)
    return out


def intention_cities(i: Intention) -> list[str]:
    out: list[str] = []
    for c in i.cities:
        cc = canonical_city(c)
        if cc and cc not in out:
            out.append(cc)
    return out


def intention_industries(i: Intention) -> list[str]:
    out: list[str] = []
    for x in i.industries:
        c = canonical_industry(x)
        if c and c not in out:
            out.append(c)
    return out


def intention_level(i: Intention) -> int:
    """The graduate's degree level; a missing degree counts as the lowest (专科)."""
    return DEGREES.index(i.education) if i.education else 0


def posting_features(p: Posting) -> list[tuple[str, float]]:
    """Rule features of a posting (all values 1)."""
    f: list[tuple[str, float]] = [("M\x00" + m, 1.0) for m in posting_majors(p)]
    c = canonical_city(p.city)
    if c:
        f.append(("C\x00" + c, 1.0))
    ind = canonical_industry(p.industry)
    if ind:
        f.append(("I\x00" + ind, 1.0))
    v = posting_salary(p)
    if v is not None:
        for level in range(SALARY_LEVELS + 1):
            f.append((f"S\x00{level}\x00{v >> level}", 1.0))
    if p.education:
        f.append(("D\x00" + str(DEGREES.index(p.education)), 1.0))
    return f


def intention_features(i: Intention, bonus_major: float, bonus_city: float,
                       bonus_industry: float, bonus_salary: float) -> list[tuple[str, float]]:
    """Rule features of an intention (values are the bonuses, or the degree penalty)."""
    f: list[tuple[str, float]] = []
    m = canonical_major(i.major)
    if m and bonus_major:
        f.append(("M\x00" + m, bonus_major))
    if bonus_city:
        f.extend(("C\x00" + c, bonus_city) for c in intention_cities(i))
    if bonus_industry:
        f.extend(("I\x00" + x, bonus_industry) for x in intention_industries(i))
    e = i.salary_expectation
    if e is not None and e <= SALARY_CAP and bonus_salary:
        f.extend((f"S\x00{lv}\x00{b}", bonus_salary) for lv, b in _salary_cover(e))
    for level in range(intention_level(i) + 1, len(DEGREES)):
        f.append(("D\x00" + str(level), DEGREE_PENALTY))
    return f


def eligible(p: Posting, i: Intention) -> bool:
    """The hard degree rule: the posting's minimum degree is not above the graduate's."""
    return p.education is None or DEGREES.index(p.education) <= intention_level(i)


def fired_rules(p: Posting, i: Intention) -> list[tuple[str, str]]:
    """The rules that fire for a pair, as (label, human-readable detail) tuples."""
    out: list[tuple[str, str]] = []
    m = canonical_major(i.major)
    if m and m in posting_majors(p):
        out.append(("专业对口", i.major or m))
    c = canonical_city(p.city)
    if c and c in intention_cities(i):
        out.append(("意向城市", p.city or c))
    ind = canonical_industry(p.industry)
    if ind and ind in intention_industries(i):
        out.append(("意向行业", ind))
    if salary_meets(p, i):
        out.append(("薪资匹配", f"月薪最高{posting_salary(p)}元，不低于期望的{i.salary_expectation}元"))
    return out
