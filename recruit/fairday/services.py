"""Fair day: graduates' sign-ups with a waiting list, employers' attendance and representatives,
booth numbers, check-in at the door (QR pass or short code) and online entry (the post-fair
report: :mod:`.reports`).

Every public function that changes data is one transaction (it commits or rolls back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.core.phones import PHONE_MESSAGE, is_valid_phone
from recruit.extensions import db
from recruit.fairday import handlers, passes
from recruit.fairs.models import (
    Fair,
    FairCheckin,
    FairRegistration,
    FairRepresentative,
    FairSignup,
)
from recruit.notifications import services as notes
from recruit.signals import fair_changed
from recruit.timeutil import format_datetime, today_local, utcnow

ONLINE_EARLY = timedelta(minutes=30)  #: online entry counts from this long before the start


# --- locking ----------------------------------------------------------------------------------


def lock_fair(fair: Fair) -> Fair:
    """Serialise changes to one fair's sign-ups or booths.

    PostgreSQL: a row lock on the fair (``SELECT … FOR UPDATE``), then the fair is re-read.
    SQLite serialises writers: ``BEGIN IMMEDIATE`` makes the count and the insert one
    critical section.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        raw = db.session.connection().connection.driver_connection
        if not raw.in_transaction:
            db.session.execute(sa.text("BEGIN IMMEDIATE"))
        db.session.refresh(fair)
        return fair
    db.session.execute(sa.select(Fair.id).where(Fair.id == fair.id).with_for_update())
    db.session.refresh(fair)
    return fair


def _fail(message: str, field: str | None = None, status: int = 400) -> None:
    db.session.rollback()
    raise ServiceError(message, field, status)


# --- passes -----------------------------------------------------------------------------------


def registration_pass(registration: FairRegistration) -> tuple[str, str]:
    """(QR token, short code) of an employer's booth registration."""
    fair = registration.fair
    return (
        passes.token("E", registration.id, fair.id, fair.local_date),
        passes.short_code("E", registration.id, fair.id, fair.local_date),
    )


def signup_pass(signup: FairSignup) -> tuple[str, str]:
    fair = signup.fair
    return (
        passes.token("G", signup.id, fair.id, fair.local_date),
        passes.short_code("G", signup.id, fair.id, fair.local_date),
    )


# --- check-in ---------------------------------------------------------------------------------


@dataclass
class CheckinResult:
    already: bool
    kind: str  #: ``employer`` or ``graduate``
    name: str  #: the employer's or graduate's name
    detail: str  #: the booth number (employer, "" without one) / major and degree (graduate)
    at: datetime

    def to_json(self) -> dict:
        return {
            "ok": True,
            "already": self.already,
            "kind": self.kind,
            "name": self.name,
            "detail": self.detail,
            "at": format_datetime(self.at),
        }


def _subject(data: passes.PassData):
    if data.kind == "E":
        return db.session.get(FairRegistration, data.subject_id)
    return db.session.get(FairSignup, data.subject_id)


def _describe(subject) -> tuple[str, str, str]:
    if isinstance(subject, FairRegistration):
        return "employer", subject.employer.name, (str(subject.booth_number) if subject.booth_number else "")
    return "graduate", subject.graduate.name, f"{subject.graduate.major} · {subject.graduate.degree}"


def _existing(subject) -> FairCheckin | None:
    column = FairCheckin.registration_id if isinstance(subject, FairRegistration) else FairCheckin.signup_id
    return db.session.scalar(sa.select(FairCheckin).where(column == subject.id))


