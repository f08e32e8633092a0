"""Set-up and administration: universities, their profiles and venues, organizer accounts and
invitations. Every function is one transaction and writes an audit entry for what it changed.

Scope: the administrator manages every university; an organizer only their own
(:func:`recruit.core.scope.can_manage_university`); callers answer 404 otherwise.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from recruit.admin.models import OrganizerInvitation
from recruit.auth.models import User
from recruit.core.emails import is_valid_email
from recruit.core import audit
from recruit.core.errors import ServiceError
from recruit.core.urls import is_http_url
from recruit.core.scope import can_manage_university
from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.notifications.mail import MailSettings, OutgoingMail, send_messages
from recruit.timeutil import utcnow
from recruit.universities.models import UNIVERSITY_LEVELS, VENUE_SETTINGS, University, Venue
from recruit.validation import DEGREES

CODE_RE = re.compile(r"^[A-Za-z0-9]{2,20}$")
MOE_RE = re.compile(r"^\d{5}$")
MAX_GRADUATES = 1_000_000
MAX_VENUE_CAPACITY = 10_000
MAX_MAJOR_ROWS = 300
PASSWORD_MIN = 8
UNIVERSITY_FIELDS = ("code", "name", "moe_code", "city", "level", "graduates_count", "active")
VENUE_FIELDS = ("name", "campus", "capacity", "setting", "address", "online_url", "active")
USER_FIELDS = ("email", "display_name", "role", "university_id", "active")


def _clean(value, limit: int) -> str:
    return str(value if value is not None else "").replace("\x00", "").strip()[: limit + 1]


def _text(value, field: str, label: str, limit: int, required: bool = False) -> str:
    """A cleaned text field: "请填写<label>。" when required and empty, "<label>不能超过 N 个字符。" when too long."""
    text = _clean(value, limit)
    if required and not text:
        raise ServiceError(f"请填写{label}。", field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过 {limit} 个字符。", field)
    return text


# ---------------------------------------------------------------------- universities


def check_university(data: dict) -> dict:
    """Validated university fields (ServiceError naming the field otherwise)."""
    code = _clean(data.get("code"), 20).upper()
    if not code:
        raise ServiceError("请填写学校代码。", "code")
    if not CODE_RE.match(code):
        raise ServiceError("学校代码只能由 2–20 个英文字母或数字组成，例如 GZU。", "code")
    name = _text(data.get("name"), "name", "院校名称", 100, required=True)
    moe = _clean(data.get("moe_code"), 5) or None
    if moe is not None and not MOE_RE.match(moe):
        raise ServiceError("院校代码应为教育部的 5 位数字代码，例如 10657。", "moe_code")
    city = _text(data.get("city"), "city", "所在地", 60, required=True)
    level = _clean(data.get("level"), 8)
    if level not in UNIVERSITY_LEVELS:
        raise ServiceError("办学层次应为“本科”或“高职专科”。", "level")
    graduates = data.get("graduates_count")
    if isinstance(graduates, str):
        graduates = graduates.strip()
        graduates = int(graduates) if graduates.isdigit() and len(graduates) <= 9 else None
    if not isinstance(graduates, int) or isinstance(graduates, bool) or not 0 <= graduates <= MAX_GRADUATES:
        raise ServiceError(f"毕业生人数应为 0 到 {MAX_GRADUATES} 之间的整数。", "graduates_count")
    return dict(code=code, name=name, moe_code=moe, city=city, level=level, graduates_count=graduates)


def _unique_conflict(values: dict, university_id: int | None) -> None:
    for column, field, message in (
        (University.code, "code", "学校代码 %s 已被其他学校使用。"),
        (University.name, "name", "院校名称 %s 已存在。"),
        (University.moe_code, "moe_code", "院校代码 %s 已被其他学校使用。"),
    ):
        value = values.get(field)
        if value is None:
            continue
        other = db.session.scalar(
            sa.select(University.id).where(
                sa.func.upper(column) == value.upper() if field == "code" else column == value
            )
        )
        if other is not None and other != university_id:
            raise ServiceError(message % value, field, status=409)


def _commit_unique(field: str = "code") -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(
            "学校代码、院校名称或院校代码与其他学校重复（可能刚被别人保存）。", field, status=409
        ) from None


def create_university(data: dict, actor) -> University:
    values = check_university(data)
    _unique_conflict(values, None)
    university = add_university(values, actor)
    _commit_unique()
    return university


def add_university(values: dict, actor) -> University:
    """A new university of checked ``values`` (no majors yet) and its audit record; the caller
    commits (the form, or the universities import once every row is written)."""
    university = University(**values, majors=[], major_stats=[])
    db.session.add(university)
    db.session.flush()
    audit.record(
        actor,
        "university.create",
        "university",
        university.id,
        label=university.name,
        university_id=university.id,
        after=audit.snapshot(university, UNIVERSITY_FIELDS),
    )
    return university


def update_university(university: University, data: dict, actor) -> University:
    values = check_university(data)
    _unique_conflict(values, university.id)
    audit.update(
        actor, university, values, UNIVERSITY_FIELDS, "university.update", "university", university_id=university.id
    )
    _commit_unique()
    return university


def set_university_active(university: University, active: bool, actor) -> University:
    """Deactivate (or reactivate) a university: nothing is deleted; its organizers can no longer
    log in while it is inactive, and it leaves the public lists."""
    if university.active == active:
        return university
    organizers = db.session.scalars(
        sa.select(User).where(User.university_id == university.id, User.role == "organizer")
    ).all()
    if not active:
        for user in organizers:
            user.active = False
    audit.set_active(
        actor,
        university,
        active,
        "university",
        "university",
        label=university.name,
        university_id=university.id,
        organizers_deactivated=0 if active else len(organizers),
    )
    db.session.commit()
    return university


def check_major_stats(rows: list[tuple[str, str, str]]) -> list[dict]:
    """``(major, degree, graduates)`` rows from the profile form as clean ``major_stats``."""
    stats: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for number, (major, degree, graduates) in enumerate(rows, start=1):
        major, degree, graduates = _clean(major, 60), _clean(degree, 8), _clean(graduates, 9)
        if not major and not graduates:
            continue
        if not major:
            raise ServiceError(f"第 {number} 行：请填写专业名称。", "majors")
        if len(major) > 60:
            raise ServiceError(f"第 {number} 行：专业名称不能超过 60 个字符。", "majors")
        if degree not in DEGREES:
            raise ServiceError(f"第 {number} 行：学历应为专科、本科、硕士或博士。", "majors")
        if not graduates.isdigit() or int(graduates) > MAX_GRADUATES:
            raise ServiceError(f"第 {number} 行：毕业生人数应为 0 到 {MAX_GRADUATES} 之间的整数。", "majors")
        if (major, degree) in seen:
            raise ServiceError(f"第 {number} 行：{major}（{degree}）重复填写。", "majors")
        seen.add((major, degree))
        stats.append({"major": major, "degree": degree, "graduates": int(graduates)})
    if len(stats) > MAX_MAJOR_ROWS:
        raise ServiceError(f"最多填写 {MAX_MAJOR_ROWS} 行。", "majors")
    return stats


def update_profile(university: University, rows: list[tuple[str, str, str]], actor) -> University:
    """The university's majors with graduate numbers per major and degree (published per §4)."""
    if not can_manage_university(actor, university.id):
        raise ServiceError("找不到该学校。", status=404)
    stats = check_major_stats(rows)
    before = {"major_stats": university.major_stats or [], "majors": university.majors or []}
    university.major_stats = stats
    university.majors = list(dict.fromkeys(row["major"] for row in stats))
    audit.record(
        actor,
        "university.profile",
        "university",
        university.id,
        label=university.name,
        university_id=university.id,
        before=before,
        after={"major_stats": stats, "majors": university.majors},
    )
    db.session.commit()
    return university


