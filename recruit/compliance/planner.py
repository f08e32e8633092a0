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

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from recruit.compliance.engine import PeriodResult
from recruit.compliance.holidays import DayInfo, day_range_info
from recruit.compliance.policy import Policy, Season
from recruit.compliance.services import evaluate_university
from sqlalchemy.exc import IntegrityError

from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.fairs.models import Fair, FairInvitation
from recruit.fairs.services import FairData, create_many, publish_fair
from recruit.notifications import services as notes
from recruit.graduates.models import Graduate, Intention
from recruit.matchmaking import services as matching
from recruit.timeutil import combine_local, format_datetime, local, utcnow
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
        return {
            "kind": self.kind,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "title": self.title,
            "date": self.day.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "venue": self.venue_name,
            "venue_id": self.venue_id,
            "booth_capacity": self.booth_capacity,
        }


@dataclass
class Unresolved:
    kind: str
    period: str
    period_start: date
    period_end: date
    reason: str

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "reason": self.reason,
        }


@dataclass
class PlanResult:
    proposals: list[Proposal] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


def preferences(university: University, kind: str) -> tuple[list[int], time, int]:
    """(ISO weekdays, start time, minutes) for the kind, with the documented defaults."""
    if kind == "large":
        days, start, minutes = (
            university.plan_large_weekdays or [6],
            university.plan_large_start or "09:00",
            university.plan_large_minutes or 210,
        )
    else:
        days, start, minutes = (
            university.plan_special_weekdays or [2, 3, 4],
            university.plan_special_start or "14:00",
            university.plan_special_minutes or 180,
        )
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


def plan(
    university: University, season: Season, policy: Policy, today: date, now: datetime | None = None, result=None
) -> PlanResult:
    """Proposals for every at-risk period (nothing for met, planned or missed ones)."""
    if now is None:  # a dry run for another day: anything from that day's midnight on
        now = combine_local(today, time(0))
    result = result or evaluate_university(university, season, today, policy)
    venues = sorted((v for v in university.venues if v.active), key=lambda v: (v.capacity, v.id))
    busy: list[tuple[int, datetime, datetime]] = [
        (f.venue_id, f.starts_at, f.ends_at)
        for f in db.session.scalars(
            sa.select(Fair).where(
                Fair.venue_id.in_([v.id for v in venues]) if venues else sa.false(),
                Fair.status != "cancelled",
                Fair.ends_at > combine_local(season.start - timedelta(days=1), time(0)),
                Fair.starts_at < combine_local(season.end + timedelta(days=2), time(0)),
            )
        )
    ]
    info = day_range_info(season.start, season.end)
    out = PlanResult()
    at_risk = sorted(
        (p for p in result.periods if p.status == "at_risk"),
        key=lambda p: (p.count_from, 0 if p.period == "month" else 1, p.rule.kind),
    )
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
    for day in candidate_days(first, period.count_to, weekdays, info) if first <= period.count_to else []:
        if needed <= 0:
            break
        if day in used_days:
            continue
        starts = combine_local(day, at)
        ends = starts + timedelta(minutes=minutes)
        if starts <= now:
            continue
        venue = next(
            (
                v
                for v in venues
                if v.capacity >= booths and not any(b[0] == v.id and b[1] < ends and b[2] > starts for b in busy)
            ),
            None,
        )
        if venue is None:
            continue
        busy.append((venue.id, starts, ends))
        used_days.add(day)
        needed -= 1
        title = proposal_title(university, kind, period.period, day)
        out.proposals.append(
            Proposal(
                kind,
                period.period,
                period.count_from,
                period.count_to,
                title,
                day,
                at,
                _local_time(ends),
                venue.id,
                venue.name,
                booths,
            )
        )
    if needed > 0:
        unresolved("该时段内剩余的工作日没有空闲且足够大的场地。")


def proposal_title(university: University, kind: str, period: str, day: date) -> str:
    """The proposed title, which names the chosen date (the month for a month's large fair)."""
    if period == "month":
        return f"{university.name}{day.month}月{KIND_TITLES.get(kind, kind)}"
    return f"{university.name}{KIND_TITLES.get(kind, kind)}（{day.month}月{day.day}日）"