def check_in(fair: Fair, text: str, user, today: date | None = None, now: datetime | None = None) -> CheckinResult:
    """Check in the holder of a pass (scanned or typed) at ``fair``; ServiceError with the reason otherwise.

    A second check-in of the same pass answers ``already`` with the first time (never an error).
    """
    today = today or today_local()
    now = now or utcnow()
    try:
        data = passes.parse(text)
    except passes.PassError:
        _fail("无法识别的签到码：二维码无效或签名不符，请核对后重试。", "code", 422)
    subject = _subject(data)
    if data.via == "qr":
        if data.fair_id != fair.id:
            other = db.session.get(Fair, data.fair_id)
            _fail(
                f"这是另一场招聘会的签到码（{other.title if other else '已删除的招聘会'}），不能在本场签到。",
                "code",
                409,
            )
        if subject is None:
            _fail("签到码对应的报名已不存在。", "code", 409)
        if data.day != fair.local_date:
            _fail(
                f"签到码对应的日期（{data.day.isoformat()}）与招聘会日期（{fair.local_date.isoformat()}）不符："
                "招聘会已改期，请对方刷新签到码。",
                "code",
                409,
            )
    else:
        if subject is None:
            _fail("签到码不存在，请核对后重试。", "code", 404)
        if subject.fair_id != fair.id:
            if passes.verify_short(data, subject.fair_id, subject.fair.local_date):
                _fail(f"这是另一场招聘会的签到码（{subject.fair.title}），不能在本场签到。", "code", 409)
            _fail("签到码不正确，请核对后重试。", "code", 404)
        if not passes.verify_short(data, fair.id, fair.local_date):
            _fail("签到码不正确或已过期（招聘会改期后签到码会更新），请核对后重试。", "code", 404)
    if subject.fair_id != fair.id:  # a signed token whose subject moved: impossible, but never trust
        _fail("签到码与本场招聘会不符。", "code", 409)
    if fair.status == "cancelled":
        _fail("该招聘会已取消，不能签到。", "code", 409)
    if fair.status not in ("scheduled", "held"):
        _fail("该招聘会尚未发布，不能签到。", "code", 409)
    if today != fair.local_date:
        _fail(f"今天不是该招聘会的举办日（{fair.local_date.isoformat()}），签到码只在当天有效。", "code", 409)
    kind, name, detail = _describe(subject)
    existing = _existing(subject)
    if existing is not None:
        db.session.rollback()
        return CheckinResult(True, kind, name, detail, existing.checked_in_at)
    if isinstance(subject, FairRegistration) and subject.status != "approved":
        reason = {"withdrawn": "单位已撤回展位申请", "rejected": "展位申请未通过", "pending": "展位申请尚未审核"}
        _fail(f"不能签到：{reason.get(subject.status, subject.status)}。", "code", 409)
    if isinstance(subject, FairSignup) and subject.status != "confirmed":
        reason = {"cancelled": "毕业生已取消报名", "waitlisted": "毕业生仍在候补名单中，尚未获得名额"}
        _fail(f"不能签到：{reason.get(subject.status, subject.status)}。", "code", 409)
    return _record(fair, subject, data.via, getattr(user, "id", None), now)


def _record(fair: Fair, subject, via: str, user_id: int | None, now: datetime) -> CheckinResult:
    kind, name, detail = _describe(subject)
    row = FairCheckin(fair_id=fair.id, via=via, checked_in_by_id=user_id, checked_in_at=now)
    if isinstance(subject, FairRegistration):
        row.registration_id = subject.id
    else:
        row.signup_id = subject.id
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # the same pass scanned at two doors at once: the first one wins
        db.session.rollback()
        existing = _existing(subject)
        if existing is None:
            raise ServiceError("签到失败，请重试。", "code", 409) from None
        return CheckinResult(True, kind, name, detail, existing.checked_in_at)
    return CheckinResult(False, kind, name, detail, now)


def enter_online(fair: Fair, user, now: datetime | None = None) -> bool:
    """Record the entry of an employer (approved booth) or graduate (confirmed sign-up) through the
    online fair's link during the fair (from 30 minutes before the start). True when recorded now."""
    now = now or utcnow()
    if fair.format == "onsite" or not fair.online_url:
        raise ServiceError("该招聘会没有线上入口。", status=404)
    if fair.status not in ("scheduled", "held") or not (fair.starts_at - ONLINE_EARLY <= now <= fair.ends_at):
        return False
    subject = None
    if user.role == "employer":
        subject = db.session.scalar(
            sa.select(FairRegistration).where(
                FairRegistration.fair_id == fair.id,
                FairRegistration.employer_id == user.employer_id,
                FairRegistration.status == "approved",
            )
        )
    elif user.role == "graduate":
        subject = db.session.scalar(
            sa.select(FairSignup).where(
                FairSignup.fair_id == fair.id,
                FairSignup.graduate_id == user.graduate_id,
                FairSignup.status == "confirmed",
            )
        )
    if subject is None or _existing(subject) is not None:
        db.session.rollback()
        return False
    return not _record(fair, subject, "online", None, now).already


