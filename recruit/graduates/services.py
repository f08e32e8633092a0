"""Graduate records: confirmation and visibility rules."""

from __future__ import annotations


import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from recruit.core.errors import ServiceError
from recruit.core.scope import scope_to_university
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.graduates.models import Graduate, Intention, SavedFair, SavedPosting
from recruit.signals import intention_changed
from recruit.validation import CITIES, INDUSTRIES, LIMITS, split_list


def graduates_query_for(user) -> sa.Select:
    """Graduates a user may manage: an organizer's own university, or all for admins."""
    return scope_to_university(sa.select(Graduate), user, Graduate.university_id)


def get_managed_graduate(graduate_id: int, user) -> Graduate | None:
    """The graduate if ``user`` may manage it, else None (the route answers 404)."""
    return db.session.scalar(graduates_query_for(user).where(Graduate.id == graduate_id))


# ---------------------------------------------------------------------- intentions and saved items
# (the graduate's own side: 求职意愿, 收藏; matchmaking listens to ``intention_changed``)


def save_intention(
    graduate: Graduate,
    *,
    industries,
    cities,
    positions,
    salary_expectation,
    skills,
    statement,
    visible_to_employers: bool,
    share_contact: bool,
) -> Intention:
    """Create or update the graduate's intention and opt-in choices; one transaction."""
    industries = split_list(industries)
    cities = split_list(cities)
    positions = split_list(positions)
    bad = [i for i in industries if i not in INDUSTRIES]
    if bad:
        raise ServiceError("请选择列表中的行业。", "industries")
    if [c for c in cities if c not in CITIES]:
        raise ServiceError("请选择列表中的城市。", "cities")
    if not positions:
        raise ServiceError("请至少填写一个意向岗位。", "positions")
    if any(len(p) > LIMITS["short"] for p in positions):
        raise ServiceError("每个意向岗位不能超过 60 个字符。", "positions")
    if salary_expectation is None or salary_expectation < 0:
        raise ServiceError("期望月薪不能为负数。", "salary_expectation")
    if share_contact and not visible_to_employers:
        raise ServiceError("同意公开姓名和联系方式前，请先允许用人单位查看您的求职意愿。", "share_contact")
    intention = graduate.intention or Intention(graduate=graduate)
    intention.industries = industries
    intention.cities = cities
    intention.positions = positions
    intention.salary_expectation = int(salary_expectation)
    intention.skills = "、".join(split_list(skills or ""))[: LIMITS["skills"]]
    intention.statement = (statement or "").strip()[: LIMITS["statement"]]
    graduate.visible_to_employers = bool(visible_to_employers)
    graduate.share_contact = bool(share_contact and visible_to_employers)
    db.session.add(intention)
    db.session.flush()
    intention_changed.send(intention)
    db.session.commit()
    return intention


def _set_saved(model, key: dict, saved: bool) -> None:
    """Add (``saved``) or delete the ``model`` row whose primary key is ``key``. Idempotent, also
    against a simultaneous request: when both add the row, the loser finds it saved."""
    row = db.session.get(model, tuple(key.values()))
    if saved and row is None:
        db.session.add(model(**key))
    elif not saved and row is not None:
        db.session.delete(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if db.session.get(model, tuple(key.values())) is None:
            raise


def set_saved_posting(graduate: Graduate, posting_id: int, saved: bool) -> None:
    """Save (only an active posting) or unsave a posting."""
    if saved:
        posting = db.session.get(Posting, posting_id)
        if posting is None or not posting.is_active():
            raise ServiceError("该岗位已关闭或不存在。")
    _set_saved(SavedPosting, {"graduate_id": graduate.id, "posting_id": posting_id}, saved)


def set_saved_fair(graduate: Graduate, fair_id: int, saved: bool) -> None:
    """Save (only a published fair) or unsave a fair."""
    if saved:
        fair = db.session.get(Fair, fair_id)
        if fair is None or fair.status != "scheduled":
            raise ServiceError("该招聘会未发布或已结束。")
    _set_saved(SavedFair, {"graduate_id": graduate.id, "fair_id": fair_id}, saved)


def saved_items(graduate: Graduate) -> tuple[list, list]:
    """(saved postings, saved fairs), newest first."""
    postings = db.session.scalars(
        sa.select(Posting)
        .join(SavedPosting, SavedPosting.posting_id == Posting.id)
        .where(SavedPosting.graduate_id == graduate.id)
        .order_by(SavedPosting.created_at.desc())
    ).all()
    fairs = db.session.scalars(
        sa.select(Fair)
        .join(SavedFair, SavedFair.fair_id == Fair.id)
        .where(SavedFair.graduate_id == graduate.id)
        .order_by(Fair.starts_at)
    ).all()
    return postings, fairs


def saved_ids(graduate: Graduate) -> tuple[set[int], set[int]]:
    posting_ids = set(
        db.session.scalars(sa.select(SavedPosting.posting_id).where(SavedPosting.graduate_id == graduate.id))
    )
    fair_ids = set(db.session.scalars(sa.select(SavedFair.fair_id).where(SavedFair.graduate_id == graduate.id)))
    return posting_ids, fair_ids
