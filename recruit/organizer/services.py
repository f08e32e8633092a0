"""Organizers' services: university scope, supply and demand by major, key-group case records.

Organizers act on their own university only; admins choose one (``?university=CODE``).
Graduates of another university are "not found" (the routes answer 404).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.timeutil import today_local
from recruit.universities.models import University
from recruit.validation import DEGREE_RANK, LIMITS, parse_int

DEFAULT_THRESHOLD = 0.3
TOP_MATCHES = 5


# ------------------------------------------------------------------ scope


def university_for(user, code: str | None = None) -> University | None:
    """The university a user works on: the organizer's own; for an admin the one named by ``code``."""
    if user.role == "organizer":
        return db.session.get(University, user.university_id) if user.university_id else None
    if user.role == "admin" and code:
        return db.session.scalar(sa.select(University).where(University.code == code.strip()[:20]))
    return None


def universities() -> list[University]:
    return db.session.scalars(sa.select(University).order_by(University.code)).all()


def key_group_condition():
    from recruit.graduates.models import Graduate

    return sa.or_(Graduate.low_income.is_(True), Graduate.ethnic_minority.is_(True), Graduate.disability.is_(True))


def get_key_group_graduate(graduate_id: int, user):
    """A key-group graduate ``user`` may follow up (own university; admins: any), else None."""
    from recruit.graduates.models import Graduate

    query = sa.select(Graduate).where(Graduate.id == graduate_id, key_group_condition())
    if user.role == "organizer":
        query = query.where(Graduate.university_id == user.university_id)
    elif user.role != "admin":
        return None
    return db.session.scalar(query)


# ------------------------------------------------------------------ supply and demand


@dataclass
class MajorRow:
    major: str
    graduates: int = 0
    postings_for_major: int = 0  #: active postings naming the major
    postings_any_major: int = 0  #: active postings open to any major
    matched: int = 0  #: graduates whose best match score reaches the threshold

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


def supply_demand(university: University, threshold: float = DEFAULT_THRESHOLD) -> tuple[list[MajorRow], bool]:
    """Rows per major (the university's majors plus its graduates' majors), worst match rate first.

    Returns ``(rows, matching_available)``; without the matching service every matched count is 0.
    """
    from recruit.employers.models import Employer, Posting
    from recruit.graduates.models import Graduate

    graduates = db.session.scalars(sa.select(Graduate).where(Graduate.university_id == university.id)).all()
    majors: list[str] = list(dict.fromkeys([*(university.majors or []), *sorted({g.major for g in graduates})]))
    rows = {m: MajorRow(m) for m in majors}
    for g in graduates:
        rows[g.major].graduates += 1
    today = today_local()
    active = db.session.scalars(
        sa.select(Posting.majors).join(Employer, Employer.id == Posting.employer_id)
        .where(Posting.status == "open", Employer.status == "approved",
               sa.or_(Posting.deadline.is_(None), Posting.deadline >= today))
    )
    named: Counter[str] = Counter()
    any_major = 0
    for posting_majors in active:
        if not posting_majors:
            any_major += 1
        else:
            named.update(set(posting_majors))
    for row in rows.values():
        row.postings_for_major = named.get(row.major, 0)
        row.postings_any_major = any_major
    available = True
    try:
        from recruit.matchmaking.services import top_match_scores

        scores = top_match_scores(graduates) if graduates else {}
    except ImportError:  # pragma: no cover - the matching side is not installed
        scores, available = {}, False
    for g in graduates:
        if scores.get(g.id, 0.0) >= threshold and scores.get(g.id, 0.0) > 0.0:
            rows[g.major].matched += 1
    ordered = sorted(rows.values(), key=lambda r: (r.graduates == 0, r.rate, -r.graduates, r.major))
    return ordered, available


SUPPLY_DEMAND_HEADERS = ("专业", "毕业生人数", "专业对口岗位数", "不限专业岗位数", "可投递岗位合计", "已匹配毕业生", "匹配率")