def checkin_counts(fair: Fair) -> dict:
    return checkin_counts_many([fair.id])[fair.id]


def checkin_counts_many(fair_ids: list[int]) -> dict[int, dict]:
    """:func:`checkin_counts` of several fairs, five grouped queries in all (a list of reports
    would otherwise ask five per fair)."""

    def per_fair(query) -> dict[int, int]:
        return dict(db.session.execute(query).all())

    ids = list(fair_ids)
    employers = per_fair(
        sa.select(FairRegistration.fair_id, sa.func.count())
        .where(FairRegistration.fair_id.in_(ids), FairRegistration.status == "approved")
        .group_by(FairRegistration.fair_id)
    )
    employers_in = per_fair(
        sa.select(FairCheckin.fair_id, sa.func.count(FairCheckin.id))
        .join(FairRegistration, FairRegistration.id == FairCheckin.registration_id)
        .where(FairCheckin.fair_id.in_(ids), FairRegistration.status == "approved")
        .group_by(FairCheckin.fair_id)
    )
    signups = db.session.execute(
        sa.select(FairSignup.fair_id, FairSignup.status, sa.func.count())
        .where(FairSignup.fair_id.in_(ids), FairSignup.status.in_(("confirmed", "waitlisted")))
        .group_by(FairSignup.fair_id, FairSignup.status)
    ).all()
    graduates = {f: n for f, status, n in signups if status == "confirmed"}
    waitlisted = {f: n for f, status, n in signups if status == "waitlisted"}
    graduates_in = per_fair(
        sa.select(FairCheckin.fair_id, sa.func.count(FairCheckin.id))
        .join(FairSignup, FairSignup.id == FairCheckin.signup_id)
        .where(FairCheckin.fair_id.in_(ids), FairSignup.status == "confirmed")
        .group_by(FairCheckin.fair_id)
    )
    return {
        f: {
            "employers": employers.get(f, 0),
            "employers_in": employers_in.get(f, 0),
            "graduates": graduates.get(f, 0),
            "graduates_in": graduates_in.get(f, 0),
            "waitlisted": waitlisted.get(f, 0),
        }
        for f in ids
    }


def recent_checkins(fair: Fair, limit: int = 20) -> list[tuple[FairCheckin, str, str, str]]:
    rows = db.session.scalars(
        sa.select(FairCheckin)
        .where(FairCheckin.fair_id == fair.id)
        .order_by(FairCheckin.checked_in_at.desc(), FairCheckin.id.desc())
        .limit(limit)
    ).all()
    out = []
    for row in rows:
        subject = (
            db.session.get(FairRegistration, row.registration_id)
            if row.registration_id
            else db.session.get(FairSignup, row.signup_id)
        )
        out.append((row, *_describe(subject)))
    return out


# --- graduates' sign-ups ----------------------------------------------------------------------


def _notify_promoted(signup: FairSignup) -> None:
    users = db.session.scalars(sa.select(User).where(User.role == "graduate", User.graduate_id == signup.graduate_id))
    notes.notify(
        users,
        kind="signup_promoted",
        event_key=f"signup_promoted:{signup.id}:{signup.promoted_at:%Y%m%dT%H%M%S}",
        title="候补成功：%(title)s" % {"title": signup.fair.title},
        body="您已从候补名单转为正式报名，请于%(when)s凭签到码入场。"
        % {"when": format_datetime(signup.fair.starts_at)},
        link=notes.path_for("fairday.signup_pass", signup_id=signup.id),
    )


