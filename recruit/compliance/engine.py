"""The season frequency check: pure functions, no database, no Flask.

See docs/frequency-rule.md for the interpretation of 黔教发〔2022〕5号 §3 implemented here.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from recruit.compliance.policy import Policy, Rule, Season

STATUSES = ("met", "planned", "at_risk", "missed")
FAIR_STATUSES = ("draft", "scheduled", "held", "cancelled")
FAIR_FORMATS = ("onsite", "online", "hybrid")


@dataclass(frozen=True)
class FairRecord:
    """What the check needs to know about one fair."""

    id: str
    university: str
    kind: str
    starts_at: datetime  #: timezone-aware
    status: str
    ends_at: datetime | None = None
    format: str = "onsite"
    checked_in_employers: int = 0  #: employers checked in at the door (the evidence rule)


@dataclass(frozen=True)
class PeriodResult:
    """One required week or month of a season."""

    rule: Rule
    start: date  #: Monday of the week / first day of the month
    end: date  #: Sunday of the week / last day of the month
    count_from: date  #: first day on which a fair counts (inside the season)
    count_to: date  #: last day on which a fair counts
    count: int  #: counted fairs in the period (past and future)
    done: int  #: counted fairs on or before today
    status: str
    fair_ids: tuple[str, ...] = ()  #: the fairs counted (done or planned)
    #: Past fairs that counted for nothing: fewer employers checked in than the evidence minimum.
    below_ids: tuple[str, ...] = ()

    @property
    def below(self) -> int:
        """Past fairs below the evidence minimum (0 when the policy asks for no evidence)."""
        return len(self.below_ids)

    @property
    def period(self) -> str:
        return self.rule.period

    @property
    def missing(self) -> int:
        return max(0, self.rule.minimum - self.count)

    @property
    def label(self) -> str:
        return self.start.strftime("%Y-%m") if self.period == "month" else self.start.isoformat()


@dataclass(frozen=True)
class SeasonResult:
    university: str
    season: Season
    today: date
    periods: tuple[PeriodResult, ...]

    @property
    def weeks(self) -> list[PeriodResult]:
        return [p for p in self.periods if p.period == "week"]

    @property
    def months(self) -> list[PeriodResult]:
        return [p for p in self.periods if p.period == "month"]

    @property
    def compliant(self) -> bool:
        return all(p.status in ("met", "planned") for p in self.periods)

    @property
    def verdict(self) -> str:
        """The one headline rule (docs/frequency-rule.md): ``missed`` when any period is missed,
        else ``at_risk`` when any is at risk, else ``met`` (every period met or planned)."""
        statuses = {p.status for p in self.periods}
        if "missed" in statuses:
            return "missed"
        if "at_risk" in statuses:
            return "at_risk"
        return "met"

    def count_status(self, period: str, *statuses: str) -> int:
        return sum(1 for p in self.periods if p.period == period and p.status in statuses)

    def at_risk_within(self, days: int) -> list[PeriodResult]:
        """At-risk periods whose counting window starts within ``days`` days of today (or already started)."""
        horizon = self.today + timedelta(days=days)
        return [p for p in self.periods if p.status == "at_risk" and p.count_from <= horizon]

    def to_json(self) -> dict:
        return {
            "weeks": [
                {"start": p.start.isoformat(), "end": p.end.isoformat(), "count": p.count, "status": p.status}
                for p in self.weeks
            ],
            "months": [{"month": p.label, "count": p.count, "status": p.status} for p in self.months],
            "compliant": self.compliant,
        }


def season_weeks(season: Season) -> list[tuple[date, date]]:
    """Monday–Sunday weeks whose Thursday lies in the season (ISO-8601 majority rule)."""
    monday = season.start - timedelta(days=season.start.weekday())
    weeks = []
    while monday <= season.end:
        thursday = monday + timedelta(days=3)
        if season.start <= thursday <= season.end:
            weeks.append((monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return weeks


def season_months(season: Season) -> list[tuple[date, date]]:
    """Calendar months overlapping the season."""
    months = []
    year, month = season.start.year, season.start.month
    while date(year, month, 1) <= season.end:
        months.append((date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def local_day(fair: FairRecord, policy: Policy) -> date:
    return fair.starts_at.astimezone(policy.tz).date()


def period_status(minimum: int, done: int, total: int, end: date, today: date) -> str:
    """``met`` / ``planned`` / ``missed`` / ``at_risk`` exactly as the issue defines them."""
    if done >= minimum:
        return "met"
    if total >= minimum:
        return "planned"
    if end < today:
        return "missed"
    return "at_risk"


def fair_evidence(day: date, checked_in: int, minimum: int, today: date) -> str:
    """How one counted fair counts: ``done``, ``planned`` or ``below`` (counts for nothing).

    Without an evidence minimum a fair on or before today is done and a later one planned.
    With a minimum N: before today, done with at least N checked-in employers and below
    otherwise; on today, done with N and planned otherwise; after today, planned.
    """
    if minimum <= 0:
        return "done" if day <= today else "planned"
    if day > today:
        return "planned"
    if checked_in >= minimum:
        return "done"
    return "planned" if day == today else "below"


def evaluate(
    fairs: Iterable[FairRecord], season: Season, policy: Policy, today: date, university: str = ""
) -> SeasonResult:
    """Evaluate one university's fairs for one season as of ``today`` (a local date)."""
    counted: dict[str, list[tuple[date, str, str]]] = {}
    minimum = policy.min_checked_in_employers
    for fair in fairs:
        if fair.status not in policy.counted_statuses:
            continue
        day = local_day(fair, policy)
        if season.start <= day <= season.end:
            how = fair_evidence(day, fair.checked_in_employers, minimum, today)
            counted.setdefault(fair.kind, []).append((day, str(fair.id), how))
    for days in counted.values():
        days.sort()
    periods: list[PeriodResult] = []
    for rule in policy.rules:
        spans = season_weeks(season) if rule.period == "week" else season_months(season)
        for start, end in spans:
            lo, hi = max(start, season.start), min(end, season.end)
            inside = [(d, fid, how) for d, fid, how in counted.get(rule.kind, ()) if lo <= d <= hi]
            counts = [(fid, how) for _, fid, how in inside if how != "below"]
            done = sum(1 for _, how in counts if how == "done")
            periods.append(
                PeriodResult(
                    rule=rule,
                    start=start,
                    end=end,
                    count_from=lo,
                    count_to=hi,
                    count=len(counts),
                    done=done,
                    status=period_status(rule.minimum, done, len(counts), hi, today),
                    fair_ids=tuple(fid for fid, _ in counts),
                    below_ids=tuple(fid for _, fid, how in inside if how == "below"),
                )
            )
    periods.sort(key=lambda p: (0 if p.period == "week" else 1, p.start, p.rule.kind))
    return SeasonResult(university=university, season=season, today=today, periods=tuple(periods))


