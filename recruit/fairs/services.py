"""Fair booking (booth registrations: :mod:`.registrations`; the month calendar: :mod:`.calendar`).
Every public function is one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from recruit.core import dates
from recruit.core.errors import ServiceError
from recruit.core.urls import is_http_url
from recruit.core.scope import can_manage_university, university_condition
from recruit.extensions import db
from recruit.i18n import translate as gettext
from recruit.fairs.locking import VENUE_TAKEN, commit, flush, write_lock
from recruit.fairs.models import FAIR_FORMATS, FAIR_KINDS, Fair
from recruit.i18n import N_
from recruit.signals import fair_changed, fair_day_checked
from recruit.timeutil import local_date, today_local, utcnow
from recruit.universities.models import University, Venue
from recruit.validation import LIMITS


@dataclass
class FairData:
    """Validated input of the booking form (times are aware datetimes)."""

    kind: str
    title: str
    format: str
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None = None
    online_url: str | None = None
    booth_capacity: int = 30
    industry_focus: str = ""
    description: str = ""
    extra: dict = field(default_factory=dict)


# --- scoping ----------------------------------------------------------------------------------


def visible_fair_query(user):
    """Fairs ``user`` may see: published ones, plus own university's drafts (admins: all)."""
    return sa.select(Fair).where(
        sa.or_(Fair.status.in_(("scheduled", "held", "cancelled")), university_condition(user, Fair.university_id))
    )


def can_manage(user, fair_or_university_id) -> bool:
    uid = fair_or_university_id if isinstance(fair_or_university_id, int) else fair_or_university_id.university_id
    return can_manage_university(user, uid)


