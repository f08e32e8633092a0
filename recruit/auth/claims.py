"""Claiming imported graduate records: activation codes, pending self-registrations and the
organizer's confirmation that links an account to the university's record.

Accounts (auth) sit above graduates: this module reads and links graduate records; the
graduates domain never imports auth. E-mails go out through ``signals.account_mail``.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.exc import IntegrityError

from recruit.auth import mailer
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university
from recruit.extensions import db
from recruit.graduates.models import Graduate, Intention, SavedFair, SavedPosting
from recruit.signals import intention_changed
from recruit.timeutil import utcnow


def confirm_graduate(graduate: Graduate) -> Graduate:
    """Confirm a graduate's identity (the organizer checked it).

    A self-registration without an activation code carries the typed student number in
    ``claimed_student_number``: confirming it gives the record that number, or, when the
    university imported a record with that number, links the account to the imported
    record (moving an intention written meanwhile) and drops the pending one. An imported
    record that already has an account is a conflict (409). Returns the confirmed record.
    """
    number = graduate.claimed_student_number
    if not number:
        graduate.confirmed = True
        db.session.commit()
        return graduate
    target = db.session.scalar(
        sa.select(Graduate).where(Graduate.university_id == graduate.university_id, Graduate.student_number == number)
    )
    try:
        if target is None:
            graduate.student_number = number
            graduate.claimed_student_number = None
            graduate.confirmed = True
            db.session.commit()
            return graduate
        if db.session.scalar(sa.select(User.id).where(User.graduate_id == target.id)) is not None:
            raise ServiceError("该学号的学校记录已关联其他账号，无法确认；请核实后联系该毕业生。", None, 409)
        if target.intention is None and graduate.intention is not None:
            db.session.execute(
                sa.update(Intention)
                .where(Intention.graduate_id == graduate.id)
                .values(graduate_id=target.id)
                .execution_options(synchronize_session=False)
            )
        for model in (SavedFair, SavedPosting):
            db.session.execute(
                sa.update(model)
                .where(model.graduate_id == graduate.id)
                .values(graduate_id=target.id)
                .execution_options(synchronize_session=False)
            )
        db.session.execute(
            sa.update(User)
            .where(User.graduate_id == graduate.id)
            .values(graduate_id=target.id)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.delete(Graduate).where(Graduate.id == graduate.id).execution_options(synchronize_session=False)
        )
        target.confirmed = True
        target.activation_code_hash = None
        target.activation_code_at = None
        db.session.flush()
        db.session.expire(target, ["intention"])
        if target.intention is not None:  # the matching index refreshes the moved intention
            intention_changed.send(target.intention)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("该记录刚刚已被其他操作修改，请刷新后重试。", None, 409) from None
    db.session.expire_all()
    return target


def claimed_records(graduates) -> dict[int, Graduate | None]:
    """For each pending self-registration among ``graduates``: the imported record with the
    claimed student number (None when the school has none), so the organizer can compare."""
    pending = [g for g in graduates if g.claimed_student_number]
    if not pending:
        return {}
    found = {
        (g.university_id, g.student_number): g
        for g in db.session.scalars(
            sa.select(Graduate).where(
                Graduate.university_id.in_({g.university_id for g in pending}),
                Graduate.student_number.in_({g.claimed_student_number for g in pending}),
            )
        )
    }
    return {g.id: found.get((g.university_id, g.claimed_student_number)) for g in pending}


# ---------------------------------------------------------------------- activation codes
#: Unambiguous characters (no 0/O, 1/I/L): 12 of them carry 60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
#: At most this many codes per click (each may send an e-mail).
ACTIVATION_BATCH = 1000


def normalise_code(value: str) -> str:
    """What the graduate typed, as stored: NFKC, upper case, without spaces and dashes."""
    value = unicodedata.normalize("NFKC", value or "").upper()
    return "".join(ch for ch in value if ch.isalnum())[:64]


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def placeholder_number() -> str:
    """The student number of a self-registered record until an organizer confirms it."""
    return f"待确认-{secrets.token_hex(5)}"


def claimable_query(university_id: int) -> sa.Select:
    """Imported records of a university that no account has claimed yet."""
    return sa.select(Graduate).where(
        Graduate.university_id == university_id,
        Graduate.claimed_student_number.is_(None),
        ~sa.exists().where(User.graduate_id == Graduate.id),
    )


def claimable_ids(graduates) -> set[int]:
    """Ids among ``graduates`` of imported records no account has claimed (codes can be issued)."""
    ids = [g.id for g in graduates if not g.claimed_student_number]
    if not ids:
        return set()
    taken = set(db.session.scalars(sa.select(User.graduate_id).where(User.graduate_id.in_(ids))))
    return set(ids) - taken


def activation_counts(university_id: int) -> dict:
    base = claimable_query(university_id).subquery()
    unclaimed = db.session.scalar(sa.select(sa.func.count()).select_from(base))
    with_code = db.session.scalar(
        sa.select(sa.func.count()).select_from(base).where(base.c.activation_code_hash.is_not(None))
    )
    return {"unclaimed": unclaimed, "with_code": with_code, "without_code": unclaimed - with_code}


@dataclass
class Slip:
    graduate: Graduate
    code: str
    emailed: bool


def issue_activation_codes(user, university, mode: str = "missing", graduate_id: int | None = None) -> list[Slip]:
    """New activation codes for unclaimed imported graduates of ``university`` (the user's own,
    or any for the province administrator): those without a code (``missing``), all of them
    (``all``: older codes stop working), or one. Codes are e-mailed where the record has an
    address and returned once for the printed slips; only their hashes are kept."""
    if not can_manage_university(user, university.id):
        raise ServiceError("没有找到该学校。", None, 404)
    query = claimable_query(university.id)
    if graduate_id is not None:
        query = query.where(Graduate.id == graduate_id)
    elif mode == "missing":
        query = query.where(Graduate.activation_code_hash.is_(None))
    elif mode != "all":
        raise ServiceError("请选择要生成激活码的范围。")
    graduates = db.session.scalars(query.order_by(Graduate.student_number).limit(ACTIVATION_BATCH)).all()
    if graduate_id is not None and not graduates:
        raise ServiceError("没有找到该毕业生，或其记录已被认领。", None, 404)
    now = utcnow()
    register_url = mailer.absolute(url_for("auth.register_graduate"))
    slips = []
    for graduate in graduates:
        code = new_code()
        graduate.activation_code_hash = code_hash(code)
        graduate.activation_code_at = now
        emailed = bool(graduate.email)
        if emailed:
            mailer.send(
                graduate.email,
                f"{university.name}：毕业生账号激活码 / activation code",
                f"{graduate.name} 同学：\n\n{university.name} 就业部门为您开通了毕业生求职服务账号。"
                f"请在 {register_url} 注册，选择学校“{university.name}”，填写学号 {graduate.student_number} "
                f"和激活码：\n\n    {code}\n\n激活码只属于您本人，请勿告诉他人；学校工作人员不会向您索要。"
                f"如果不是您本人，请联系学校就业部门。\n\nYour activation code for {university.name}: {code} "
                f"(student number {graduate.student_number}, register at {register_url}).\n",
            )
        slips.append(Slip(graduate, code, emailed))
    db.session.commit()
    return slips
