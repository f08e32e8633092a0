"""Structured rules expressed as sparse features.

Three rules are encoded as sparse features so that the dot product of an intention's rule
features with a posting's rule features equals the bonus they award; appended to the TF-IDF
vectors, the text part and these bonuses are one sparse dot product.

=========================  ===================================  ==================================
rule                        posting side (value 1)                intention side (value)
=========================  ===================================  ==================================
专业对口 (major)              ``M\\x00<major>`` per listed major    ``M\\x00<major>`` = bonus_major
                                                                      (less the related share below
                                                                      when the major is catalogued)
相关专业 (related major)      ``K\\x00<class>`` per class opened   ``K\\x00<class of the major>`` =
                                                                      bonus_major × RELATED_MAJOR_SHARE
意向城市 (city)               ``C\\x00<city>``                      ``C\\x00<city>`` per city = bonus_city
意向行业 (industry)           ``I\\x00<industry>``                  one per industry = bonus_industry
=========================  ===================================  ==================================

Values are de-duplicated after canonicalisation, so each rule fires at most once per pair (a
posting has one city and one industry, a graduate one major).

Majors are compared through the Ministry of Education's catalogues (:mod:`matching.majors`): a
catalogued major is spelt as in the catalogue (``数学与应用数学（师范）`` is ``数学与应用数学``),
and each posting opens the classes (专业类) it names — ``计算机类``, ``计算机相关专业`` — or whose
majors it lists. A graduate whose catalogued major lies in an opened class gets the related
share of the major bonus (相关专业); one whose major the posting lists gets the whole bonus
(专业对口), made of the same related share plus the rest on the ``M`` feature, so the two rules
never add up to more than ``bonus_major``.

The two threshold rules are not dot products and are applied on arrays by the matcher:
薪资匹配 (the posting's top salary >= the expectation, + bonus_salary) and the hard degree rule
(a posting whose minimum degree is above the graduate's is never returned).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .majors import major_class, major_key, requirement_classes
from .reasons import Reason
from .records import DEGREES, Intention, Posting
from .text import canonical_city, canonical_industry


def posting_level(p: Posting) -> int:
    """Index of the posting's minimum degree in DEGREES, -1 when it has none."""
    return DEGREES.index(p.education) if p.education else -1


def posting_salary(p: Posting) -> int | None:
    """The salary compared against expectations: the top of the range (or its bottom)."""
    return p.salary_max if p.salary_max is not None else p.salary_min


#: Array sentinels of the 薪资匹配 rule: a posting without a salary, a graduate without an
#: expectation (neither ever meets).
NO_SALARY = -1.0
NO_EXPECTATION = float("inf")


def salary_meets_array(salary, expectation):
    """The 薪资匹配 rule on arrays (or scalars, broadcast): the posting's top salary is at least the
    expectation; :data:`NO_SALARY` and :data:`NO_EXPECTATION` never meet. The one definition of the
    rule: the records' form below and every batch path use it (the compiled kernel of
    :mod:`matching.bound` applies the same ``>=`` to the same arrays)."""
    return salary >= expectation


def posting_salary_value(p: Posting) -> float:
    """:func:`posting_salary` as an array value (:data:`NO_SALARY` when unstated)."""
    v = posting_salary(p)
    return NO_SALARY if v is None else float(v)


def expectation_value(i: Intention) -> float:
    """The graduate's expectation as an array value (:data:`NO_EXPECTATION` when unstated)."""
    return NO_EXPECTATION if i.salary_expectation is None else float(i.salary_expectation)


def salary_meets(p: Posting, i: Intention) -> bool:
    """Whether the posting's salary meets the graduate's expectation (the 薪资匹配 rule)."""
    return posting_salary(p) is not None and bool(salary_meets_array(posting_salary_value(p), expectation_value(i)))


