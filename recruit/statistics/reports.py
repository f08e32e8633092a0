"""Statistics reports (§15), verification samples (核查, §20) and staffing (§19).

A report is a frozen snapshot of a university's verified destination records for one graduating
class, submitted for one period of the cadence. Snapshots are computed by :func:`snapshot` only,
so a report, the dashboard and the annual quality report show the same figures.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from recruit.core import audit
from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.graduates.models import Graduate, SchoolRecommendation
from recruit.statistics.models import (
    VERDICTS,
    VETO_DECISIONS,
    DestinationRecord,
    SampleItem,
    StatisticsReport,
    UniversityStaffing,
    VerificationSample,
)
from recruit.statistics.policy import ReportPeriod, StatisticsPolicy, categories, load_policy
from recruit.timeutil import utcnow
from recruit.universities.models import College, University

#: §19: at least one full-time employment officer per this many graduates.
GRADUATES_PER_OFFICER = 500
MAX_SAMPLE = 500
NO_COLLEGE = "未分院系"


def current_statistics_policy() -> StatisticsPolicy:
    return load_policy(current_app.config.get("STATISTICS_POLICY_FILE"))


def class_year_on(day: date) -> int:
    """The graduating class the statistics of ``day`` are about (September starts the next class)."""
    return day.year + (1 if day.month >= 9 else 0)


# ------------------------------------------------------------------ snapshot


def _bucket() -> dict:
    return {"graduates": 0, "verified": 0, "placed": 0}


def snapshot(university: University, class_year: int) -> dict:
    """Counts of the class's graduates and their records; only verified records count as placed."""
    placed_codes = {c.code for c in categories() if c.placed}
    graduates = db.session.execute(
        sa.select(
            Graduate.id,
            Graduate.major,
            Graduate.degree,
            Graduate.college_id,
            Graduate.low_income,
            Graduate.ethnic_minority,
            Graduate.disability,
        ).where(Graduate.university_id == university.id, Graduate.graduation_year == class_year)
    ).all()
    records = {
        r.graduate_id: r
        for r in db.session.scalars(
            sa.select(DestinationRecord).where(DestinationRecord.university_id == university.id)
        )
    }
    colleges = {
        c.id: c.name for c in db.session.scalars(sa.select(College).where(College.university_id == university.id))
    }
    by_category: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    industries: Counter[str] = Counter()
    by_college: dict[str, dict] = defaultdict(_bucket)
    by_major: dict[str, dict] = defaultdict(_bucket)
    by_degree: dict[str, dict] = defaultdict(_bucket)
    key_group = _bucket()
    for g in graduates:
        record = records.get(g.id)
        status = record.status if record else "missing"
        statuses[status] += 1
        verified = status == "verified"
        placed = verified and record.category in placed_codes
        buckets = [by_college[colleges.get(g.college_id, NO_COLLEGE)], by_major[g.major], by_degree[g.degree]]
        if g.low_income or g.ethnic_minority or g.disability:
            buckets.append(key_group)
        for b in buckets:
            b["graduates"] += 1
            b["verified"] += verified
            b["placed"] += placed
        if verified:
            by_category[record.category] += 1
            if record.category in placed_codes and record.category not in ("further_study", "abroad"):
                regions[record.city or "—"] += 1
                industries[record.industry or "—"] += 1
    total = len(graduates)
    placed_total = sum(n for code, n in by_category.items() if code in placed_codes)
    return {
        "class_year": class_year,
        "graduates": total,
        "verified": statuses["verified"],
        "pending": total - statuses["verified"] - statuses["missing"],
        "missing": statuses["missing"],
        "placed": placed_total,
        "rate": round(placed_total / total, 4) if total else 0.0,
        "pending_share": round((total - statuses["verified"]) / total, 4) if total else 0.0,
        "by_category": {c.code: by_category.get(c.code, 0) for c in categories()},
        "by_college": dict(sorted(by_college.items())),
        "by_major": dict(sorted(by_major.items())),
        "by_degree": dict(sorted(by_degree.items())),
        "key_group": key_group,
        "regions": dict(regions.most_common()),
        "industries": dict(industries.most_common()),
        "further_study": by_category.get("further_study", 0) + by_category.get("abroad", 0),
    }


# ------------------------------------------------------------------ reports