# ---------------------------------------------------------------------- venues


def check_venue(data: dict) -> dict:
    name = _text(data.get("name"), "name", "场地名称", 100, required=True)
    campus = _text(data.get("campus"), "campus", "校区", 60)
    capacity = data.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_VENUE_CAPACITY:
        raise ServiceError(f"展位数应为 1 到 {MAX_VENUE_CAPACITY} 之间的整数。", "capacity")
    setting = data.get("setting")
    if setting not in VENUE_SETTINGS:
        raise ServiceError("请选择室内、室外或线上。", "setting")
    address = _text(data.get("address"), "address", "地址", 200)
    online_url = _clean(data.get("online_url"), 500) or None
    if setting == "online" and not online_url:
        raise ServiceError("线上场地必须填写线上链接。", "online_url")
    if online_url is not None and not is_http_url(online_url):
        raise ServiceError("线上链接必须以 http:// 或 https:// 开头。", "online_url")
    return dict(name=name, campus=campus, capacity=capacity, setting=setting, address=address, online_url=online_url)


def _venue_commit(field: str = "name") -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("本校已有同名场地。", field, status=409) from None


def _venue_name_taken(university: University, name: str, venue_id: int | None) -> None:
    other = db.session.scalar(sa.select(Venue.id).where(Venue.university_id == university.id, Venue.name == name))
    if other is not None and other != venue_id:
        raise ServiceError("本校已有同名场地。", "name", status=409)


