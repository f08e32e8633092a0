"""The frequency check computed from the database."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from recruit.compliance.engine import FairRecord, SeasonResult, evaluate
from recruit.compliance.policy import Policy, Season, current_policy
from recruit.extensions import db
from recruit.fairs.models import Fair, FairCheckin, FairRegistration
from recruit.timeutil import combine_local
from recruit.universities.models import University


def season_fairs_query(season: Season, university_ids: list[int] | None = None):
    """Non-draft fairs starting in the season (with a day of margin for time zones)."""
    lo = combine_local(season.start - timedelta(days=1), time(0))
    hi = combine_local(season.end + timedelta(days=2), time(0))
    query = sa.select(Fair).where(Fair.starts_at >= lo, Fair.starts_at < hi).order_by(Fair.starts_at, Fair.id)
    if university_ids is not None:
        query = query.where(Fair.university_id.in_(university_ids))
    return query


def checked_in_employers(fair_ids: list[int]) -> dict[int, int]:
    """Employers checked in at each fair (approved booth registrations with a check-in)."""
    if not fair_ids:
        return {}
    rows = db.session.execute(
        sa.select(FairCheckin.fair_id, sa.func.count(FairCheckin.id))
        .join(FairRegistration, FairRegistration.id == FairCheckin.registration_id)
        .where(FairCheckin.fair_id.in_(fair_ids), FairRegistration.status == "approved")
        .group_by(FairCheckin.fair_id)
    )
    return {fair_id: count for fair_id, count in rows}


def to_record(fair: Fair, code: str, checked_in: int = 0) -> FairRecord:
    return FairRecord(
        id=str(fair.id),
        university=code,
        kind=fair.kind,
        starts_at=fair.starts_at,
        status=fair.status,
        ends_at=fair.ends_at,
        format=fair.format,
        checked_in_employers=checked_in,
    )


def evaluate_university(
    university: University, season: Season, today: date, policy: Policy | None = None
) -> SeasonResult:
    policy = policy or current_policy()
    fairs = db.session.scalars(season_fairs_query(season, [university.id])).all()
    counts = checked_in_employers([f.id for f in fairs])
    return evaluate(
        [to_record(f, university.code, counts.get(f.id, 0)) for f in fairs], season, policy, today, university.code
    )


def at_risk_periods(university: University, today: date, horizon_days: int = 14) -> tuple[str, list]:
    """(season key, at-risk periods of the current season within the horizon), evidence included
    (the ``frequency_watch`` job reads this)."""
    policy = current_policy()
    season = policy.season_for(today)
    return season.key, evaluate_university(university, season, today, policy).at_risk_within(horizon_days)


def evaluate_universities(
    season: Season, today: date, code: str | None = None, policy: Policy | None = None
) -> list[tuple[University, SeasonResult]]:
    """Every university (or the one with ``code``), by code; LookupError for an unknown code."""
    policy = policy or current_policy()
    query = sa.select(University).order_by(University.code)
    if code:
        query = query.where(University.code == code)
    universities = db.session.scalars(query).all()
    if code and not universities:
        raise LookupError(f"--university: unknown university code {code!r}")
    by_id: dict[int, list[FairRecord]] = {u.id: [] for u in universities}
    codes = {u.id: u.code for u in universities}
    fairs = db.session.scalars(season_fairs_query(season, list(by_id))).all()
    counts = checked_in_employers([f.id for f in fairs])
    for fair in fairs:
        by_id[fair.university_id].append(to_record(fair, codes[fair.university_id], counts.get(fair.id, 0)))
    return [(u, evaluate(by_id[u.id], season, policy, today, u.code)) for u in universities]


def province_rows(results: list[tuple[University, SeasonResult]], today: date, horizon_days: int = 14) -> list[dict]:
    """One summary row per university, worst first."""
    rows = []
    for university, result in results:
        weeks, months = result.weeks, result.months
        rows.append(
            {
                "university": university,
                "result": result,
                "weeks_met": sum(1 for p in weeks if p.status == "met"),
                "weeks_ok": sum(1 for p in weeks if p.status in ("met", "planned")),
                "weeks_required": len(weeks),
                "months_met": sum(1 for p in months if p.status == "met"),
                "months_ok": sum(1 for p in months if p.status in ("met", "planned")),
                "months_required": len(months),
                "missed": sum(1 for p in result.periods if p.status == "missed"),
                "verified": sum(p.done for p in result.periods if p.count_to < today),
                "below": sum(p.below for p in result.periods),
                "verdict": result.verdict,
                "at_risk": len([p for p in result.periods if p.status == "at_risk"]),
                "at_risk_soon": len(result.at_risk_within(horizon_days)),
                "compliant": result.compliant,
            }
        )
    rows.sort(
        key=lambda r: (
            r["compliant"],
            -r["missed"],
            -r["below"],
            -r["at_risk_soon"],
            -r["at_risk"],
            r["weeks_ok"] + r["months_ok"],
            r["university"].code,
        )
    )
    return rows