def evaluate_all(
    fairs: Iterable[FairRecord], season: Season, policy: Policy, today: date, universities: Iterable[str] = ()
) -> dict[str, SeasonResult]:
    """Evaluate every university (those named plus those with fairs), sorted by code."""
    by_university: dict[str, list[FairRecord]] = {u: [] for u in universities}
    for fair in fairs:
        by_university.setdefault(fair.university, []).append(fair)
    return {u: evaluate(by_university[u], season, policy, today, u) for u in sorted(by_university)}


# --- the JSON file format of ``flask compliance check`` -------------------------------------------


class FairsFileError(ValueError):
    """A one-line description of what is wrong with the input file."""


def _parse_time(value, where: str) -> datetime:
    if not isinstance(value, str):
        raise FairsFileError(f"{where}: expected an ISO 8601 string with an offset")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise FairsFileError(f"{where}: not an ISO 8601 date-time: {value!r}") from None
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise FairsFileError(f"{where}: the time {value!r} has no UTC offset (e.g. +08:00)")
    return dt


def parse_fairs_document(text: str, policy: Policy) -> list[FairRecord]:
    """Parse ``{"fairs": [...]}``; raise FairsFileError naming the fair and the field."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise FairsFileError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("fairs"), list):
        raise FairsFileError('expected an object with a "fairs" list')
    records = []
    for index, item in enumerate(doc["fairs"]):
        if not isinstance(item, dict):
            raise FairsFileError(f"fair #{index + 1}: expected an object")
        name = f"fair {item['id']!r}" if "id" in item else f"fair #{index + 1}"
        checked_in = item.get("checked_in_employers", 0)
        if not isinstance(checked_in, int) or isinstance(checked_in, bool) or not 0 <= checked_in <= 10**6:
            raise FairsFileError(f"{name}: field 'checked_in_employers': expected an integer from 0 to 1000000")
        for key in ("id", "university", "kind", "starts_at", "ends_at", "status", "format"):
            if key not in item or item[key] is None:
                raise FairsFileError(f"{name}: missing field {key!r}")
        if not isinstance(item["university"], str) or not item["university"].strip():
            raise FairsFileError(f"{name}: field 'university' must be a non-empty string")
        if item["kind"] not in policy.kinds:
            raise FairsFileError(
                f"{name}: field 'kind': unknown kind {item['kind']!r} (known: {', '.join(policy.kinds)})"
            )
        if item["status"] not in FAIR_STATUSES:
            raise FairsFileError(
                f"{name}: field 'status': unknown status {item['status']!r} (known: {', '.join(FAIR_STATUSES)})"
            )
        if item["format"] not in FAIR_FORMATS:
            raise FairsFileError(
                f"{name}: field 'format': unknown format {item['format']!r} (known: {', '.join(FAIR_FORMATS)})"
            )
        starts = _parse_time(item["starts_at"], f"{name}: field 'starts_at'")
        ends = _parse_time(item["ends_at"], f"{name}: field 'ends_at'")
        if ends <= starts:
            raise FairsFileError(f"{name}: field 'ends_at': must be after starts_at")
        records.append(
            FairRecord(
                id=str(item["id"]),
                university=item["university"].strip(),
                kind=item["kind"],
                starts_at=starts,
                ends_at=ends,
                status=item["status"],
                format=item["format"],
                checked_in_employers=checked_in,
            )
        )
    return records


def check_document(text: str, season: Season, policy: Policy, today: date) -> dict:
    """The whole ``compliance check`` computation: file text in, JSON-ready dict out."""
    fairs = parse_fairs_document(text, policy)
    results = evaluate_all(fairs, season, policy, today)
    return {"season": season.key, "universities": {u: r.to_json() for u, r in results.items()}}