def create_venue(university: University, data: dict, actor) -> Venue:
    if not can_manage_university(actor, university.id):
        raise ServiceError("找不到该学校。", status=404)
    values = check_venue(data)
    _venue_name_taken(university, values["name"], None)
    venue = Venue(university=university, **values)
    db.session.add(venue)
    db.session.flush()
    audit.record(
        actor,
        "venue.create",
        "venue",
        venue.id,
        label=venue.name,
        university_id=university.id,
        after=audit.snapshot(venue, VENUE_FIELDS),
    )
    _venue_commit()
    return venue


def update_venue(venue: Venue, data: dict, actor) -> Venue:
    if not can_manage_university(actor, venue.university_id):
        raise ServiceError("找不到该场地。", status=404)
    values = check_venue(data)
    _venue_name_taken(venue.university, values["name"], venue.id)
    audit.update(actor, venue, values, VENUE_FIELDS, "venue.update", "venue", university_id=venue.university_id)
    _venue_commit()
    return venue


def set_venue_active(venue: Venue, active: bool, actor) -> Venue:
    if not can_manage_university(actor, venue.university_id):
        raise ServiceError("找不到该场地。", status=404)
    if audit.set_active(actor, venue, active, "venue", "venue", label=venue.name, university_id=venue.university_id):
        db.session.commit()
    return venue


def remove_venue(venue: Venue, actor) -> str:
    """Delete a venue no fair refers to; deactivate one that fairs refer to. Returns what was done."""
    if not can_manage_university(actor, venue.university_id):
        raise ServiceError("找不到该场地。", status=404)
    used = db.session.scalar(sa.select(sa.func.count(Fair.id)).where(Fair.venue_id == venue.id))
    if used:
        set_venue_active(venue, False, actor)
        return "deactivated"
    audit.record(
        actor,
        "venue.delete",
        "venue",
        venue.id,
        label=venue.name,
        university_id=venue.university_id,
        before=audit.snapshot(venue, VENUE_FIELDS),
    )
    db.session.delete(venue)
    try:
        db.session.commit()
    except IntegrityError:  # a fair was booked into it meanwhile
        db.session.rollback()
        raise ServiceError("该场地刚被招聘会使用，已保留；如不再使用请停用。", status=409) from None
    return "deleted"


