"""Organizers' services: university scope, supply and demand by major, key-group case records.

Organizers act on their own university only; admins choose one (``?university=CODE``).
Graduates of another university are "not found" (the routes answer 404).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from matching.majors import major_class, major_key, requirement_classes
from recruit.applications import outcomes
from recruit.core.errors import ServiceError
from recruit.core.scope import scope_to_university
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.graduates.models import CaseNote, Graduate, SchoolRecommendation
from recruit.matchmaking.services import matches_for_graduate, top_match_scores
from recruit.notifications import services as notifications
from recruit.timeutil import today_local
from recruit.universities.models import University
from recruit.validation import DEGREE_RANK, LIMITS, parse_int

DEFAULT_THRESHOLD = 0.3
TOP_MATCHES = 5


# ------------------------------------------------------------------ scope


def universities() -> list[University]:
    return db.session.scalars(sa.select(University).order_by(University.code)).all()


def key_group_condition():
    return sa.or_(Graduate.low_income.is_(True), Graduate.ethnic_minority.is_(True), Graduate.disability.is_(True))


def get_key_group_graduate(graduate_id: int, user):
    """A key-group graduate ``user`` may follow up (own university; admins: any), else None."""
    query = sa.select(Graduate).where(Graduate.id == graduate_id, key_group_condition())
    return db.session.scalar(scope_to_university(query, user, Graduate.university_id))


# ------------------------------------------------------------------ supply and demand


@dataclass
class MajorRow:
    major: str
    graduates: int = 0
    postings_for_major: int = 0  #: active postings naming the major
    postings_any_major: int = 0  #: active postings open to any major
    matched: int = 0  #: graduates whose best match score reaches the threshold
    major_class: str | None = None  #: its class (专业类) in the MoE catalogue; None when not catalogued
    postings_related: int = 0  #: active postings opening the major's class without naming the major
    applications: int = 0  #: applications made by the major's graduates
    offers: int = 0  #: of them, offers (录用, accepted or not)

    @property
    def postings(self) -> int:
        return self.postings_for_major + self.postings_any_major

    @property
    def rate(self) -> float:
        return self.matched / self.graduates if self.graduates else 0.0


def parse_threshold(value) -> float:
    """A threshold in [0, 1]; raises ServiceError with a Chinese message otherwise."""
    if value in (None, ""):
        return DEFAULT_THRESHOLD
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ServiceError("匹配阈值须为 0 到 1 之间的数字，例如 0.3。", "threshold") from None
    if not 0.0 <= number <= 1.0 or number != number:
        raise ServiceError("匹配阈值须为 0 到 1 之间的数字，例如 0.3。", "threshold")
    return round(number, 3)


def supply_demand(university: University, threshold: float = DEFAULT_THRESHOLD) -> list[MajorRow]:
    """Rows per major (the university's majors plus its graduates' majors), worst match rate first."""
    graduates = db.session.scalars(sa.select(Graduate).where(Graduate.university_id == university.id)).all()
    majors: list[str] = list(dict.fromkeys([*(university.majors or []), *sorted({g.major for g in graduates})]))
    rows = {m: MajorRow(m) for m in majors}
    for g in graduates:
        rows[g.major].graduates += 1
    today = today_local()
    active = db.session.scalars(
        sa.select(Posting.majors).join(Employer, Employer.id == Posting.employer_id).where(Posting.public_clause(today))
    )
    named: Counter[str] = Counter()
    opened: Counter[str] = Counter()  # class -> postings opening it
    named_in_class: Counter[tuple[str, str]] = Counter()  # (class, major key) -> postings naming it
    any_major = 0
    for posting_majors in active:
        if not posting_majors:
            any_major += 1
            continue
        named.update({major_key(m) for m in posting_majors})
        classes = {c for m in posting_majors for c in requirement_classes(m)}
        opened.update(classes)
        named_in_class.update({(c, major_key(m)) for m in posting_majors for c in classes})
    for row in rows.values():
        key = major_key(row.major)
        row.major_class = major_class(row.major)
        row.postings_for_major = named.get(key, 0)
        row.postings_any_major = any_major
        if row.major_class:
            row.postings_related = opened.get(row.major_class, 0) - named_in_class.get((row.major_class, key), 0)
    scores = top_match_scores(graduates) if graduates else {}
    for g in graduates:
        if scores.get(g.id, 0.0) >= threshold and scores.get(g.id, 0.0) > 0.0:
            rows[g.major].matched += 1
    for major, counts in outcomes.counts_by_major(university.id).items():
        if major in rows:
            rows[major].applications = counts["applications"]
            rows[major].offers = counts["offers"]
    ordered = sorted(rows.values(), key=lambda r: (r.graduates == 0, r.rate, -r.graduates, r.major))
    return ordered


@dataclass
class ClassRow:
    """Supply and demand of one class (专业类): its majors at the university, summed."""

    major_class: str  #: class name, or "" for the majors outside the catalogue
    majors: list[str]
    graduates: int = 0
    postings_for_class: int = 0  #: active postings naming a major of the class or the class itself
    postings_any_major: int = 0
    matched: int = 0
    applications: int = 0
    offers: int = 0

    @property
    def postings(self) -> int:
        return self.postings_for_class + self.postings_any_major

    @property
    def rate(self) -> float:
        return self.matched / self.graduates if self.graduates else 0.0


def supply_demand_by_class(rows: list[MajorRow]) -> list[ClassRow]:
    """The rows of :func:`supply_demand` grouped by class (专业类), worst match rate first.

    A class's postings are those opening it (naming the class, "X相关专业" or one of its majors):
    every one of its rows counts them as 专业对口 or 相关专业, so the largest such sum is the class's.
    Majors outside the catalogue are kept together in one group (class "").
    """
    groups: dict[str, ClassRow] = {}
    for r in rows:
        g = groups.setdefault(r.major_class or "", ClassRow(r.major_class or "", []))
        g.majors.append(r.major)
        g.graduates += r.graduates
        g.matched += r.matched
        g.applications += r.applications
        g.offers += r.offers
        g.postings_any_major = r.postings_any_major
        if r.major_class:
            g.postings_for_class = max(g.postings_for_class, r.postings_for_major + r.postings_related)
        else:
            g.postings_for_class += r.postings_for_major
    return sorted(
        groups.values(), key=lambda g: (g.graduates == 0, g.major_class == "", g.rate, -g.graduates, g.major_class)
    )


def majors_outside_catalogue(rows: list[MajorRow]) -> list[MajorRow]:
    """The rows whose major the MoE catalogue does not know (to be checked by the office)."""
    return [r for r in rows if r.major_class is None]


SUPPLY_DEMAND_HEADERS = (
    "专业",
    "专业类",
    "毕业生人数",
    "专业对口岗位数",
    "相关专业岗位数",
    "不限专业岗位数",
    "可投递岗位合计",
    "已匹配毕业生",
    "匹配率",
    "投递数",
    "录用数",
)
SUPPLY_DEMAND_CLASS_HEADERS = (
    "专业类",
    "专业",
    "毕业生人数",
    "本类岗位数",
    "不限专业岗位数",
    "可投递岗位合计",
    "已匹配毕业生",
    "匹配率",
    "投递数",
    "录用数",
)


def supply_demand_table(rows: list[MajorRow]) -> list[list]:
    return [
        [
            r.major,
            r.major_class or "",
            r.graduates,
            r.postings_for_major,
            r.postings_related,
            r.postings_any_major,
            r.postings,
            r.matched,
            f"{r.rate * 100:.1f}%",
            r.applications,
            r.offers,
        ]
        for r in rows
    ]


def supply_demand_class_table(groups: list[ClassRow]) -> list[list]:
    return [
        [
            g.major_class,
            "、".join(g.majors),
            g.graduates,
            g.postings_for_class,
            g.postings_any_major,
            g.postings,
            g.matched,
            f"{g.rate * 100:.1f}%",
            g.applications,
            g.offers,
        ]
        for g in groups
    ]


# ------------------------------------------------------------------ key groups


def key_group_graduates(university: University, *, group: str | None = None, q: str = ""):
    """The university's key-group graduates (optionally one group, or a name/number search)."""
    query = sa.select(Graduate).where(Graduate.university_id == university.id, key_group_condition())
    if group in ("low_income", "ethnic_minority", "disability"):
        query = query.where(getattr(Graduate, group).is_(True))
    if q:
        like = f"%{q}%"
        query = query.where(
            sa.or_(Graduate.name.like(like), Graduate.student_number.like(like), Graduate.major.like(like))
        )
    return query.order_by(Graduate.student_number)


