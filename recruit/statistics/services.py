"""Destination records and their three-level review (§15: 采集 → 院系审核 → 学校复核).

Who may do what (the route answers 404 for anything outside the user's scope):

===============  ==========================================================================
step             who
===============  ==========================================================================
fill             the graduate (own record, while pending or returned), or the office
collect (采集)    an organizer of the graduate's university (a college-scoped one: own college)
review (审核)     an organizer scoped to the graduate's college; for a graduate with no college,
                 an organizer of the university's own office
verify (复核)     an organizer of the university's own office (no college), never the reviewer
return (退回)     whoever may take the next step, with a reason; the record goes back to pending
===============  ==========================================================================

Every step is a compare-and-set on (status, version): of two simultaneous steps exactly one wins
and the other is told the record changed (409).
"""

from __future__ import annotations


import sqlalchemy as sa

from recruit.applications.models import Application
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university, scope_to_university
from recruit.core.uploads import UploadStore
from recruit.extensions import db
from recruit.notifications import services as notes
from recruit.graduates.models import Graduate
from recruit.statistics.models import DestinationEvent, DestinationRecord
from recruit.statistics.policy import category
from recruit.timeutil import utcnow, today_local
from recruit.universities.models import College

EVIDENCE_TYPES = ("application/pdf", "image/png", "image/jpeg")
#: Destination evidence files: ``<UPLOAD_DIR>/evidence``.
EVIDENCE = UploadStore("UPLOAD_DIR", "evidence", EVIDENCE_TYPES, "STATISTICS_EVIDENCE_MAX_BYTES", "evidence")
EDITABLE_BY_GRADUATE = ("pending", "returned")
EDITABLE_BY_OFFICE = ("pending", "returned", "collected")


# ------------------------------------------------------------------ scope


def graduates_in_scope(user) -> sa.Select:
    """Graduates whose records ``user`` may see: the university's (a college-scoped organizer: own college)."""
    query = scope_to_university(sa.select(Graduate), user, Graduate.university_id)
    if user.role == "organizer" and user.college_id is not None:
        query = query.where(Graduate.college_id == user.college_id)
    return query


def may_see_graduate(user, graduate: Graduate) -> bool:
    if user.role == "graduate":
        return user.graduate_id == graduate.id
    if not can_manage_university(user, graduate.university_id):
        return False
    return user.role == "admin" or user.college_id is None or user.college_id == graduate.college_id


def managed_graduate(user, graduate_id: int) -> Graduate | None:
    """The graduate if ``user`` may see their record (else None: 404)."""
    graduate = db.session.get(Graduate, graduate_id)
    return graduate if graduate is not None and may_see_graduate(user, graduate) else None


def record_of(graduate: Graduate) -> DestinationRecord | None:
    return db.session.scalar(sa.select(DestinationRecord).where(DestinationRecord.graduate_id == graduate.id))


def accepted_offer(graduate: Graduate) -> Application | None:
    """The graduate's most recent accepted offer (applications), which pre-fills the destination."""
    return db.session.scalar(
        sa.select(Application)
        .where(Application.graduate_id == graduate.id, Application.status == "accepted")
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .limit(1)
    )


def colleges_of(university_id: int) -> list[College]:
    return list(
        db.session.scalars(sa.select(College).where(College.university_id == university_id).order_by(College.name))
    )


# ------------------------------------------------------------------ filling in


def _clean(data: dict) -> dict:
    code = (data.get("category") or "").strip()
    cat = category(code)
    if cat is None:
        raise ServiceError("请选择毕业去向类别。", "category")
    organisation = (data.get("organisation") or "").strip()
    if cat.group != "not_placed" and not organisation:
        raise ServiceError("请填写就业单位或升学院校。", "organisation")
    if len(organisation) > 100:
        raise ServiceError("单位或院校名称不能超过 100 个字符。", "organisation")
    city = (data.get("city") or "").strip()
    if len(city) > 60:
        raise ServiceError("城市不能超过 60 个字符。", "city")
    industry = (data.get("industry") or "").strip()
    if len(industry) > 60:
        raise ServiceError("行业不能超过 60 个字符。", "industry")
    day = data.get("destination_date")
    if day is not None and (day > today_local() or day.year < 2000):
        raise ServiceError("日期不能晚于今天。", "destination_date")
    return dict(category=code, organisation=organisation, city=city, industry=industry, destination_date=day)