def reports_for(university: University, period: ReportPeriod) -> list[StatisticsReport]:
    return list(
        db.session.scalars(
            sa.select(StatisticsReport)
            .where(
                StatisticsReport.university_id == university.id,
                StatisticsReport.cadence == period.cadence,
                StatisticsReport.period_start == period.start,
            )
            .order_by(StatisticsReport.revision)
        )
    )


def submit_report(
    university: University, period: ReportPeriod, actor, reason: str = "", policy: StatisticsPolicy | None = None
) -> StatisticsReport:
    """Freeze the counts for ``period``. A second submission is a correction: it needs a reason
    and becomes the next revision; earlier revisions never change."""
    policy = policy or current_statistics_policy()
    if period not in policy.periods_on(period.start) and period not in policy.periods_on(period.end):
        raise ServiceError("该时段不是报送时段。", "period", 404)
    if actor.role != "organizer" or actor.university_id != university.id or actor.college_id is not None:
        raise ServiceError("只有学校就业部门可以报送统计。", None, 403)
    reason = (reason or "").strip()
    previous = reports_for(university, period)
    if previous and not reason:
        raise ServiceError("该时段已报送；更正须填写更正原因，将生成新的版本。", "reason", 409)
    if len(reason) > 500:
        raise ServiceError("更正原因不能超过 500 个字符。", "reason")
    report = StatisticsReport(
        university_id=university.id,
        cadence=period.cadence,
        period_start=period.start,
        period_end=period.end,
        class_year=period.class_year,
        revision=len(previous) + 1,
        snapshot=snapshot(university, period.class_year),
        correction_reason=reason,
        submitted_by_id=actor.id,
        submitted_at=utcnow(),
    )
    db.session.add(report)
    if previous:  # a correction: audited with what it replaces and why
        db.session.flush()
        audit.record(
            actor,
            "statistics.correct",
            "statistics_report",
            report.id,
            university_id=university.id,
            label=f"{university.name} {period.cadence} {period.start.isoformat()}",
            before={"revision": previous[-1].revision, "placed": previous[-1].snapshot.get("placed")},
            after={"revision": report.revision, "placed": report.snapshot.get("placed"), "reason": reason},
        )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise ServiceError("该时段刚刚有人报送，请刷新后查看。", None, 409) from None
    return report


@dataclass(frozen=True)
class PeriodState:
    period: ReportPeriod
    deadline: date
    #: submitted (on time) | late (submitted after the deadline) | overdue | due | open (not ended)
    state: str
    latest: StatisticsReport | None


def period_states(
    university: University, today: date, policy: StatisticsPolicy | None = None, since: date | None = None
) -> list[PeriodState]:
    """Every report period with a day from ``since`` (default: a year ago) to today, newest first."""
    policy = policy or current_statistics_policy()
    first = since or today - timedelta(days=365)
    periods = policy.periods_between(first, today)
    submitted: dict[tuple[str, date], StatisticsReport] = {}
    latest: dict[tuple[str, date], StatisticsReport] = {}
    for r in db.session.scalars(
        sa.select(StatisticsReport)
        .where(
            StatisticsReport.university_id == university.id, StatisticsReport.period_start >= first - timedelta(days=7)
        )
        .order_by(StatisticsReport.revision)
    ):
        submitted.setdefault((r.cadence, r.period_start), r)  # the first revision decides lateness
        latest[(r.cadence, r.period_start)] = r  # ordered by revision: the last one wins
    out = []
    for p in periods:
        deadline = policy.deadline(p)
        first_report = submitted.get((p.cadence, p.start))
        if first_report is not None:
            day = first_report.submitted_at.astimezone(ZoneInfo(policy.timezone)).date()
            state = "late" if day > deadline else "submitted"
        elif today > deadline:
            state = "overdue"
        elif today > p.end:
            state = "due"
        else:
            state = "open"
        out.append(PeriodState(p, deadline, state, latest.get((p.cadence, p.start))))
    return sorted(out, key=lambda s: (s.period.end, s.period.cadence), reverse=True)


def due_for_reminder(
    today: date, policy: StatisticsPolicy | None = None
) -> list[tuple[University, ReportPeriod, date]]:
    """(university, period, deadline) of reports not yet submitted whose deadline is within the
    policy's reminder window (the scheduler tells those universities' offices)."""
    policy = policy or current_statistics_policy()
    out = []
    for university in db.session.scalars(sa.select(University).order_by(University.code)):
        for s in period_states(university, today, policy):
            if s.state in ("due", "open") and 0 <= (s.deadline - today).days <= policy.remind_days_before:
                out.append((university, s.period, s.deadline))
    return out