def _venue_conflict(
    venue_id: int, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None
) -> Fair | None:
    query = sa.select(Fair).where(
        Fair.venue_id == venue_id, Fair.status != "cancelled", Fair.starts_at < ends_at, Fair.ends_at > starts_at
    )
    if exclude_id is not None:
        query = query.where(Fair.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


# --- validation -------------------------------------------------------------------------------


def validate(
    university: University, data: FairData, fair: Fair | None = None, now: datetime | None = None
) -> Venue | None:
    """Check the booking rules; raise ServiceError(message, field). Returns the venue."""
    now = now or utcnow()
    data.title = (data.title or "").strip()
    if not data.title:
        raise ServiceError("请填写招聘会名称。", "title")
    if len(data.title) > LIMITS["title"]:
        raise ServiceError("招聘会名称不能超过120个字符。", "title")
    if data.kind not in FAIR_KINDS:
        raise ServiceError("请选择招聘会类型。", "kind")
    if data.format not in FAIR_FORMATS:
        raise ServiceError("请选择举办形式。", "format")
    if data.starts_at is None:
        raise ServiceError("请填写开始时间。", "starts_at")
    if data.ends_at is None or data.ends_at <= data.starts_at:
        raise ServiceError("结束时间必须晚于开始时间。", "ends_at")
    if data.ends_at - data.starts_at > timedelta(hours=24):
        raise ServiceError("一场招聘会不能超过24小时。", "ends_at")
    time_changed = fair is None or fair.starts_at != data.starts_at or fair.ends_at != data.ends_at
    if time_changed and data.starts_at < now:
        raise ServiceError("开始时间不能早于现在。", "starts_at")
    day_error = dates.fair_day_error(
        local_date(data.starts_at), local_date(now), current=local_date(fair.starts_at) if fair is not None else None
    )
    if day_error:
        raise ServiceError(day_error, "day")
    if not isinstance(data.booth_capacity, int) or data.booth_capacity < 1:
        raise ServiceError("展位数必须是正整数。", "booth_capacity")
    if data.booth_capacity > 2000:
        raise ServiceError("展位数不能超过2000。", "booth_capacity")
    if fair is not None:
        approved = sum(1 for r in fair.registrations if r.status == "approved")
        if data.booth_capacity < approved:
            raise ServiceError(f"已通过 {approved} 家单位，展位数不能少于此数。", "booth_capacity")
    data.online_url = (data.online_url or "").strip() or None
    if data.format != "onsite":
        if not data.online_url:
            raise ServiceError("线上或线上线下结合的招聘会必须填写线上链接。", "online_url")
        if not is_http_url(data.online_url):
            raise ServiceError("线上链接必须以 http:// 或 https:// 开头。", "online_url")
    else:
        data.online_url = None
    venue = None
    if data.format != "online":
        if not data.venue_id:
            raise ServiceError("线下或线上线下结合的招聘会必须选择场地。", "venue_id")
        venue = db.session.get(Venue, data.venue_id)
        if venue is None or venue.university_id != university.id:
            raise ServiceError("请选择本校的场地。", "venue_id")
        if not venue.active and (fair is None or fair.venue_id != venue.id):
            raise ServiceError("该场地已停用，请选择其他场地。", "venue_id")
    else:
        data.venue_id = None
    if venue is not None and data.booth_capacity > venue.capacity and not data.extra.get("over_capacity_confirmed"):
        # Refused unless the organizer confirms (e.g. booths outdoors or online): the form offers the box.
        raise ServiceError(
            gettext(
                "场地“%(venue)s”只有 %(capacity)d 个展位，少于设定的 %(booths)d 个。请减少展位数、换一个更大的场地，"
                "或勾选“确认展位数超出场地容量”。",
                venue=venue.name,
                capacity=venue.capacity,
                booths=data.booth_capacity,
            ),
            "booth_capacity",
        )
    return venue


def booking_warnings(
    university: University, kind: str, starts_at: datetime, venue: Venue | None, booth_capacity: int
) -> list[str]:
    """Things worth a second look; never refusals."""
    warnings = []
    for _receiver, found in fair_day_checked.send(local_date(starts_at)):
        warnings.extend(found)
    if venue is not None and venue.capacity < booth_capacity:
        warnings.append(
            gettext(
                "场地“%(venue)s”只能容纳 %(capacity)d 个展位，少于设定的 %(booths)d 个。",
                venue=venue.name,
                capacity=venue.capacity,
                booths=booth_capacity,
            )
        )
    return warnings


# --- booking ----------------------------------------------------------------------------------


def _apply(fair: Fair, data: FairData) -> None:
    fair.kind = data.kind
    fair.title = data.title
    fair.format = data.format
    fair.starts_at = data.starts_at
    fair.ends_at = data.ends_at
    fair.venue_id = data.venue_id
    fair.online_url = data.online_url
    fair.booth_capacity = data.booth_capacity
    fair.industry_focus = (data.industry_focus or "").strip()[: LIMITS["title"]]
    fair.description = (data.description or "").strip()


def _check_venue(data: FairData, exclude_id: int | None = None) -> None:
    if data.venue_id and _venue_conflict(data.venue_id, data.starts_at, data.ends_at, exclude_id) is not None:
        raise ServiceError(VENUE_TAKEN, "venue_id")


DUPLICATE_FAIR = N_("刚刚已保存过完全相同的招聘会（可能是重复提交），未再新建。请在列表中查看。")


def _refuse_duplicate(university: University, data: FairData) -> None:
    """A double submit of the booking form for an online fair: the same title, kind, time and
    link as a fair the university already has (not cancelled) is refused with 409 instead of
    booked twice. (A fair with a venue cannot be booked twice: the venue is taken.)

    Serialised per university: PostgreSQL locks the university's row (SQLite: the write lock).
    """
    if data.venue_id is not None:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(University.id).where(University.id == university.id).with_for_update())
    same = db.session.scalar(
        sa.select(Fair.id)
        .where(
            Fair.university_id == university.id,
            Fair.status != "cancelled",
            Fair.title == data.title,
            Fair.kind == data.kind,
            Fair.format == data.format,
            Fair.starts_at == data.starts_at,
            Fair.ends_at == data.ends_at,
            Fair.venue_id.is_(None),
            Fair.online_url == data.online_url,
        )
        .limit(1)
    )
    if same is not None:
        raise ServiceError(DUPLICATE_FAIR, status=409)