def _event(record: DestinationRecord, action: str, actor, note: str = "") -> None:
    db.session.add(
        DestinationEvent(record=record, action=action, actor_id=actor.id if actor else None, note=note[:500])
    )


def fill(graduate: Graduate, data: dict, actor, evidence=None) -> DestinationRecord:
    """Create or update the graduate's record. The graduate's own entry waits for the office to
    collect it; the office's entry is collected at once (采集 is the office's entry)."""
    if not may_see_graduate(actor, graduate):
        raise ServiceError("未找到该毕业生。", None, 404)
    values = _clean(data)
    record = record_of(graduate)
    allowed = EDITABLE_BY_GRADUATE if actor.role == "graduate" else EDITABLE_BY_OFFICE
    if record is not None and record.status not in allowed:
        raise ServiceError("该去向已进入审核，不能再修改；如需更正，请学校就业部门退回后再改。", None, 409)
    stored = EVIDENCE.save(EVIDENCE.read(evidence)) if evidence is not None and evidence.filename else None
    now = utcnow()
    if record is None:
        record = DestinationRecord(graduate_id=graduate.id, university_id=graduate.university_id, **values)
        db.session.add(record)
    else:
        for key, value in values.items():
            setattr(record, key, value)
        record.version += 1
    if stored is not None:
        if record.evidence_file:
            EVIDENCE.delete(record.evidence_file)
        record.evidence_file, record.evidence_type = stored.name, stored.content_type
    record.filled_by_id, record.filled_at, record.returned_reason = actor.id, now, ""
    if actor.role == "graduate":
        record.status = "pending"
        record.collected_by_id = record.collected_at = None
    else:
        record.status, record.collected_by_id, record.collected_at = "collected", actor.id, now
    record.reviewed_by_id = record.reviewed_at = record.verified_by_id = record.verified_at = None
    _event(record, "filled" if actor.role == "graduate" else "collected", actor)
    db.session.commit()
    return record


# ------------------------------------------------------------------ review steps


def may_collect(user, record: DestinationRecord) -> bool:
    return user.role == "organizer" and may_see_graduate(user, record.graduate)


def may_review(user, record: DestinationRecord) -> bool:
    if user.role != "organizer" or not can_manage_university(user, record.university_id):
        return False
    college = record.graduate.college_id
    return user.college_id == college if college is not None else user.college_id is None


def may_verify(user, record: DestinationRecord) -> bool:
    return is_office(user, record.university_id) and user.id != record.reviewed_by_id


#: step -> (status it needs, status it sets, permission, event)
STEPS = {
    "collect": ("pending", "collected", may_collect),
    "review": ("collected", "reviewed", may_review),
    "verify": ("reviewed", "verified", may_verify),
}
#: Who may return a record in each status: the one who would take its next step.
RETURNABLE = {"pending": may_collect, "collected": may_review, "reviewed": may_verify, "verified": may_verify}


