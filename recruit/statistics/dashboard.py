"""The province's view of every university (§19, §20), and one university's view of itself.

One row per university with: fair frequency (the compliance engine's season result), statistics
reports in / late / missing, the employment rate with the share still pending review, staffing
against 1 officer per 500 graduates, key-group counts (counts only), postings; plus a heat map of
universities × weeks for the fair frequency. Figures come from the same functions as the
university's own pages (snapshot, period_states), so the two views never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from recruit.compliance.engine import SeasonResult
from recruit.compliance.policy import current_policy
from recruit.compliance.services import evaluate_universities
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.statistics.reports import (
    class_year_on,
    current_statistics_policy,
    key_group_support,
    officers_required,
    period_states,
    snapshot,
    staffing_of,
)
from recruit.universities.models import University

SORT_KEYS = ("rate", "pending", "reports", "staffing", "fairs", "code")


@dataclass
class UniversityRow:
    university: University
    season: SeasonResult | None
    fairs_missed: int
    fairs_at_risk: int
    reports_in: int
    reports_late: int
    reports_missing: int
    graduates: int
    rate: float
    pending_share: float
    officers: int | None
    officers_required: int
    key_group: dict
    postings: int

    @property
    def staffing_met(self) -> bool:
        return self.officers is not None and self.officers >= self.officers_required


def season_for_today(today: date):
    """The season containing ``today``, else the next one to start (the compliance pages' choice)."""
    return current_policy().season_for(today)


def university_row(
    university: University, season_result: SeasonResult | None, today: date, postings: int
) -> UniversityRow:
    class_year = class_year_on(today)
    snap = snapshot(university, class_year)
    states = [s.state for s in period_states(university, today, current_statistics_policy())]
    staffing = staffing_of(university)
    graduates = university.graduates_count or snap["graduates"]
    return UniversityRow(
        university=university,
        season=season_result,
        fairs_missed=sum(1 for p in season_result.periods if p.status == "missed") if season_result else 0,
        fairs_at_risk=sum(1 for p in season_result.periods if p.status == "at_risk") if season_result else 0,
        reports_in=states.count("submitted"),
        reports_late=states.count("late"),
        reports_missing=states.count("overdue"),
        graduates=graduates,
        rate=snap["rate"],
        pending_share=snap["pending_share"],
        officers=staffing.fulltime_officers if staffing else None,
        officers_required=officers_required(graduates),
        key_group={**key_group_support(university, class_year), "placed": snap["key_group"]["placed"]},
        postings=postings,
    )


def postings_by_university(university_ids: list[int]) -> dict[int, int]:
    """Open postings of approved employers with an approved booth at one of the university's fairs."""
    rows = db.session.execute(
        sa.select(Fair.university_id, sa.func.count(sa.distinct(Posting.id)))
        .join(FairRegistration, FairRegistration.fair_id == Fair.id)
        .join(Employer, Employer.id == FairRegistration.employer_id)
        .join(Posting, Posting.employer_id == Employer.id)
        .where(
            Fair.university_id.in_(university_ids),
            FairRegistration.status == "approved",
            Employer.status == "approved",
            Posting.status == "open",
        )
        .group_by(Fair.university_id)
    )
    return dict(rows.all())


def province_rows(today: date, sort: str = "rate") -> list[UniversityRow]:
    season = season_for_today(today)
    results = {u.id: r for u, r in evaluate_universities(season, today)}
    universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
    postings = postings_by_university([u.id for u in universities])
    rows = [university_row(u, results.get(u.id), today, postings.get(u.id, 0)) for u in universities]
    keys = {
        "rate": lambda r: (r.rate, r.university.code),
        "pending": lambda r: (-r.pending_share, r.university.code),
        "reports": lambda r: (-r.reports_missing, -r.reports_late, r.university.code),
        "staffing": lambda r: (r.staffing_met, (r.officers or 0) - r.officers_required, r.university.code),
        "fairs": lambda r: (-r.fairs_missed, -r.fairs_at_risk, r.university.code),
        "code": lambda r: r.university.code,
    }
    return sorted(rows, key=keys.get(sort, keys["rate"]))


def heat_map(rows: list[UniversityRow]) -> tuple[list[date], list[tuple[University, list[str]]]]:
    """Weeks of the season (their Mondays) and, per university, each week's status."""
    weeks: list[date] = []
    for r in rows:
        if r.season is not None:
            weeks = [p.start for p in r.season.weeks]
            break
    grid = []
    for r in rows:
        statuses = {p.start: p.status for p in r.season.weeks} if r.season else {}
        grid.append((r.university, [statuses.get(w, "") for w in weeks]))
    return weeks, grid


EXPORT_HEADERS = (
    "院校代码",
    "院校名称",
    "毕业生人数",
    "毕业去向落实率",
    "待复核占比",
    "已报送",
    "逾期报送",
    "未报送",
    "专职就业人员",
    "应配人数(1:500)",
    "招聘会未达标时段",
    "有风险时段",
    "重点群体人数",
    "已获学校推荐",
    "重点群体已落实",
)


def export_table(rows: list[UniversityRow]) -> list[list]:
    return [
        [
            r.university.code,
            r.university.name,
            r.graduates,
            f"{r.rate * 100:.1f}%",
            f"{r.pending_share * 100:.1f}%",
            r.reports_in,
            r.reports_late,
            r.reports_missing,
            "" if r.officers is None else r.officers,
            r.officers_required,
            r.fairs_missed,
            r.fairs_at_risk,
            r.key_group["total"],
            r.key_group["recommended"],
            r.key_group["placed"],
        ]
        for r in rows
    ]
