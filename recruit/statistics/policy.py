"""The statistics policy (§15): the report cadence and the destination categories, read from data.

Pure functions of dates and TOML files: no database, no Flask. ``cadence.toml`` says when reports
are due, ``categories.toml`` which destinations exist and which count as placed (去向落实).
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

DEFAULT_CADENCE_FILE = Path(__file__).with_name("cadence.toml")
CATEGORIES_FILE = Path(__file__).with_name("categories.toml")
PERIOD_KINDS = ("week", "month")
GROUPS = ("employed", "further_study", "not_placed")


class StatisticsPolicyError(ValueError):
    """The cadence or categories file is invalid."""


@dataclass(frozen=True)
class Cadence:
    #: ``monthly`` or ``weekly`` (any name the file gives).
    name: str
    #: Label shown to users, e.g. 月报.
    label: str
    #: ``week`` (Monday–Sunday) or ``month`` (calendar month).
    period: str
    #: Months (1–12) in which the cadence applies.
    months: tuple[int, ...]


@dataclass(frozen=True)
class ReportPeriod:
    """One period a university reports on, e.g. the weekly report of 2027-03-08 … 2027-03-14."""

    cadence: str
    start: date
    end: date

    @property
    def class_year(self) -> int:
        """The graduating class the period reports on: the class graduating in the coming summer
        (a period starting September–December reports on next year's class)."""
        return self.start.year + (1 if self.start.month >= 9 else 0)

    def to_dict(self) -> dict:
        return {"cadence": self.cadence, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class StatisticsPolicy:
    name: str
    timezone: str
    grace_days: int
    remind_days_before: int
    cadences: tuple[Cadence, ...]
    source: str = field(default="", compare=False)

    def cadence(self, name: str) -> Cadence:
        for c in self.cadences:
            if c.name == name:
                return c
        raise StatisticsPolicyError(f"unknown cadence {name!r}")

    def periods_on(self, day: date) -> list[ReportPeriod]:
        """The report periods that contain ``day``, one per cadence whose months contain its month."""
        out = []
        for c in self.cadences:
            if day.month in c.months:
                out.append(ReportPeriod(c.name, *period_bounds(c.period, day)))
        return out

    def periods_between(self, first: date, last: date) -> list[ReportPeriod]:
        """Every report period that contains a day of ``first`` … ``last``, in order of their end."""
        seen: dict[tuple[str, date], ReportPeriod] = {}
        day = first
        while day <= last:
            for p in self.periods_on(day):
                seen.setdefault((p.cadence, p.start), p)
            day += timedelta(days=1)
        return sorted(seen.values(), key=lambda p: (p.end, p.cadence))

    def deadline(self, period: ReportPeriod) -> date:
        """The last local date on which the report is on time."""
        return period.end + timedelta(days=self.grace_days)


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The week (Monday–Sunday) or calendar month containing ``day``."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    raise StatisticsPolicyError(f"unknown period {kind!r}")


def _int(data: dict, key: str, lo: int, hi: int) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise StatisticsPolicyError(f"{key} must be an integer from {lo} to {hi}")
    return value


def parse_policy(text: str, source: str = "<text>") -> StatisticsPolicy:
    """Parse a cadence file (see ``cadence.toml``); StatisticsPolicyError says what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StatisticsPolicyError(f"{source}: {error}") from None
    cadences = []
    for raw in data.get("cadences") or []:
        if raw.get("period") not in PERIOD_KINDS:
            raise StatisticsPolicyError(f"{source}: period must be one of {PERIOD_KINDS}")
        months = raw.get("months")
        if not months or not all(isinstance(m, int) and 1 <= m <= 12 for m in months):
            raise StatisticsPolicyError(f"{source}: months must be a list of 1–12")
        name = str(raw.get("name") or "").strip()
        if not name:
            raise StatisticsPolicyError(f"{source}: every cadence needs a name")
        cadences.append(Cadence(name, str(raw.get("label") or name), raw["period"], tuple(sorted(set(months)))))
    if not cadences:
        raise StatisticsPolicyError(f"{source}: no cadences")
    if len({c.name for c in cadences}) != len(cadences):
        raise StatisticsPolicyError(f"{source}: a cadence name is used twice")
    return StatisticsPolicy(
        name=str(data.get("name") or ""),
        timezone=str(data.get("timezone") or "Asia/Shanghai"),
        grace_days=_int(data, "grace_days", 0, 60),
        remind_days_before=_int(data, "remind_days_before", 0, 30),
        cadences=tuple(cadences),
        source=source,
    )


@lru_cache(maxsize=8)
def load_policy(path: str | None = None) -> StatisticsPolicy:
    file = Path(path) if path else DEFAULT_CADENCE_FILE
    return parse_policy(file.read_text(encoding="utf-8"), str(file))


# ------------------------------------------------------------------ destination categories


@dataclass(frozen=True)
class Category:
    code: str
    #: Chinese label (the statistics tables' wording).
    label: str
    #: English label.
    english: str
    #: ``employed``, ``further_study`` or ``not_placed``.
    group: str
    #: Counts as 去向落实 in the employment rate.
    placed: bool


@lru_cache(maxsize=1)
def categories() -> tuple[Category, ...]:
    data = tomllib.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    out = tuple(
        Category(c["code"], c["label"], c["english"], c["group"], bool(c["placed"])) for c in data["categories"]
    )
    if len({c.code for c in out}) != len(out) or any(c.group not in GROUPS for c in out):
        raise StatisticsPolicyError(f"{CATEGORIES_FILE}: duplicate codes or unknown groups")
    return out


def category(code: str) -> Category | None:
    return next((c for c in categories() if c.code == code), None)


def category_codes() -> tuple[str, ...]:
    return tuple(c.code for c in categories())