def _compare_and_set(record: DestinationRecord, expected: str, values: dict) -> None:
    result = db.session.execute(
        sa.update(DestinationRecord)
        .where(
            DestinationRecord.id == record.id,
            DestinationRecord.status == expected,
            DestinationRecord.version == record.version,
        )
        .values(version=DestinationRecord.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError("该记录刚被他人处理过，请刷新后查看最新状态。", None, 409)


def advance(record: DestinationRecord, step: str, actor) -> DestinationRecord:
    """Take one review step (collect, review, verify)."""
    if step not in STEPS:
        raise ServiceError("未知的操作。", None, 400)
    needs, sets, permitted = STEPS[step]
    if record.status != needs:
        raise ServiceError("该记录当前状态不能执行此操作，请刷新后查看。", None, 409)
    if not permitted(actor, record):
        if step == "verify" and actor.id == record.reviewed_by_id:
            raise ServiceError("复核须由审核人以外的学校就业部门人员完成。", None, 403)
        raise ServiceError("您没有权限执行此操作。", None, 403)
    now = utcnow()
    who = {"collect": "collected", "review": "reviewed", "verify": "verified"}[step]
    _compare_and_set(record, needs, {"status": sets, f"{who}_by_id": actor.id, f"{who}_at": now})
    _event(record, who, actor)
    db.session.commit()
    db.session.refresh(record)
    return record


def return_record(record: DestinationRecord, actor, reason: str) -> DestinationRecord:
    """Send a record back with a reason; it must be corrected and collected again."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回原因。", "reason")
    if len(reason) > 500:
        raise ServiceError("退回原因不能超过 500 个字符。", "reason")
    permitted = RETURNABLE.get(record.status)
    if permitted is None or not permitted(actor, record):
        raise ServiceError("您没有权限退回该记录。", None, 403)
    _compare_and_set(
        record,
        record.status,
        {
            "status": "returned",
            "returned_reason": reason,
            "collected_by_id": None,
            "collected_at": None,
            "reviewed_by_id": None,
            "reviewed_at": None,
            "verified_by_id": None,
            "verified_at": None,
        },
    )
    _event(record, "returned", actor, reason)
    owner = db.session.scalar(sa.select(User).where(User.graduate_id == record.graduate_id))
    notes.notify(
        [owner],
        kind="destination_returned",
        event_key=f"destination_returned:{record.id}:{record.version + 1}",
        params={"reason": reason},
        link=notes.path_for("statistics.my_destination"),
    )
    db.session.commit()
    db.session.refresh(record)
    return record


def is_office(user, university_id: int) -> bool:
    """The university's own employment office: an organizer of it with no college."""
    return user.role == "organizer" and user.college_id is None and can_manage_university(user, university_id)


def _assign_college(target, college_id: int | None) -> None:
    """Set ``target.college_id`` to one of its university's colleges (or None) and commit."""
    if college_id is not None:
        college = db.session.get(College, college_id)
        if college is None or college.university_id != target.university_id:
            raise ServiceError("请选择本校的院系。", "college")
    target.college_id = college_id
    db.session.commit()


def set_college(graduate: Graduate, college_id: int | None, actor) -> Graduate:
    """Assign a graduate to one of their university's colleges (the office's decision)."""
    if not is_office(actor, graduate.university_id):
        raise ServiceError("只有学校就业部门可以调整学生所在院系。", None, 403)
    _assign_college(graduate, college_id)
    return graduate


def add_college(university_id: int, name: str, actor) -> College:
    name = (name or "").strip()
    if not is_office(actor, university_id):
        raise ServiceError("只有学校就业部门可以添加院系。", None, 403)
    if not name or len(name) > 100:
        raise ServiceError("请填写院系名称（不超过 100 个字符）。", "name")
    exists = db.session.scalar(
        sa.select(College.id).where(College.university_id == university_id, College.name == name)
    )
    if exists:
        raise ServiceError("该院系已存在。", "name", 409)
    college = College(university_id=university_id, name=name)
    db.session.add(college)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise ServiceError("该院系已存在。", "name", 409) from None
    return college


def organizers_of(university_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == "organizer", User.university_id == university_id)
            .order_by(User.display_name, User.id)
        )
    )


def scope_organizer(colleague: User, college_id: int | None, actor) -> User:
    """Scope a colleague to one college (its reviewer) or to the whole university (None)."""
    if not is_office(actor, colleague.university_id):
        raise ServiceError("只有学校就业部门可以调整同事负责的院系。", None, 403)
    if colleague.role != "organizer" or colleague.id == actor.id:
        raise ServiceError("不能调整该账号。", None, 400)
    _assign_college(colleague, college_id)
    return colleague