def create_fair(university: University, data: FairData, user=None, publish: bool = False) -> tuple[Fair, list[str]]:
    """Book a fair (a draft, or published at once). Returns the fair and the warnings."""
    try:
        venue = validate(university, data)
        write_lock([data.venue_id])
        _refuse_duplicate(university, data)
        _check_venue(data)
        fair = Fair(university=university, status="draft", revision=0, created_by_id=getattr(user, "id", None))
        _apply(fair, data)
        db.session.add(fair)
        flush()
        fair_changed.send(fair, change="created")
        if publish:
            fair.status = "scheduled"
            fair.bump_revision()
            fair_changed.send(fair, change="published")
        warnings = booking_warnings(university, data.kind, data.starts_at, venue, data.booth_capacity)
        commit()
    except ServiceError:
        db.session.rollback()
        raise
    return fair, warnings


def update_fair(fair: Fair, data: FairData) -> tuple[Fair, list[str]]:
    """Edit a fair; a published fair's change of time or place bumps its revision."""
    if fair.status in ("cancelled", "held"):
        raise ServiceError("已取消或已举办的招聘会不能再修改。")
    try:
        venue = validate(fair.university, data, fair)
        write_lock([data.venue_id])
        _check_venue(data, exclude_id=fair.id)
        retimed = fair.starts_at != data.starts_at or fair.ends_at != data.ends_at
        moved = fair.venue_id != data.venue_id or fair.online_url != data.online_url or fair.format != data.format
        _apply(fair, data)
        flush()
        if fair.is_published and (retimed or moved):
            fair.bump_revision()
        fair_changed.send(fair, change="rescheduled" if retimed else "moved" if moved else "updated")
        warnings = booking_warnings(fair.university, data.kind, data.starts_at, venue, data.booth_capacity)
        commit()
    except ServiceError:
        db.session.rollback()
        raise
    return fair, warnings


def publish_fair(fair: Fair, now: datetime | None = None) -> Fair:
    """draft → scheduled."""
    if fair.status != "draft":
        raise ServiceError("只有草稿可以发布。")
    if fair.starts_at < (now or utcnow()):
        raise ServiceError("开始时间已过，请先修改时间再发布。", "starts_at")
    write_lock([fair.venue_id])
    if fair.venue_id and _venue_conflict(fair.venue_id, fair.starts_at, fair.ends_at, fair.id):
        db.session.rollback()
        raise ServiceError(VENUE_TAKEN, "venue_id")
    fair.status = "scheduled"
    fair.bump_revision()
    fair_changed.send(fair, change="published")
    commit()
    return fair


def cancel_fair(fair: Fair, reason: str) -> Fair:
    """Cancel with a reason; the venue becomes free again."""
    reason = (reason or "").strip()
    if fair.status == "cancelled":
        raise ServiceError("该招聘会已取消。")
    if fair.status == "held":
        raise ServiceError("已举办的招聘会不能取消。")
    if not reason:
        raise ServiceError("请填写取消原因。", "reason")
    if len(reason) > LIMITS["reason"]:
        raise ServiceError("取消原因不能超过500个字符。", "reason")
    was_published = fair.is_published
    fair.status = "cancelled"
    fair.cancel_reason = reason
    fair.cancelled_at = utcnow()
    if was_published:
        fair.bump_revision()
    fair_changed.send(fair, change="cancelled")
    commit()
    return fair


def default_day() -> date:
    return today_local() + timedelta(days=7)


def create_many(university: University, items: list[FairData], user=None, publish: bool = True) -> list[Fair]:
    """Book several fairs in one transaction (the gap planner): all of them or none.

    Errors name the row: ``第2项：该场地在此时间段已被占用``.
    """
    fairs = []
    try:
        write_lock([d.venue_id for d in items])
        for index, data in enumerate(items, start=1):
            try:
                validate(university, data)
                _check_venue(data)
            except ServiceError as error:
                raise ServiceError(f"第{index}项：{error.message}", error.field) from None
            fair = Fair(
                university=university,
                status="scheduled" if publish else "draft",
                revision=1 if publish else 0,
                created_by_id=getattr(user, "id", None),
            )
            _apply(fair, data)
            db.session.add(fair)
            flush()
            fair_changed.send(fair, change="published" if publish else "created")
            fairs.append(fair)
        commit()
    except ServiceError:
        db.session.rollback()
        raise
    return fairs
