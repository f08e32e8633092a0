"""The frequency policy: seasons, fair kinds, periods and minimums, read from a TOML file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

from recruit.i18n import N_, translate

PERIODS = ("week", "month")
DEFAULT_POLICY_FILE = Path(__file__).with_name("policy.toml")
SEASON_RE = re.compile(r"^(\d{4})-([a-z][a-z0-9_]*)$")


#: Short names of the usual seasons, for labels such as "2026 年秋季" / "Autumn 2026"
#: (:func:`season_label`); another season is named by its policy label.
SEASON_SHORT_NAMES = {"spring": N_("春季"), "autumn": N_("秋季")}


class PolicyError(ValueError):
    """The policy file or a season name is invalid."""


@dataclass(frozen=True)
class SeasonSpec:
    name: str
    label: str
    start: tuple[int, int]  #: (month, day)
    end: tuple[int, int]


@dataclass(frozen=True)
class Rule:
    kind: str
    period: str
    minimum: int


@dataclass(frozen=True)
class Season:
    """One concrete season, e.g. ``2026-autumn``: 2026-09-01 … 2026-12-31."""

    key: str
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Policy:
    name: str
    timezone: str
    counted_statuses: tuple[str, ...]
    seasons: tuple[SeasonSpec, ...]
    kinds: dict[str, str]
    rules: tuple[Rule, ...]
    source: str = field(default="", compare=False)
    #: ``[evidence] min_checked_in_employers``: a past fair counts only with at least this many
    #: employers checked in (0: every counted fair counts, the notice's plain reading).
    min_checked_in_employers: int = 0

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def season(self, key: str) -> Season:
        """The concrete season named ``YYYY-name``; PolicyError when unknown."""
        m = SEASON_RE.match((key or "").strip())
        if not m:
            raise PolicyError(f"invalid season {key!r}: expected YYYY-name, e.g. 2026-spring")
        year, name = int(m.group(1)), m.group(2)
        for spec in self.seasons:
            if spec.name == name:
                try:
                    return Season(
                        key=f"{year}-{name}", label=spec.label, start=date(year, *spec.start), end=date(year, *spec.end)
                    )
                except ValueError as error:
                    raise PolicyError(f"season {key!r}: {error}") from None
        names = ", ".join(s.name for s in self.seasons)
        raise PolicyError(f"unknown season {name!r} in {key!r} (known: {names})")

    def seasons_of_year(self, year: int) -> list[Season]:
        return sorted((self.season(f"{year}-{s.name}") for s in self.seasons), key=lambda s: s.start)

    def season_for(self, day: date) -> Season:
        """The season containing ``day``, else the next one to start."""
        for year in (day.year, day.year + 1):
            for season in self.seasons_of_year(year):
                if season.end >= day:
                    return season
        raise PolicyError("the policy has no seasons")  # pragma: no cover

    def season_containing(self, day: date) -> Season | None:
        for season in self.seasons_of_year(day.year):
            if season.start <= day <= season.end:
                return season
        return None


def _month_day(value, where: str) -> tuple[int, int]:
    m = re.match(r"^(\d{2})-(\d{2})$", str(value))
    if not m:
        raise PolicyError(f"{where}: expected MM-DD, got {value!r}")
    month, day = int(m.group(1)), int(m.group(2))
    try:
        date(2000, month, day)  # a leap year accepts 02-29
    except ValueError:
        raise PolicyError(f"{where}: invalid date {value!r}") from None
    return month, day


def parse_policy(data: dict, source: str = "") -> Policy:
    """Validate a decoded TOML document and build the :class:`Policy`."""
    try:
        kinds = {str(k): str(v) for k, v in dict(data.get("kinds") or {}).items()}
        if not kinds:
            raise PolicyError("policy: [kinds] is empty")
        seasons = []
        for i, s in enumerate(data.get("seasons") or []):
            start = _month_day(s["start"], f"seasons[{i}].start")
            end = _month_day(s["end"], f"seasons[{i}].end")
            if end < start:
                raise PolicyError(f"seasons[{i}]: end before start (a season may not cross New Year)")
            if not re.match(r"^[a-z][a-z0-9_]*$", str(s["name"])):
                raise PolicyError(f"seasons[{i}].name: lower-case letters, digits and _ only")
            seasons.append(SeasonSpec(name=s["name"], label=str(s.get("label", s["name"])), start=start, end=end))
        if not seasons:
            raise PolicyError("policy: no [[seasons]]")
        rules = []
        for i, r in enumerate(data.get("rules") or []):
            if r["kind"] not in kinds:
                raise PolicyError(f"rules[{i}].kind: unknown kind {r['kind']!r}")
            if r["period"] not in PERIODS:
                raise PolicyError(f"rules[{i}].period: must be one of {', '.join(PERIODS)}")
            minimum = r["minimum"]
            if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
                raise PolicyError(f"rules[{i}].minimum: a positive integer")
            rules.append(Rule(kind=r["kind"], period=r["period"], minimum=minimum))
        if not rules:
            raise PolicyError("policy: no [[rules]]")
        tz = str(data.get("timezone", "Asia/Shanghai"))
        ZoneInfo(tz)
        statuses = tuple(data.get("counted_statuses") or ("scheduled", "held"))
        evidence = data.get("evidence") or {}
        if not isinstance(evidence, dict):
            raise PolicyError("evidence: expected a table [evidence]")
        unknown = sorted(set(evidence) - {"min_checked_in_employers"})
        if unknown:
            raise PolicyError(f"evidence: unknown key {unknown[0]!r} (known: min_checked_in_employers)")
        min_checked_in = evidence.get("min_checked_in_employers", 0)
        if not isinstance(min_checked_in, int) or isinstance(min_checked_in, bool) or not 0 <= min_checked_in <= 10000:
            raise PolicyError("evidence.min_checked_in_employers: an integer from 0 to 10000")
    except KeyError as error:
        raise PolicyError(f"policy: missing key {error}") from None
    except (TypeError, AttributeError) as error:
        raise PolicyError(f"policy: malformed ({error})") from None
    return Policy(
        name=str(data.get("name", "")),
        timezone=tz,
        counted_statuses=statuses,
        seasons=tuple(seasons),
        kinds=kinds,
        rules=tuple(rules),
        source=source,
        min_checked_in_employers=min_checked_in,
    )


_cache: dict[tuple[str, float], Policy] = {}


def load_policy(path: str | Path | None = None) -> Policy:
    """Read a policy file (cached until the file changes)."""
    path = Path(path or DEFAULT_POLICY_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        raise PolicyError(f"cannot read policy file {path}: {error.strerror}") from None
    key = (str(path), mtime)
    if key not in _cache:
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as error:
            raise PolicyError(f"policy file {path}: {error}") from None
        _cache[key] = parse_policy(data, str(path))
    return _cache[key]


def current_policy() -> Policy:
    """The policy named by the app's ``COMPLIANCE_POLICY_FILE``."""
    return load_policy(current_app.config["COMPLIANCE_POLICY_FILE"])


def season_label(season: Season) -> str:
    """The season as users read it: "2026 年秋季" / "Autumn 2026", in the user's language.

    The one label of a season on pages; the key (``2026-autumn``) stays in URLs and machine-readable
    exports.
    """
    m = SEASON_RE.match(season.key)
    if not m:
        return translate(season.label)
    year, name = int(m.group(1)), m.group(2)
    short = SEASON_SHORT_NAMES.get(name)
    return translate("%(year)d 年%(season)s", year=year, season=translate(short or season.label))
