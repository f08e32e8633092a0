"""Graduate records: confirmation and visibility rules."""
from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from recruit.extensions import db
from recruit.graduates.models import Graduate


def graduates_query_for(user) -> sa.Select:
    """Graduates a user may manage: an organizer's own university, or all for admins."""
    query = sa.select(Graduate)
    if user.role == "organizer":
        query = query.where(Graduate.university_id == user.university_id)
    elif user.role != "admin":
        query = query.where(sa.false())
    return query


def get_managed_graduate(graduate_id: int, user=None) -> Graduate | None:
    """The graduate if ``user`` may manage it, else None (the route answers 404)."""
    user = user or current_user
    return db.session.scalar(graduates_query_for(user).where(Graduate.id == graduate_id))


def confirm_graduate(graduate: Graduate) -> Graduate:
    graduate.confirmed = True
    db.session.commit()
    return graduate


# ---------------------------------------------------------------------- intentions and saved items
# (the graduate's own side: 求职意愿, 收藏; matchmaking listens to ``intention_changed``)
from recruit.core.errors import ServiceError  # noqa: E402
from recruit.graduates.models import Intention, SavedFair, SavedPosting  # noqa: E402
from sqlalchemy.exc import IntegrityError  # noqa: E402
from sqlalchemy.orm.exc import StaleDataError  # noqa: E402
from recruit.validation import CITIES, INDUSTRIES, LIMITS, split_list  # noqa: E402


def save_intention(graduate: Graduate, *, industries, cities, positions, salary_expectation, skills,
                   statement, visible_to_employers: bool, share_contact: bool) -> Intention:
    """Create or update the graduate's intention and opt-in choices; one transaction."""
    from recruit.signals import intention_changed

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


def set_saved_posting(graduate: Graduate, posting_id: int, saved: bool) -> None:
    """Save (only an active posting) or unsave a posting."""
    from recruit.employers.models import Posting

    row = db.session.get(SavedPosting, (graduate.id, posting_id))
    if saved:
        posting = db.session.get(Posting, posting_id)
        if posting is None or not posting.is_active():
            raise ServiceError("该岗位已关闭或不存在。")
        if row is None:
            db.session.add(SavedPosting(graduate_id=graduate.id, posting_id=posting_id))
    elif row is not None:
        db.session.delete(row)
    _commit_idempotent()


def set_saved_fair(graduate: Graduate, fair_id: int, saved: bool) -> None:
    """Save (only a published fair) or unsave a fair."""
    from recruit.fairs.models import Fair

    row = db.session.get(SavedFair, (graduate.id, fair_id))
    if saved:
        fair = db.session.get(Fair, fair_id)
        if fair is None or fair.status != "scheduled":
            raise ServiceError("该招聘会未发布或已结束。")
        if row is None:
            db.session.add(SavedFair(graduate_id=graduate.id, fair_id=fair_id))
    elif row is not None:
        db.session.delete(row)
    _commit_idempotent()


def _commit_idempotent() -> None:
    """Commit a save/unsave; a double click that lost the race found the same row already
    saved (or already gone): the outcome the user asked for holds, so it is not an error."""
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()


def saved_items(graduate: Graduate) -> tuple[list, list]:
    """(saved postings, saved fairs), newest first."""
    from recruit.employers.models import Posting
    from recruit.fairs.models import Fair

    postings = db.session.scalars(
        sa.select(Posting).join(SavedPosting, SavedPosting.posting_id == Posting.id)
        .where(SavedPosting.graduate_id == graduate.id).order_by(SavedPosting.created_at.desc())
    ).all()
    fairs = db.session.scalars(
        sa.select(Fair).join(SavedFair, SavedFair.fair_id == Fair.id)
        .where(SavedFair.graduate_id == graduate.id).order_by(Fair.starts_at)
    ).all()
    return postings, fairs


def saved_ids(graduate: Graduate) -> tuple[set[int], set[int]]:
    posting_ids = set(db.session.scalars(sa.select(SavedPosting.posting_id).where(SavedPosting.graduate_id == graduate.id)))
    fair_ids = set(db.session.scalars(sa.select(SavedFair.fair_id).where(SavedFair.graduate_id == graduate.id)))
    return posting_ids, fair_ids
