"""The gap planner: a fair proposal for every at-risk period of a season.

Deterministic for the same inputs. A proposal is
- never in the past (its start is after ``now``),
- on an acceptable day: not a statutory holiday, and either one of the university's
  preferred weekdays for that kind of fair (default: special Tue–Thu, large Saturday) or,
  failing those, any other working day (holiday calendar with 调休),
- in the smallest of the university's venues that is free at that time and big enough for
  the booths (and not taken by another proposal of the same plan).
Candidate days are tried preferred weekdays first, then other working days, each by date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from recruit.compliance.engine import PeriodResult
from recruit.compliance.holidays import DayInfo, day_range_info
from recruit.compliance.policy import Policy, Season
from recruit.compliance.services import evaluate_university
from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.timeutil import combine_local
from recruit.universities.models import University

DEFAULT_BOOTHS = {"special": 30, "large": 60}
KIND_TITLES = {"special": "专场招聘会", "large": "大型综合招聘会"}


@dataclass
class Proposal:
    kind: str
    period: str
    period_start: date
    period_end: date
    title: str
    day: date
    start: time
    end: time
    venue_id: int
    venue_name: str
    booth_capacity: int

    @property
    def starts_at(self) -> datetime:
        return combine_local(self.day, self.start)

    @property
    def ends_at(self) -> datetime:
        return combine_local(self.day, self.end)

    def to_json(self) -> dict:
        return {"kind": self.kind, "period": self.period, "period_start": self.period_start.isoformat(),
                "period_end": self.period_end.isoformat(), "title": self.title, "date": self.day.isoformat(),
                "start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M"), "venue": self.venue_name,
                "venue_id": self.venue_id, "booth_capacity": self.booth_capacity}


@dataclass
class Unresolved:
    kind: str
    period: str
    period_start: date
    period_end: date
    reason: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "period": self.period, "period_start": self.period_start.isoformat(),
                "period_end": self.period_end.isoformat(), "reason": self.reason}


@dataclass
class PlanResult:
    proposals: list[Proposal] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


def preferences(university: University, kind: str) -> tuple[list[int], time, int]:
    """(ISO weekdays, start time, minutes) for the kind, with the documented defaults."""
    if kind == "large":
        days, start, minutes = university.plan_large_weekdays or [6], university.plan_large_start or "09:00", university.plan_large_minutes or 210
    else:
        days, start, minutes = university.plan_special_weekdays or [2, 3, 4], university.plan_special_start or "14:00", university.plan_special_minutes or 180
    try:
        at = time.fromisoformat(start)
    except ValueError:
        at = time(9) if kind == "large" else time(14)
    return [int(d) for d in days if 1 <= int(d) <= 7], at, int(minutes)


def is_holiday(info: DayInfo) -> bool:
    return not info.is_workday and info.name != "周末"


def candidate_days(first: date, last: date, weekdays: list[int], info: dict[date, DayInfo]) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    preferred = [d for d in days if d.isoweekday() in weekdays and not is_holiday(info[d])]
    other = [d for d in days if d not in preferred and info[d].is_workday]
    return preferred + other


def plan(university: University, season: Season, policy: Policy, today: date, now: datetime | None = None,
         result=None) -> PlanResult:
    """Proposals for every at-risk period (nothing for met, planned or missed ones)."""
    if now is None:  # a dry run for another day: anything from that day's midnight on
        now = combine_local(today, time(0))
    result = result or evaluate_university(university, season, today, policy)
    venues = sorted((v for v in university.venues if v.active), key=lambda v: (v.capacity, v.id))
    busy: list[tuple[int, datetime, datetime]] = [
        (f.venue_id, f.starts_at, f.ends_at)
        for f in db.session.scalars(
            sa.select(Fair).where(
                Fair.venue_id.in_([v.id for v in venues]) if venues else sa.false(), Fair.status != "cancelled",
                Fair.ends_at > combine_local(season.start - timedelta(days=1), time(0)),
                Fair.starts_at < combine_local(season.end + timedelta(days=2), time(0)),
            )
        )
    ]
    info = day_range_info(season.start, season.end)
    out = PlanResult()
    at_risk = sorted((p for p in result.periods if p.status == "at_risk"),
                     key=lambda p: (p.count_from, 0 if p.period == "month" else 1, p.rule.kind))
    for period in at_risk:
        _plan_period(university, period, today, now, venues, busy, info, out)
    out.proposals.sort(key=lambda p: (p.day, p.start, p.kind))
    return out


def _plan_period(university, period: PeriodResult, today, now, venues, busy, info, out: PlanResult) -> None:
    kind = period.rule.kind
    weekdays, at, minutes = preferences(university, kind)
    needed = period.rule.minimum - period.count
    first = max(period.count_from, today)
    used_days: set[date] = set()

    def unresolved(reason: str) -> None:
        out.unresolved.append(Unresolved(kind, period.period, period.count_from, period.count_to, reason))

    if not venues:
        unresolved("本校没有登记场地，无法安排线下招聘会。")
        return
    booths = min(DEFAULT_BOOTHS.get(kind, 30), venues[-1].capacity)
    for day in (candidate_days(first, period.count_to, weekdays, info) if first <= period.count_to else []):
        if needed <= 0:
            break
        if day in used_days:
            continue
        starts = combine_local(day, at)
        ends = starts + timedelta(minutes=minutes)
        if starts <= now:
            continue
        venue = next((v for v in venues if v.capacity >= booths
                      and not any(b[0] == v.id and b[1] < ends and b[2] > starts for b in busy)), None)
        if venue is None:
            continue
        busy.append((venue.id, starts, ends))
        used_days.add(day)
        needed -= 1
        title = (f"{university.name}{day.month}月{KIND_TITLES[kind]}" if period.period == "month"
                 else f"{university.name}{KIND_TITLES.get(kind, kind)}（{day.month}月{day.day}日）")
        out.proposals.append(Proposal(kind, period.period, period.count_from, period.count_to, title, day, at,
                                      _local_time(ends),
                                      venue.id, venue.name, booths))
    if needed > 0:
        unresolved("该时段内剩余的工作日没有空闲且足够大的场地。")


def _local_time(dt: datetime) -> time:
    from recruit.timeutil import local

    return local(dt).time().replace(tzinfo=None)


def apply(university: University, proposals: list[Proposal], user=None) -> list[Fair]:
    """Publish the proposals as scheduled fairs in one transaction."""
    from recruit.fairs.services import FairData, create_many

    items = [
        FairData(kind=p.kind, title=p.title, format="onsite", starts_at=p.starts_at, ends_at=p.ends_at,
                 venue_id=p.venue_id, booth_capacity=p.booth_capacity)
        for p in proposals
    ]
    return create_many(university, items, user, publish=True)