# ------------------------------------------------------------------ verification samples (核查)


def draw_sample(
    university: University, class_year: int, size: int, actor, seed: int | None = None
) -> VerificationSample:
    """A random sample of the class's verified records. The seed is stored: drawing again with
    the same seed over the same records gives the same records in the same order."""
    if actor.role != "admin":
        raise ServiceError("只有省教育厅可以抽查。", None, 403)
    if not 1 <= size <= MAX_SAMPLE:
        raise ServiceError("抽查数量应为 1 到 500。", "size")
    seed = secrets.randbits(31) if seed is None else seed
    if not 0 <= seed < 2**63:
        raise ServiceError("随机种子应为非负整数。", "seed")
    sample = VerificationSample(
        university_id=university.id, class_year=class_year, seed=seed, size=size, created_by_id=actor.id
    )
    for position, record_id in enumerate(sample_ids(university, class_year, size, seed)):
        sample.items.append(SampleItem(record_id=record_id, position=position))
    db.session.add(sample)
    db.session.commit()
    return sample


def sample_ids(university: University, class_year: int, size: int, seed: int) -> list[int]:
    """The record ids a seed picks (pure given the records): sorted ids, then ``random.Random(seed)``."""
    ids = list(
        db.session.scalars(
            sa.select(DestinationRecord.id)
            .join(Graduate, Graduate.id == DestinationRecord.graduate_id)
            .where(
                DestinationRecord.university_id == university.id,
                DestinationRecord.status == "verified",
                Graduate.graduation_year == class_year,
            )
            .order_by(DestinationRecord.id)
        )
    )
    return random.Random(seed).sample(ids, min(size, len(ids)))


def record_verdict(item: SampleItem, verdict: str, note: str, actor) -> SampleItem:
    if actor.role != "admin":
        raise ServiceError("只有省教育厅可以核查。", None, 403)
    if verdict not in VERDICTS or verdict == "unchecked":
        raise ServiceError("请选择核查结论。", "verdict")
    note = (note or "").strip()
    if verdict == "falsified" and not note:
        raise ServiceError("认定弄虚作假须写明依据。", "note")
    item.verdict, item.note, item.checked_by_id, item.checked_at = verdict, note[:500], actor.id, utcnow()
    db.session.commit()
    return item


def decide_veto(sample: VerificationSample, decision: str, note: str, actor) -> VerificationSample:
    """Record the province's 一票否决 decision on a sample (a decision, never automatic)."""
    if actor.role != "admin":
        raise ServiceError("只有省教育厅可以作出此决定。", None, 403)
    if decision not in VETO_DECISIONS:
        raise ServiceError("请选择决定。", "veto")
    note = (note or "").strip()
    if decision == "applied" and not note:
        raise ServiceError("实行一票否决须写明依据。", "veto_note")
    sample.veto, sample.veto_note = decision, note[:500]
    db.session.commit()
    return sample


# ------------------------------------------------------------------ staffing (§19)


def officers_required(graduates: int) -> int:
    return math.ceil(graduates / GRADUATES_PER_OFFICER) if graduates > 0 else 0


def staffing_of(university: University) -> UniversityStaffing | None:
    return db.session.scalar(sa.select(UniversityStaffing).where(UniversityStaffing.university_id == university.id))


def set_officers(university: University, count: int, actor) -> UniversityStaffing:
    if not isinstance(count, int) or not 0 <= count <= 10000:
        raise ServiceError("专职就业工作人员人数应为 0 到 10000 的整数。", "officers")
    staffing = staffing_of(university) or UniversityStaffing(university_id=university.id)
    staffing.fulltime_officers, staffing.updated_by_id, staffing.updated_at = count, actor.id, utcnow()
    db.session.add(staffing)
    db.session.commit()
    return staffing


def key_group_support(university: University, class_year: int) -> dict:
    """Counts only: key-group graduates of the class, those with a school recommendation."""
    key = sa.or_(Graduate.low_income.is_(True), Graduate.ethnic_minority.is_(True), Graduate.disability.is_(True))
    base = sa.select(Graduate.id).where(
        Graduate.university_id == university.id, Graduate.graduation_year == class_year, key
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    recommended = (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(SchoolRecommendation.graduate_id))).where(
                SchoolRecommendation.graduate_id.in_(base)
            )
        )
        or 0
    )
    return {"total": total, "recommended": recommended}