def _promote(fair: Fair, now: datetime) -> list[FairSignup]:
    """Move waitlisted sign-ups up, oldest first, while there is room (fair already locked)."""
    confirmed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FairSignup)
        .where(FairSignup.fair_id == fair.id, FairSignup.status == "confirmed")
    )
    room = None if fair.signup_capacity is None else fair.signup_capacity - confirmed
    query = (
        sa.select(FairSignup)
        .where(FairSignup.fair_id == fair.id, FairSignup.status == "waitlisted")
        .order_by(FairSignup.created_at, FairSignup.id)
    )
    if room is not None:
        if room <= 0:
            return []
        query = query.limit(room)
    promoted = list(db.session.scalars(query))
    for signup in promoted:
        signup.status = "confirmed"
        signup.promoted_at = now
        _notify_promoted(signup)
    return promoted


def _open_for_signup(fair: Fair, now: datetime) -> None:
    if fair.status != "scheduled":
        _fail("该招聘会不接受报名。", status=409)
    if fair.ends_at <= now:
        _fail("该招聘会已结束，不能报名。", status=409)


def sign_up(fair: Fair, graduate, now: datetime | None = None) -> FairSignup:
    """Sign a graduate up: confirmed while there is room, else on the waiting list (never over capacity)."""
    now = now or utcnow()
    _open_for_signup(fair, now)
    try:
        lock_fair(fair)
        _open_for_signup(fair, now)
        signup = db.session.scalar(
            sa.select(FairSignup).where(FairSignup.fair_id == fair.id, FairSignup.graduate_id == graduate.id)
        )
        if signup is not None and signup.status != "cancelled":
            _fail("您已报名该招聘会。" if signup.status == "confirmed" else "您已在该招聘会的候补名单中。", status=409)
        confirmed = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FairSignup)
            .where(FairSignup.fair_id == fair.id, FairSignup.status == "confirmed")
        )
        waiting = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FairSignup)
            .where(FairSignup.fair_id == fair.id, FairSignup.status == "waitlisted")
        )
        full = fair.signup_capacity is not None and (confirmed >= fair.signup_capacity or waiting > 0)
        if signup is None:
            signup = FairSignup(fair_id=fair.id, graduate_id=graduate.id)
            db.session.add(signup)
        signup.status = "waitlisted" if full else "confirmed"
        signup.created_at = now
        signup.cancelled_at = None
        signup.promoted_at = None
        db.session.flush()
        if signup.status == "confirmed":
            signup.fair = fair
            handlers.send_graduate_pass(signup)
        db.session.commit()
    except IntegrityError:  # the same graduate twice at once: the other request won
        db.session.rollback()
        raise ServiceError("您已报名该招聘会。", status=409) from None
    return signup


def waitlist_position(signup: FairSignup) -> int | None:
    if signup.status != "waitlisted":
        return None
    return 1 + db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FairSignup)
        .where(
            FairSignup.fair_id == signup.fair_id,
            FairSignup.status == "waitlisted",
            sa.or_(
                FairSignup.created_at < signup.created_at,
                sa.and_(FairSignup.created_at == signup.created_at, FairSignup.id < signup.id),
            ),
        )
    )


def cancel_signup(signup: FairSignup, now: datetime | None = None) -> list[FairSignup]:
    """Cancel a sign-up; the first on the waiting list moves up. Returns those promoted."""
    now = now or utcnow()
    fair = signup.fair
    lock_fair(fair)
    db.session.refresh(signup)
    if signup.status == "cancelled":
        _fail("该报名已取消。", status=409)
    if _existing(signup) is not None:
        _fail("已签到的报名不能取消。", status=409)
    if fair.starts_at <= now:
        _fail("招聘会已开始，不能取消报名。", status=409)
    signup.status = "cancelled"
    signup.cancelled_at = now
    db.session.flush()
    promoted = _promote(fair, now)
    db.session.commit()
    return promoted