def case_counts(graduate_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(notes per graduate, school recommendations per graduate)."""
    if not graduate_ids:
        return {}, {}
    notes = dict(
        db.session.execute(
            sa.select(CaseNote.graduate_id, sa.func.count())
            .where(CaseNote.graduate_id.in_(graduate_ids))
            .group_by(CaseNote.graduate_id)
        ).all()
    )
    recs = dict(
        db.session.execute(
            sa.select(SchoolRecommendation.graduate_id, sa.func.count())
            .where(SchoolRecommendation.graduate_id.in_(graduate_ids))
            .group_by(SchoolRecommendation.graduate_id)
        ).all()
    )
    return notes, recs


def top_matches(graduate, limit: int = TOP_MATCHES) -> list:
    """The graduate's best matches (school recommendations first), via the matching service."""
    return matches_for_graduate(graduate, limit=limit)


def case_notes(graduate) -> list:
    return db.session.scalars(
        sa.select(CaseNote)
        .where(CaseNote.graduate_id == graduate.id)
        .order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
    ).all()


def recommendations(graduate) -> list[tuple]:
    return db.session.execute(
        sa.select(SchoolRecommendation, Posting)
        .join(Posting, Posting.id == SchoolRecommendation.posting_id)
        .where(SchoolRecommendation.graduate_id == graduate.id)
        .order_by(SchoolRecommendation.created_at.desc(), SchoolRecommendation.id.desc())
    ).all()


def add_note(graduate, author, body: str):
    body = (body or "").strip()
    if not body:
        raise ServiceError("请填写记录内容。", "body")
    if len(body) > LIMITS["note"]:
        raise ServiceError(f"记录不能超过 {LIMITS['note']} 个字符。", "body")
    note = CaseNote(graduate_id=graduate.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.commit()
    return note


def recommend(graduate, posting_id, author, note: str = ""):
    """Recommend an active posting to a key-group graduate (shown first, 优先推荐)."""
    posting_id = parse_int(posting_id, minimum=1)
    if posting_id is None:  # missing, not a number, 1e30, beyond an INTEGER id
        raise ServiceError("请选择要推荐的岗位。", "posting_id")
    posting = db.session.get(Posting, posting_id)
    if posting is None:
        raise ServiceError("该岗位不存在。", "posting_id")
    if not posting.is_active():
        raise ServiceError("该岗位已关闭、已过截止日期或单位未通过认证，不能推荐。", "posting_id")
    if DEGREE_RANK.get(posting.min_degree, 0) > DEGREE_RANK.get(graduate.degree, 0):
        raise ServiceError("该岗位要求的学历高于该毕业生的学历，不能推荐。", "posting_id")
    note = (note or "").strip()
    if len(note) > LIMITS["reason"]:
        raise ServiceError(f"推荐理由不能超过 {LIMITS['reason']} 个字符。", "note")
    if already_recommended(graduate.id, posting.id):
        raise ServiceError("已经向该毕业生推荐过这个岗位。", "posting_id", 409)
    rec = SchoolRecommendation(graduate_id=graduate.id, posting_id=posting.id, recommended_by_id=author.id, note=note)
    db.session.add(rec)
    try:
        db.session.flush()  # the unique (graduate, posting) decides a double submit: one row, one notification
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("已经向该毕业生推荐过这个岗位。", "posting_id", 409) from None
    notifications.notify(
        notifications.graduate_users(graduate.id),
        kind="school_recommendation",
        event_key=f"school_recommendation:{graduate.id}:{posting.id}:{rec.id}",
        params={"title": posting.title, "employer": posting.employer.name, "note": note},
        link=notifications.path_for("graduates.matches"),
    )
    db.session.commit()
    return rec, posting


def already_recommended(graduate_id: int, posting_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(SchoolRecommendation.id).where(
                SchoolRecommendation.graduate_id == graduate_id, SchoolRecommendation.posting_id == posting_id
            )
        )
        is not None
    )


def withdraw_recommendation(graduate, posting_id: int) -> bool:
    rec = db.session.scalar(
        sa.select(SchoolRecommendation).where(
            SchoolRecommendation.graduate_id == graduate.id, SchoolRecommendation.posting_id == posting_id
        )
    )
    if rec is None:
        return False
    db.session.delete(rec)
    db.session.commit()
    return True