# ---------------------------------------------------------------------- organizer accounts and invitations


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="recruit.invitation")


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def invite_organizer(university: University, email: str, display_name: str, actor) -> tuple[OrganizerInvitation, str]:
    """Invite ``email`` to become an organizer of ``university``; returns the invitation and its token.

    The link is single-use and expires after ``INVITATION_DAYS``. An open invitation of the
    same e-mail to the same university is replaced (its old link stops working).
    """
    if not can_manage_university(actor, university.id):
        raise ServiceError("找不到该学校。", status=404)
    if not university.active:
        raise ServiceError("该学校已停用，不能邀请工作人员。", status=409)
    email = _clean(email, 254).lower()
    if not email or len(email) > 254 or not is_valid_email(email):
        raise ServiceError("请输入有效的电子邮箱地址。", "email")
    display_name = _text(display_name, "display_name", "姓名", 100)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise ServiceError("该邮箱已有账号。", "email", status=409)
    now = utcnow()
    for old in db.session.scalars(
        sa.select(OrganizerInvitation).where(
            OrganizerInvitation.email == email,
            OrganizerInvitation.university_id == university.id,
            OrganizerInvitation.accepted_at.is_(None),
            OrganizerInvitation.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now
    nonce = secrets.token_urlsafe(24)
    invitation = OrganizerInvitation(
        email=email,
        display_name=display_name,
        university_id=university.id,
        nonce_hash=_hash(nonce),
        invited_by_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        actor,
        "organizer.invite",
        "invitation",
        invitation.id,
        label=email,
        university_id=university.id,
        after={"email": email, "university": university.code, "expires_at": invitation.expires_at},
    )
    db.session.commit()
    return invitation, _serializer().dumps({"i": invitation.id, "n": nonce})


def send_invitation_mail(invitation: OrganizerInvitation, link: str) -> bool:
    """E-mail the link when mail is configured; True when sent."""
    settings = MailSettings.from_config(current_app.config)
    if not settings.server:
        return False
    body = (
        f"您好：\n\n您被邀请成为 {invitation.university.name} 的就业工作人员账号。请在 "
        f"{current_app.config['INVITATION_DAYS']} 天内打开下面的链接设置密码（链接只能使用一次）：\n\n{link}\n"
    )
    try:
        return bool(
            send_messages(settings, [OutgoingMail(0, invitation.email, "高校招聘服务平台：工作人员邀请", body)])
        )
    except OSError:
        current_app.logger.exception("invitation mail to %s failed", invitation.email)
        return False


def invitation_for_token(token: str) -> OrganizerInvitation:
    """The open invitation a link names, or ServiceError (404 unknown, 410 spent/expired)."""
    try:
        data = _serializer().loads(token or "", max_age=current_app.config["INVITATION_DAYS"] * 86400 + 60)
        invitation_id, nonce = int(data["i"]), str(data["n"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise ServiceError("邀请链接无效，请向邀请您的人索取新的链接。", status=404) from None
    invitation = db.session.get(OrganizerInvitation, invitation_id)
    if invitation is None or not secrets.compare_digest(invitation.nonce_hash, _hash(nonce)):
        raise ServiceError("邀请链接无效，请向邀请您的人索取新的链接。", status=404)
    state = invitation.state()
    if state == "accepted":
        raise ServiceError("该邀请链接已使用过。请直接登录。", status=410)
    if state == "revoked":
        raise ServiceError("该邀请已被撤回，请向邀请您的人索取新的链接。", status=410)
    if state == "expired":
        raise ServiceError("邀请链接已过期，请向邀请您的人索取新的链接。", status=410)
    return invitation


def accept_invitation(token: str, display_name: str, password: str, password2: str) -> User:
    """Create the organizer account (once: the invitation is spent with a compare-and-set)."""
    invitation = invitation_for_token(token)
    display_name = _text(
        _clean(display_name, 100) or invitation.display_name, "display_name", "姓名", 100, required=True
    )
    if not password or not PASSWORD_MIN <= len(password) <= 128:
        raise ServiceError("密码长度应在 8 到 128 个字符之间。", "password")
    if password != password2:
        raise ServiceError("两次输入的密码不一致。", "password2")
    now = utcnow()
    spent = db.session.execute(
        sa.update(OrganizerInvitation)
        .where(
            OrganizerInvitation.id == invitation.id,
            OrganizerInvitation.accepted_at.is_(None),
            OrganizerInvitation.revoked_at.is_(None),
            OrganizerInvitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        db.session.rollback()
        raise ServiceError("该邀请链接已使用过。请直接登录。", status=410)
    user = User(
        email=invitation.email, display_name=display_name, role="organizer", university_id=invitation.university_id
    )
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("该邮箱已有账号，请直接登录。", status=409) from None
    db.session.execute(
        sa.update(OrganizerInvitation)
        .where(OrganizerInvitation.id == invitation.id)
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        user,
        "organizer.accept",
        "user",
        user.id,
        label=user.email,
        university_id=user.university_id,
        after=audit.snapshot(user, USER_FIELDS),
    )
    db.session.commit()
    return user


def revoke_invitation(invitation: OrganizerInvitation, actor) -> OrganizerInvitation:
    if not can_manage_university(actor, invitation.university_id):
        raise ServiceError("找不到该邀请。", status=404)
    if invitation.state() != "open":
        raise ServiceError("该邀请已使用、撤回或过期。", status=409)
    invitation.revoked_at = utcnow()
    audit.record(
        actor,
        "organizer.revoke_invitation",
        "invitation",
        invitation.id,
        label=invitation.email,
        university_id=invitation.university_id,
        before={"state": "open"},
        after={"state": "revoked"},
    )
    db.session.commit()
    return invitation


def set_organizer_active(user: User, active: bool, actor) -> User:
    """Deactivate (or reactivate) an organizer account of a university the actor manages."""
    if user.role != "organizer" or not can_manage_university(actor, user.university_id):
        raise ServiceError("找不到该账号。", status=404)
    if user.id == actor.id and not active:
        raise ServiceError("不能停用自己的账号。", status=409)
    if active and not user.university.active:
        raise ServiceError("该学校已停用，不能启用其工作人员账号。", status=409)
    if audit.set_active(actor, user, active, "organizer", "user", label=user.email, university_id=user.university_id):
        db.session.commit()
    return user


# ---------------------------------------------------------------------- command line


def create_admin(email: str, password: str, display_name: str = "") -> tuple[User | None, str]:
    """Create a province administrator. ``(None, reason)`` when the e-mail already has an account."""
    email = _clean(email, 254).lower()
    if not email or len(email) > 254 or not is_valid_email(email):
        raise ServiceError("请输入有效的电子邮箱地址。", "email")
    if not password or not PASSWORD_MIN <= len(password) <= 128:
        raise ServiceError("密码长度应在 8 到 128 个字符之间。", "password")
    existing = db.session.scalar(sa.select(User).where(User.email == email))
    if existing is not None:
        return None, existing.role
    user = User(email=email, display_name=_clean(display_name, 100)[:100] or "省教育厅管理员", role="admin")
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(sa.select(User).where(User.email == email))
        return None, existing.role if existing else "admin"
    audit.record(None, "admin.create", "user", user.id, label=email, after=audit.snapshot(user, USER_FIELDS))
    db.session.commit()
    return user, "admin"