def matched_employers(university: University, limit: int = 10, sample: int = 200) -> list:
    """Approved employers whose postings match the university's graduates best: each graduate's
    top matches (recruit.matchmaking) are counted per employer over up to ``sample`` graduates with
    an intention, most frequent first (ties by employer id)."""
    graduates = db.session.scalars(
        sa.select(Graduate)
        .join(Intention, Intention.graduate_id == Graduate.id)
        .where(Graduate.university_id == university.id, Graduate.confirmed.is_(True))
        .order_by(Graduate.id)
        .limit(sample)
    ).all()
    counts: Counter[int] = Counter()
    for graduate in graduates:
        counts.update(matching.matched_employer_ids(graduate, top=10))
    if not counts:
        return []
    approved = {
        e.id: e
        for e in db.session.scalars(
            sa.select(Employer).where(Employer.id.in_(list(counts)), Employer.status == "approved")
        )
    }
    ranked = sorted((eid for eid in counts if eid in approved), key=lambda eid: (-counts[eid], eid))
    return [approved[eid] for eid in ranked[:limit]]


def _local_time(dt: datetime) -> time:
    return local(dt).time().replace(tzinfo=None)


def planner_fairs(university: University, season: Season) -> list[Fair]:
    """Fairs the planner created for the season (drafts to review, and those published since)."""
    return list(
        db.session.scalars(
            sa.select(Fair)
            .where(
                Fair.university_id == university.id,
                Fair.origin == "planner",
                Fair.status != "cancelled",
                Fair.starts_at >= combine_local(season.start - timedelta(days=1), time(0)),
                Fair.starts_at < combine_local(season.end + timedelta(days=2), time(0)),
            )
            .order_by(Fair.starts_at, Fair.id)
        )
    )


def create_drafts(university: University, items: list, user=None) -> list[Fair]:
    """The reviewed proposals as drafts (all or none), marked as the planner's."""
    fairs = create_many(university, items, user, publish=False)
    db.session.execute(sa.update(Fair).where(Fair.id.in_([f.id for f in fairs])).values(origin="planner"))
    db.session.commit()
    return fairs


def publish_drafts(university: University, season: Season, now: datetime | None = None) -> tuple[list[Fair], list[str]]:
    """Publish every planner draft of the season: (published, one message per draft that could not be)."""
    published, problems = [], []
    for fair in [f for f in planner_fairs(university, season) if f.status == "draft"]:
        title = fair.title
        try:
            published.append(publish_fair(fair, now))
        except ServiceError as error:
            problems.append(f"{title}：{error.message}")
    return published, problems


def invite_matched(university: University, fairs: list[Fair], user=None, limit: int = 10) -> tuple[int, int]:
    """Invite the best-matched employers to each published future fair (once per fair and employer).
    Returns (new invitations, employers considered)."""
    employers = matched_employers(university, limit=limit)
    now = utcnow()
    created = 0
    for fair in fairs:
        if fair.status != "scheduled" or fair.starts_at <= now:
            continue
        invited = set(
            db.session.scalars(sa.select(FairInvitation.employer_id).where(FairInvitation.fair_id == fair.id))
        )
        for employer in employers:
            if employer.id in invited:
                continue
            db.session.add(
                FairInvitation(
                    fair_id=fair.id, employer_id=employer.id, invited_by_id=getattr(user, "id", None), created_at=now
                )
            )
            users = db.session.scalars(sa.select(User).where(User.role == "employer", User.employer_id == employer.id))
            notes.notify(
                users,
                kind="fair_invitation",
                event_key=f"fair_invitation:{fair.id}:{employer.id}",
                title=f"{university.name}邀请贵单位参加：{fair.title}",
                body=f"{university.name}的毕业生与贵单位的岗位匹配度较高，诚邀贵单位参加{format_datetime(fair.starts_at)}的“{fair.title}”，"
                "欢迎在招聘会页面申请展位。",
                link=notes.path_for("fairs.detail", fair_id=fair.id),
            )
            created += 1
    try:
        db.session.commit()
    except IntegrityError:  # invited at the same moment by another organizer: nothing lost
        db.session.rollback()
        raise ServiceError("邀请已由他人同时发出，请刷新后查看。", status=409) from None
    return created, len(employers)


def apply(university: University, proposals: list[Proposal], user=None) -> list[Fair]:
    """Publish the proposals as scheduled fairs in one transaction (the CLI's ``--apply``)."""
    items = [
        FairData(
            kind=p.kind,
            title=p.title,
            format="onsite",
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            venue_id=p.venue_id,
            booth_capacity=p.booth_capacity,
        )
        for p in proposals
    ]
    return create_many(university, items, user, publish=True)