def supply_demand_table(rows: list[MajorRow]) -> list[list]:
    return [[r.major, r.graduates, r.postings_for_major, r.postings_any_major, r.postings, r.matched,
             f"{r.rate * 100:.1f}%"] for r in rows]


# ------------------------------------------------------------------ key groups


def key_group_graduates(university: University, *, group: str | None = None, q: str = ""):
    """The university's key-group graduates (optionally one group, or a name/number search)."""
    from recruit.graduates.models import Graduate

    query = sa.select(Graduate).where(Graduate.university_id == university.id, key_group_condition())
    if group in ("low_income", "ethnic_minority", "disability"):
        query = query.where(getattr(Graduate, group).is_(True))
    if q:
        like = f"%{q}%"
        query = query.where(sa.or_(Graduate.name.like(like), Graduate.student_number.like(like), Graduate.major.like(like)))
    return query.order_by(Graduate.student_number)


def case_counts(graduate_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(notes per graduate, school recommendations per graduate)."""
    from recruit.graduates.models import CaseNote, SchoolRecommendation

    if not graduate_ids:
        return {}, {}
    notes = dict(db.session.execute(
        sa.select(CaseNote.graduate_id, sa.func.count()).where(CaseNote.graduate_id.in_(graduate_ids))
        .group_by(CaseNote.graduate_id)
    ).all())
    recs = dict(db.session.execute(
        sa.select(SchoolRecommendation.graduate_id, sa.func.count())
        .where(SchoolRecommendation.graduate_id.in_(graduate_ids)).group_by(SchoolRecommendation.graduate_id)
    ).all())
    return notes, recs


def top_matches(graduate, limit: int = TOP_MATCHES) -> list:
    """The graduate's best matches (school recommendations first), via the matching service."""
    from recruit.matchmaking.services import matches_for_graduate

    return matches_for_graduate(graduate, limit=limit)


def case_notes(graduate) -> list:
    from recruit.graduates.models import CaseNote

    return db.session.scalars(
        sa.select(CaseNote).where(CaseNote.graduate_id == graduate.id).order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
    ).all()


def recommendations(graduate) -> list[tuple]:
    from recruit.employers.models import Posting
    from recruit.graduates.models import SchoolRecommendation

    return db.session.execute(
        sa.select(SchoolRecommendation, Posting).join(Posting, Posting.id == SchoolRecommendation.posting_id)
        .where(SchoolRecommendation.graduate_id == graduate.id)
        .order_by(SchoolRecommendation.created_at.desc(), SchoolRecommendation.id.desc())
    ).all()


def add_note(graduate, author, body: str):
    from recruit.graduates.models import CaseNote

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
    from recruit.employers.models import Posting
    from recruit.graduates.models import SchoolRecommendation

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
    exists = db.session.scalar(sa.select(SchoolRecommendation.id).where(
        SchoolRecommendation.graduate_id == graduate.id, SchoolRecommendation.posting_id == posting.id))
    if exists:
        raise ServiceError("已经向该毕业生推荐过这个岗位。", "posting_id")
    rec = SchoolRecommendation(graduate_id=graduate.id, posting_id=posting.id, recommended_by_id=author.id, note=note)
    db.session.add(rec)
    try:
        db.session.commit()
    except IntegrityError:  # the same recommendation submitted twice at once: the other won
        db.session.rollback()
        raise ServiceError("已经向该毕业生推荐过这个岗位。", "posting_id", status=409) from None
    return rec, posting


def withdraw_recommendation(graduate, posting_id: int) -> bool:
    from recruit.graduates.models import SchoolRecommendation

    rec = db.session.scalar(sa.select(SchoolRecommendation).where(
        SchoolRecommendation.graduate_id == graduate.id, SchoolRecommendation.posting_id == posting_id))
    if rec is None:
        return False
    db.session.delete(rec)
    db.session.commit()
    return True