def set_capacities(
    fair: Fair, signup_capacity: int | None, max_representatives: int, now: datetime | None = None
) -> list[FairSignup]:
    """Organizer: graduates' capacity (None: no limit) and representatives per employer. A larger
    capacity moves the waiting list up; a capacity below the confirmed count is refused."""
    now = now or utcnow()
    if signup_capacity is not None and not 1 <= signup_capacity <= 100000:
        raise ServiceError("报名人数上限应在 1 到 100000 之间。", "signup_capacity")
    if not 1 <= max_representatives <= 20:
        raise ServiceError("每家单位的参会代表人数应在 1 到 20 之间。", "max_representatives")
    lock_fair(fair)
    confirmed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FairSignup)
        .where(FairSignup.fair_id == fair.id, FairSignup.status == "confirmed")
    )
    if signup_capacity is not None and signup_capacity < confirmed:
        _fail(f"已有 {confirmed} 名毕业生确认报名，上限不能少于此数。", "signup_capacity")
    most = (
        db.session.scalar(
            sa.select(
                sa.func.max(
                    sa.select(sa.func.count(FairRepresentative.id))
                    .where(FairRepresentative.registration_id == FairRegistration.id)
                    .scalar_subquery()
                )
            ).where(FairRegistration.fair_id == fair.id)
        )
        or 0
    )
    if max_representatives < most:
        _fail(f"已有单位登记了 {most} 名代表，上限不能少于此数。", "max_representatives")
    fair.signup_capacity = signup_capacity
    fair.max_representatives = max_representatives
    db.session.flush()
    promoted = _promote(fair, now)
    db.session.commit()
    return promoted


# --- employers: attendance and representatives ------------------------------------------------


def _own_approved(registration: FairRegistration, now: datetime) -> None:
    if registration.status != "approved":
        _fail("只有已通过的展位可以确认参会。", status=409)
    if registration.fair.status != "scheduled" or registration.fair.ends_at <= now:
        _fail("该招聘会已结束或已取消。", status=409)


def confirm_attendance(registration: FairRegistration, now: datetime | None = None) -> FairRegistration:
    now = now or utcnow()
    _own_approved(registration, now)
    if registration.attendance_confirmed_at is None:
        registration.attendance_confirmed_at = now
    db.session.commit()
    return registration


def add_representative(
    registration: FairRegistration, name: str, phone: str, now: datetime | None = None
) -> FairRepresentative:
    now = now or utcnow()
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name or "\x00" in name:
        raise ServiceError("请填写代表姓名。", "name")
    if len(name) > 100:
        raise ServiceError("姓名不能超过100个字符。", "name")
    if not is_valid_phone(phone):
        raise ServiceError(PHONE_MESSAGE, "phone")
    _own_approved(registration, now)
    lock_fair(registration.fair)
    count = db.session.scalar(
        sa.select(sa.func.count(FairRepresentative.id)).where(FairRepresentative.registration_id == registration.id)
    )
    if count >= registration.fair.max_representatives:
        _fail(f"每家单位最多登记 {registration.fair.max_representatives} 名参会代表。", "name", 409)
    rep = FairRepresentative(registration_id=registration.id, name=name, phone=phone, created_at=now)
    db.session.add(rep)
    db.session.commit()
    return rep


def remove_representative(rep: FairRepresentative) -> None:
    db.session.delete(rep)
    db.session.commit()


# --- booths -----------------------------------------------------------------------------------


def rearrange_booths(fair: Fair, numbers: dict[int, int]) -> None:
    """Organizer: give every approved registration a booth number (1 … capacity, no two alike)."""
    lock_fair(fair)
    approved = {r.id: r for r in fair.registrations if r.status == "approved"}
    if set(numbers) != set(approved):
        _fail("展位列表已变化，请刷新后重试。", status=409)
    values = list(numbers.values())
    if any(not 1 <= n <= fair.booth_capacity for n in values):
        _fail(f"展位号应在 1 到 {fair.booth_capacity} 之间。", "booths")
    if len(set(values)) != len(values):
        _fail("展位号不能重复。", "booths")
    for reg_id, number in numbers.items():
        approved[reg_id].booth_number = number
    fair_changed.send(fair, change="registration")
    db.session.commit()


def booth_rows(fair: Fair) -> list[FairRegistration]:
    return sorted(
        (r for r in fair.registrations if r.status == "approved"),
        key=lambda r: (r.booth_number or 10**9, r.decided_at or r.created_at, r.id),
    )
