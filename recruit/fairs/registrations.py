"""Booth registrations: an employer asks for a booth, the organizers approve (a booth number) or
reject, the employer withdraws. Decisions are compare-and-set on the status read: of two racing
changes one wins, the other hears what happened (409). Every public function is one transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.employers.models import Posting
from recruit.employers import services as employer_services
from recruit.extensions import db
from recruit.fairs.locking import commit, flush, write_lock
from recruit.fairs.models import Fair, FairRegistration
from recruit.i18n import N_
from recruit.signals import fair_changed
from recruit.timeutil import utcnow
from recruit.validation import LIMITS, parse_int


def request_booth(
    fair: Fair, employer, posting_ids: list[int], note: str = "", now: datetime | None = None
) -> FairRegistration:
    """An employer asks for a booth at a published, future fair, naming its open postings."""
    now = now or utcnow()
    if employer.status != "approved":
        raise ServiceError("单位通过认证后才能申请展位。")
    if not employer_services.may_participate(employer, fair.university_id):
        raise ServiceError("该校已决定暂不接受贵单位参加其招聘活动，详情请联系该校就业部门。")
    if fair.status != "scheduled":
        raise ServiceError("只能报名已发布的招聘会。")
    if fair.ends_at <= now:
        raise ServiceError("该招聘会已结束，不能报名。")
    registration = db.session.scalar(
        sa.select(FairRegistration).where(
            FairRegistration.fair_id == fair.id, FairRegistration.employer_id == employer.id
        )
    )
    if registration is not None and registration.status in ("pending", "approved"):
        raise ServiceError("已申请过该招聘会的展位。")
    parsed = [parse_int(i, minimum=1) for i in posting_ids or []]
    ids = sorted({i for i in parsed if i is not None})
    if not parsed:
        raise ServiceError("请至少选择一个携带的岗位。", "postings")
    if len(ids) != len(set(parsed)):  # 1e30, abc, beyond an INTEGER id: not one of its postings
        raise ServiceError("只能选择本单位的岗位。", "postings")
    postings = db.session.scalars(sa.select(Posting).where(Posting.id.in_(ids))).all()
    if len(postings) != len(ids) or any(p.employer_id != employer.id for p in postings):
        raise ServiceError("只能选择本单位的岗位。", "postings")
    if any(p.status != "open" for p in postings):
        raise ServiceError("只能携带招聘中的岗位。", "postings")
    note = (note or "").strip()
    if len(note) > LIMITS["reason"]:
        raise ServiceError("备注不能超过500个字符。", "note")
    approved = sum(1 for r in fair.registrations if r.status == "approved")
    if approved >= fair.booth_capacity:
        raise ServiceError("展位已满。")
    if registration is None:
        registration = FairRegistration(fair=fair, employer=employer)
        db.session.add(registration)
    registration.status = "pending"
    registration.booth_number = None
    registration.decision_reason = ""
    registration.decided_at = None
    registration.note = note
    registration.postings = list(postings)
    registration.created_at = now
    flush(conflict="已申请过该招聘会的展位。")  # a double submit that lost the race: 409, not a 500
    fair_changed.send(fair, change="registration", registration=registration)
    commit(conflict="已申请过该招聘会的展位。")
    return registration


#: What the loser of a race on a registration is told, by the status the winner left.
RACE_MESSAGES = {
    "pending": N_("该申请刚刚被重新提交，请刷新页面后再处理。"),
    "approved": N_("该申请刚刚已被通过，请刷新页面查看。"),
    "rejected": N_("该申请刚刚已被拒绝，请刷新页面查看。"),
    "withdrawn": N_("单位刚刚已撤回该申请，未作处理。"),
}


def _compare_and_set(registration: FairRegistration, expected: str, **values) -> None:
    """``UPDATE fair_registrations SET ... WHERE id = :id AND status = :expected``.

    Nobody else changed the row since ``expected`` was read: the update wins. Otherwise
    nothing is written and the loser hears what happened instead (409).
    """
    result = db.session.execute(
        sa.update(FairRegistration)
        .where(FairRegistration.id == registration.id, FairRegistration.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        current = db.session.scalar(sa.select(FairRegistration.status).where(FairRegistration.id == registration.id))
        raise ServiceError(RACE_MESSAGES.get(current, "该申请已被他人处理，请刷新页面查看。"), status=409)


def decide_registration(registration: FairRegistration, approve: bool, reason: str = "") -> FairRegistration:
    """Approve (giving the lowest free booth number) or reject; capacity is enforced.

    Compare-and-set on the status read when the request began: an employer's withdrawal (or
    another organizer's decision) that lands first wins, and this call answers 409.
    """
    reason = (reason or "").strip()
    expected = registration.status
    if expected not in ("pending",) and not (expected == "approved" and not approve):
        raise ServiceError("该申请已处理。", status=409)
    if not approve and not reason:
        raise ServiceError("请填写不通过的原因。", "reason")
    write_lock()
    fair = registration.fair
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(Fair.id).where(Fair.id == fair.id).with_for_update())
        db.session.refresh(fair)
    now = utcnow()
    if approve:
        taken = set(
            db.session.scalars(
                sa.select(FairRegistration.booth_number).where(
                    FairRegistration.fair_id == fair.id,
                    FairRegistration.status == "approved",
                    FairRegistration.id != registration.id,
                    FairRegistration.booth_number.is_not(None),
                )
            )
        )
        if len(taken) >= fair.booth_capacity:
            db.session.rollback()
            raise ServiceError("展位已满，不能再通过。", status=409)
        number = next(n for n in range(1, fair.booth_capacity + 2) if n not in taken)
        _compare_and_set(
            registration, expected, status="approved", booth_number=number, decision_reason="", decided_at=now
        )
    else:
        _compare_and_set(
            registration,
            expected,
            status="rejected",
            booth_number=None,
            decision_reason=reason[: LIMITS["reason"]],
            decided_at=now,
        )
    db.session.expire(registration)
    fair_changed.send(fair, change="registration", registration=registration)
    commit()
    return registration


def withdraw_registration(registration: FairRegistration) -> FairRegistration:
    """The employer withdraws; compare-and-set on the status it saw (an approval that lands
    first is reported, 409, and the employer may withdraw again knowingly)."""
    expected = registration.status
    if expected not in ("pending", "approved"):
        raise ServiceError("该申请不能撤回。", status=409)
    _compare_and_set(registration, expected, status="withdrawn", booth_number=None)
    db.session.expire(registration)
    fair_changed.send(registration.fair, change="registration")
    commit()
    return registration