@lru_cache(maxsize=1 << 14)
def _canonical_unique(values: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """The canonical forms of ``values``, without empties or repeats, order kept (lists of values
    repeat across records, so each distinct list is canonicalised once)."""
    canonical = _CANONICAL[kind]
    out: list[str] = []
    for v in values:
        c = canonical(v)
        if c and c not in out:
            out.append(c)
    return tuple(out)


_CANONICAL = {"major": major_key, "city": canonical_city, "industry": canonical_industry}


def posting_majors(p: Posting) -> tuple[str, ...]:
    return _canonical_unique(tuple(p.majors or ()), "major")


def intention_cities(i: Intention) -> tuple[str, ...]:
    return _canonical_unique(tuple(i.cities or ()), "city")


def intention_industries(i: Intention) -> tuple[str, ...]:
    return _canonical_unique(tuple(i.industries or ()), "industry")


def intention_level(i: Intention) -> int:
    """The graduate's degree level; a missing degree counts as the lowest (专科)."""
    return DEGREES.index(i.education) if i.education else 0


# ---------------------------------------------------------------------- the major rule (专业对口, 相关专业)
#: Share of the major bonus awarded to a related major (same class, 专业类) instead of the listed one.
RELATED_MAJOR_SHARE = 0.5


def posting_major_classes(p: Posting) -> tuple[str, ...]:
    """The classes (专业类) a posting opens: named (计算机类, 计算机相关专业) or of a listed major."""
    out: list[str] = []
    for m in p.majors or ():
        for c in requirement_classes(m):
            if c not in out:
                out.append(c)
    return tuple(out)


def posting_major_features(p: Posting) -> list[tuple[str, float]]:
    """The posting's side of the major rules (value 1 per accepted major and per opened class)."""
    f = [("M\x00" + m, 1.0) for m in posting_majors(p)]
    f.extend(("K\x00" + k, 1.0) for k in posting_major_classes(p))
    return f


def intention_major_features(i: Intention, bonus_major: float) -> list[tuple[str, float]]:
    """The graduate's side of the major rules: a catalogued major splits the bonus between its own
    feature and its class's, so a listed major earns the whole bonus and a related one the share."""
    m = major_key(i.major)
    if not (m and bonus_major):
        return []
    klass = major_class(i.major)
    related = bonus_major * RELATED_MAJOR_SHARE if klass else 0.0
    f = [("M\x00" + m, bonus_major - related)]
    if klass:
        f.append(("K\x00" + klass, related))
    return f


# ---------------------------------------------------------------------- features of both sides
def posting_features(p: Posting) -> list[tuple[str, float]]:
    """Rule features of a posting (all values 1)."""
    f = posting_major_features(p)
    c = canonical_city(p.city)
    if c:
        f.append(("C\x00" + c, 1.0))
    ind = canonical_industry(p.industry)
    if ind:
        f.append(("I\x00" + ind, 1.0))
    return f


def city_bonus(n_cities: int, bonus_city: float, city_focus: float) -> float:
    """The 意向城市 bonus of a graduate who names ``n_cities`` cities: ``bonus_city`` plus a focus
    share that grows as the list shrinks (a graduate who names only 贵阳 means it more than one
    who names five); at most ``bonus_city * (1 + city_focus)``."""
    return bonus_city * (1.0 + city_focus / n_cities) if n_cities else 0.0


def intention_features(
    i: Intention, bonus_major: float, bonus_city: float, bonus_industry: float, city_focus: float = 0.0
) -> list[tuple[str, float]]:
    """Rule features of an intention (values are the bonuses)."""
    f = intention_major_features(i, bonus_major)
    if bonus_city:
        cities = intention_cities(i)
        value = city_bonus(len(cities), bonus_city, city_focus)
        f.extend(("C\x00" + c, value) for c in cities)
    if bonus_industry:
        f.extend(("I\x00" + x, bonus_industry) for x in intention_industries(i))
    return f


def eligible(p: Posting, i: Intention) -> bool:
    """The hard degree rule: the posting's minimum degree is not above the graduate's."""
    return posting_level(p) <= intention_level(i)


# ---------------------------------------------------------------------- reasons of a pair
@dataclass(frozen=True, slots=True)
class PostingSide:
    """What the reasons of a posting's pairs need from the posting, computed once per posting
    (an explained batch reuses it for every graduate the posting is ranked for); the reasons it
    can give are built here once and shared by those pairs."""

    majors: frozenset[str]
    classes: frozenset[str]
    city: str | None
    city_reason: Reason | None
    industry: str | None
    industry_reason: Reason | None
    salary: int | None


@dataclass(frozen=True, slots=True)
class IntentionSide:
    """What the reasons of an intention's pairs need from the intention (computed once per
    intention), with the major reasons it can give."""

    major: str | None
    major_reason: Reason | None
    group: str | None
    related_reason: Reason | None
    cities: frozenset[str]
    industries: frozenset[str]
    expectation: float
    salary_expectation: int | None


def posting_side(p: Posting) -> PostingSide:
    city, industry = canonical_city(p.city), canonical_industry(p.industry)
    return PostingSide(
        majors=frozenset(posting_majors(p)),
        classes=frozenset(posting_major_classes(p)),
        city=city,
        city_reason=Reason("city", {"city": p.city or city}) if city else None,
        industry=industry,
        industry_reason=Reason("industry", {"industry": industry}) if industry else None,
        salary=posting_salary(p),
    )


def intention_side(i: Intention) -> IntentionSide:
    m, group = major_key(i.major), major_class(i.major)
    return IntentionSide(
        major=m,
        major_reason=Reason("major", {"major": i.major or m}) if m else None,
        group=group,
        related_reason=Reason("related_major", {"major": i.major, "group": group}) if group else None,
        cities=frozenset(intention_cities(i)),
        industries=frozenset(intention_industries(i)),
        expectation=expectation_value(i),
        salary_expectation=i.salary_expectation,
    )


@lru_cache(maxsize=1 << 12)
def _salary_reason(salary: int, expectation: int) -> Reason:
    return Reason("salary", {"salary": salary, "expectation": expectation})


def fired(p: PostingSide, i: IntentionSide) -> list[Reason]:
    """The rules that fire for a pair, as reasons: 专业对口 (else 相关专业), 意向城市, 意向行业,
    薪资匹配 (codes plus data, see :mod:`matching.reasons`). The one definition of when a rule's
    reason is given; reason objects are shared between pairs (treat them as read-only)."""
    out: list[Reason] = []
    if i.major and i.major in p.majors:
        out.append(i.major_reason)
    elif i.group and i.group in p.classes:
        out.append(i.related_reason)
    if p.city and p.city in i.cities:
        out.append(p.city_reason)
    if p.industry and p.industry in i.industries:
        out.append(p.industry_reason)
    if p.salary is not None and salary_meets_array(float(p.salary), i.expectation):
        out.append(_salary_reason(p.salary, i.salary_expectation))
    return out


def fired_rules(p: Posting, i: Intention) -> list[Reason]:
    """:func:`fired` for one pair of records."""
    return fired(posting_side(p), intention_side(i))
