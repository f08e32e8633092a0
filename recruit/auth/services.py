"""Authentication, throttling and registration. Services own the transactions."""

from __future__ import annotations

import hmac
import math
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.exc
from flask import current_app, url_for
from werkzeug.security import generate_password_hash

from matching.majors import spelling as major_spelling
from recruit.auth import claims, mailer, passwords, sessions, throttle
from recruit.auth.models import PASSWORD_METHOD, LoginAttempt, PendingRegistration, User
from recruit.core.errors import ServiceError
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.i18n import N_
from recruit.timeutil import utcnow


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None
    throttled: bool = False
    #: Values for the placeholders of ``error``.
    params: dict = field(default_factory=dict)
    #: Offer the password-reset link next to the error.
    offer_reset: bool = False


ADDRESS_THROTTLED = "此网络地址在 %(window)d 分钟内的登录失败次数过多，请 %(minutes)d 分钟后再试。"
ACCOUNT_SLOWED = "该账号最近登录失败次数较多，为保护账号，请 %(seconds)d 秒后再试；忘记密码可以通过邮件重设。"


def normalise_email(email: str) -> str:
    """Lower case, trimmed, without control characters (a NUL cannot reach the database)."""
    return "".join(ch for ch in (email or "") if ch >= " " and ch != "\x7f").strip().lower()


def _refuse_control_characters(payload: dict) -> None:
    for key, value in payload.items():
        if isinstance(value, str) and any((ch < " " and ch not in ("\n", "\r", "\t")) or ch == "\x7f" for ch in value):
            raise ServiceError("不能包含控制字符。", key)
        if isinstance(value, str) and key != "description" and ("\n" in value or "\r" in value):
            raise ServiceError("不能包含换行。", key)


def authenticate(email: str, password: str, address: str) -> LoginResult:
    """Check the credentials under the login throttle (see README "Sign-in security").

    Per client address: at most ``LOGIN_MAX_FAILURES_PER_ADDRESS`` attempts per window; a
    success gives back only its own attempt. Per account: after
    ``LOGIN_MAX_FAILURES_PER_ACCOUNT`` failures each attempt waits a doubling delay (never a
    lock-out); the right password clears it. Both counters are taken atomically and committed
    before the password is hashed, so concurrent attempts cannot exceed them. An unknown e-mail
    costs one password hash too (a dummy), so the time does not tell whether it exists.
    """
    email = normalise_email(email)
    cfg = current_app.config
    now = utcnow()
    window = timedelta(seconds=cfg["LOGIN_THROTTLE_WINDOW_SECONDS"])
    address_key, account_key = f"login:address:{address}", f"login:account:{email}"
    if throttle.take(address_key, cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"], window, now) is None:
        db.session.commit()
        wait = throttle.retry_after(address_key, window, now)
        return LoginResult(
            None,
            ADDRESS_THROTTLED,
            throttled=True,
            params={"window": max(1, round(window.total_seconds() / 60)), "minutes": math.ceil(wait / 60)},
        )
    count = throttle.take(
        account_key,
        2**31 - 1,
        window,
        now,
        sliding=True,
        hold_from=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        hold=timedelta(seconds=cfg["LOGIN_MAX_DELAY_SECONDS"]),
    )
    if count is None:
        throttle.release(address_key)  # refused before any password check
        db.session.commit()
        return LoginResult(
            None,
            ACCOUNT_SLOWED,
            throttled=True,
            offer_reset=True,
            params={"seconds": throttle.retry_after(account_key, window, now, sliding=True)},
        )
    db.session.commit()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = passwords.verify(user, password)
    if ok:
        throttle.reset(account_key)
        throttle.release(address_key)
    else:
        throttle.slow_down(
            account_key,
            count,
            cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
            timedelta(seconds=cfg["LOGIN_DELAY_SECONDS"]),
            timedelta(seconds=cfg["LOGIN_MAX_DELAY_SECONDS"]),
            now,
        )
    ok_and_active = ok and user.active
    if secrets.randbelow(100) == 0:  # now and then: forget long-finished throttle buckets and old attempts
        throttle.purge(now)
        db.session.execute(
            sa.delete(LoginAttempt)
            .where(LoginAttempt.created_at < now - timedelta(days=90))
            .execution_options(synchronize_session=False)
        )
    db.session.add(LoginAttempt(email=email[:254], address=address[:64], succeeded=ok_and_active))
    if ok_and_active:
        user.last_login_at = now
        user.session_token = None  # a login always gets a session (and remember-me token) of its own
    db.session.commit()
    if ok and not user.active:
        return LoginResult(None, "该账号已停用，请联系管理员。")
    if not ok:
        return LoginResult(None, "邮箱或密码错误。", offer_reset=count >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    return LoginResult(user)


def email_taken(email: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == normalise_email(email))) is not None


EMPLOYER_FIELDS = ("name", "credit_code", "industry", "city", "contact_name", "contact_phone", "description", "email")
GRADUATE_FIELDS = (
    "university",
    "student_number",
    "name",
    "major",
    "degree",
    "graduation_year",
    "email",
    "activation_code",
)
CLAIM_THROTTLED = "激活码尝试次数过多，请 %(minutes)d 分钟后再试，或联系学校就业部门。"
CLAIM_WRONG = "学号或激活码不正确。请核对学校发放的激活码；没有激活码可以留空，由学校就业部门确认身份。"
LINK_INVALID = "该注册链接无效、已使用或已过期。请直接登录，或重新注册。"


def normalise_student_number(value: str) -> str:
    """NFKC (full-width digits and letters become ASCII), surrounding spaces removed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def start_registration(kind: str, data: dict, password: str, address: str = "") -> str:
    """Check a self-registration and e-mail the address a link that completes it.

    The answer is the same whether or not the address already has an account: its owner
    then gets a notice (with the sign-in and password-reset links) instead of a link, and
    nothing else happens. Both paths hash the password. At most 3 e-mails per address and
    hour. Returns the normalised address (the page says where the message went).
    """
    fields = EMPLOYER_FIELDS if kind == "employer" else GRADUATE_FIELDS
    payload = {key: data.get(key) for key in fields}
    _refuse_control_characters(payload)
    email = payload["email"] = normalise_email(data["email"])
    _check_strength(password, email, data.get("name") or "", data.get("contact_name") or "")
    if kind == "employer":
        payload["credit_code"] = _free_credit_code(data["credit_code"])
    else:
        payload["student_number"] = normalise_student_number(data["student_number"])
        if not payload["student_number"]:
            raise ServiceError("此项必填。", "student_number")
        code = claims.normalise_code(data.get("activation_code") or "")
        # the pending row keeps the code's digest, as the record does, never the code itself
        payload["activation_code"] = None
        payload["activation_code_hash"] = claims.code_hash(code) if code else None
        if code:  # checked now (throttled) so that a typo is told at once; used when the link is followed
            _claim_with_code(
                payload["university"],
                payload["student_number"],
                payload["activation_code_hash"],
                address,
                consume=False,
            )
    payload["password_hash"] = generate_password_hash(password, method=PASSWORD_METHOD)
    now = utcnow()
    db.session.execute(
        sa.delete(PendingRegistration)
        .where(PendingRegistration.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    hours = current_app.config["REGISTRATION_LINK_HOURS"]
    if _mail_allowed("register", email, address, now):
        if email_taken(email):
            mailer.send(
                email,
                "有人用您的邮箱注册 recruit / Someone tried to register with your address",
                f"有人（也许是您自己）刚刚尝试用 {email} 注册新的 recruit 账号。这个邮箱已经有账号了，所以没有新建账号。\n\n"
                f"如果是您本人：请直接登录 {mailer.absolute(url_for('auth.login'))} ，忘记密码可以在 "
                f"{mailer.absolute(url_for('auth.forgot_password'))} 重设。\n如果不是您：无需任何操作。\n\n"
                f"Someone (perhaps you) tried to register a new recruit account with {email}, which already has "
                f"one; nothing was created. Sign in, or reset your password, with the links above.\n",
            )
        else:
            token = secrets.token_urlsafe(32)
            db.session.add(
                PendingRegistration(
                    token_hash=sessions.token_hash(token),
                    kind=kind,
                    email=email,
                    payload=payload,
                    created_at=now,
                    expires_at=now + timedelta(hours=hours),
                )
            )
            link = mailer.absolute(url_for("auth.confirm_registration", token=token))
            mailer.send(
                email,
                "完成 recruit 注册 / Complete your recruit registration",
                f"请在 {hours} 小时内打开下面的链接完成注册：\n\n{link}\n\n"
                f"如果不是您本人申请，请忽略本邮件，不会创建任何账号。\n\n"
                f"Open the link above within {hours} hours to complete your registration. "
                f"If it was not you, ignore this e-mail: no account is created.\n",
            )
    db.session.commit()
    return email


def _mail_allowed(purpose: str, email: str, address: str, now) -> bool:
    """At most 3 e-mails per address and hour, and 20 per client address and hour (no mail
    bombing through the forms); over the limit nothing is sent, and the page says the same."""
    hour = timedelta(hours=1)
    if throttle.take(f"{purpose}:address:{address}", 20, hour, now) is None:
        return False
    return throttle.take(f"{purpose}:email:{email}", 3, hour, now) is not None


def pending_registration(token: str) -> PendingRegistration:
    row = db.session.scalar(
        sa.select(PendingRegistration).where(PendingRegistration.token_hash == sessions.token_hash(token or ""))
    )
    if row is None or row.expires_at <= utcnow():
        raise ServiceError(LINK_INVALID, None, 404)
    return row


def complete_registration(token: str, address: str = "") -> User:
    """Follow a registration link: create the account (once) and forget the pending rows."""
    row = pending_registration(token)
    payload, email, kind = dict(row.payload), row.email, row.kind  # the row may be gone after a lost race
    if email_taken(email):
        db.session.delete(row)
        db.session.commit()
        raise ServiceError("该注册链接已使用，请直接登录。", None, 409)
    try:
        if kind == "employer":
            user = _create_employer(payload)
        else:
            user = _create_graduate(payload, address)
        # the DELETE flushes the new rows first: a lost race can surface here or at the commit
        db.session.execute(
            sa.delete(PendingRegistration)
            .where(PendingRegistration.email == email)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise _lost_registration_race(kind, payload) from None
    except ServiceError as error:
        # the code was checked when the link was sent: refused now, the record may have been
        # claimed meanwhile by another registration (its owner proved the code: tell them)
        if kind == "graduate" and error.field == "activation_code" and error.status != 429:
            db.session.rollback()
            lost = _lost_registration_race(kind, payload)
            if lost.field is not None:
                raise lost from None
        raise
    return user


EMAIL_TAKEN_MEANWHILE = N_("该邮箱刚刚已完成注册（可能是另一个注册链接），请直接登录；忘记密码可以通过邮件重设。")
CREDIT_CODE_TAKEN = N_("该统一社会信用代码已注册，请联系单位已有的账号。")
RECORD_TAKEN_MEANWHILE = N_("该毕业生记录刚刚已被另一个账号关联。如果那不是您本人，请联系学校就业部门。")


def _lost_registration_race(kind: str, payload: dict) -> ServiceError:
    """What a simultaneous registration took (after the rollback): the e-mail address, the
    credit code or the claimed graduate record, as a 409 on that field."""
    if email_taken(payload["email"]):
        return ServiceError(EMAIL_TAKEN_MEANWHILE, "email", 409)
    if kind == "employer":
        code = (payload.get("credit_code") or "").strip().upper()
        if db.session.scalar(sa.select(Employer.id).where(Employer.credit_code == code)) is not None:
            return ServiceError(CREDIT_CODE_TAKEN, "credit_code", 409)
    elif (
        db.session.scalar(
            sa.select(User.id)
            .join(Graduate, User.graduate_id == Graduate.id)
            .where(
                Graduate.university_id == payload["university"], Graduate.student_number == payload["student_number"]
            )
        )
        is not None
    ):
        return ServiceError(RECORD_TAKEN_MEANWHILE, "activation_code", 409)
    return ServiceError("注册未完成：该信息刚刚已被使用，请刷新后重试。", None, 409)


def _free_credit_code(value: str) -> str:
    code = (value or "").strip().upper()
    if db.session.scalar(sa.select(Employer.id).where(Employer.credit_code == code)) is not None:
        raise ServiceError(CREDIT_CODE_TAKEN, "credit_code")
    return code


def _create_employer(data: dict) -> User:
    """A pending employer and its account (the caller commits)."""
    employer = Employer(
        name=data["name"].strip(),
        credit_code=_free_credit_code(data["credit_code"]),
        industry=data["industry"],
        city=data["city"].strip(),
        contact_name=data["contact_name"].strip(),
        contact_phone=data["contact_phone"].strip(),
        contact_email=data["email"],
        description=(data.get("description") or "").strip(),
        status="pending",
    )
    user = User(
        email=data["email"],
        display_name=employer.name,
        role="employer",
        employer=employer,
        password_hash=data["password_hash"],
    )
    db.session.add_all([employer, user])
    return user


def _create_graduate(data: dict, address: str) -> User:
    """A graduate account (the caller commits): linked to an imported record with its activation
    code, or else to a new record pending the organizer's confirmation.

    Without a (correct) code the answer is the same whether or not the student number exists:
    a pending record with a placeholder number, the typed number kept in
    ``claimed_student_number`` until an organizer confirms it (and links the account to the
    imported record, if any). Wrong codes are throttled per address and per claimed record.
    """
    number = data["student_number"]
    university_id = data["university"]
    digest = data.get("activation_code_hash")
    if digest:
        graduate = _claim_with_code(university_id, number, digest, address)
    else:
        graduate = Graduate(
            university_id=university_id,
            student_number=claims.placeholder_number(),
            claimed_student_number=number,
            name=data["name"].strip(),
            major=major_spelling(data["major"]),
            degree=data["degree"],
            graduation_year=data["graduation_year"],
            email=data["email"],
            confirmed=False,
        )
        db.session.add(graduate)
    user = User(
        email=data["email"],
        display_name=graduate.name,
        role="graduate",
        graduate=graduate,
        university_id=graduate.university_id,
        password_hash=data["password_hash"],
    )
    db.session.add(user)
    return user


def update_account(user: User, display_name: str | None = None, locale: str | None = None) -> User:
    """Save the user's display name and/or language."""
    if display_name is not None:
        user.display_name = display_name.strip()
    if locale is not None:
        user.locale = locale
    db.session.commit()
    return user


def _claim_with_code(university_id: int, number: str, digest: str, address: str, consume: bool = True) -> Graduate:
    """The imported record that the code with ``digest`` (:func:`claims.code_hash`) unlocks
    (throttled per address and per record); with ``consume`` the code is used up and the record
    confirmed (the caller commits)."""
    cfg = current_app.config
    now = utcnow()
    window = timedelta(seconds=cfg["CLAIM_WINDOW_SECONDS"])
    address_key, record_key = f"claim:address:{address}", f"claim:record:{university_id}:{number}"
    for key, limit in ((address_key, cfg["CLAIM_MAX_PER_ADDRESS"]), (record_key, cfg["CLAIM_MAX_PER_RECORD"])):
        if throttle.take(key, limit, window, now) is None:
            db.session.commit()
            raise _throttled_claim(key, window, now)
    db.session.commit()
    graduate = db.session.scalar(
        sa.select(Graduate).where(
            Graduate.university_id == university_id,
            Graduate.student_number == number,
            Graduate.claimed_student_number.is_(None),
        )
    )
    if (
        graduate is None
        or graduate.activation_code_hash is None
        or db.session.scalar(sa.select(User.id).where(User.graduate_id == graduate.id)) is not None
        or not hmac.compare_digest(graduate.activation_code_hash, digest)
    ):
        raise ServiceError(CLAIM_WRONG, "activation_code")
    throttle.release(address_key)
    if consume:
        graduate.activation_code_hash = None
        graduate.activation_code_at = None
        graduate.confirmed = True
    return graduate


def _throttled_claim(key: str, window: timedelta, now) -> ServiceError:
    minutes = math.ceil(throttle.retry_after(key, window, now) / 60)
    error = ServiceError(CLAIM_THROTTLED, "activation_code", 429)
    error.params = {"minutes": minutes}
    return error


def _check_strength(password: str, *inputs: str) -> None:
    message = passwords.weakness(password, *inputs)
    if message:
        raise ServiceError(message, "password")


def logout(user: User) -> None:
    """End every session of the account (issue 12: a cookie kept anywhere stops working)."""
    sessions.end(user)
    db.session.commit()


def end_session(user: User, session_id: int) -> bool:
    """End one of the user's sessions; False when it is not theirs (or already ended)."""
    ended = sessions.end(user, session_id)
    db.session.commit()
    return ended > 0


def end_all_sessions(user: User) -> None:
    sessions.end(user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Check the current password, set the new one and end every session of the account."""
    if not user.check_password(current):
        raise ServiceError("当前密码不正确。", "current_password")
    _check_strength(new, user.email, user.display_name)
    _set_password(user, new)


def _set_password(user: User, new: str) -> None:
    user.set_password(new)
    sessions.end(user)
    user.session_token = None
    throttle.reset(f"login:account:{user.email}")
    db.session.commit()


def request_password_reset(email: str, address: str) -> None:
    """E-mail a reset link when the address belongs to an active account; the caller answers the
    same way in every case. At most 3 messages per account and hour (no mail bombing)."""
    email = normalise_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    now = utcnow()
    allowed = _mail_allowed("reset", email, address, now)
    if user is not None and user.active and allowed:
        link = mailer.absolute(url_for("auth.reset_password", token=passwords.reset_token(user)))
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 60
        mailer.send(
            user.email,
            "重设 recruit 密码 / Reset your recruit password",
            f"有人（希望是您）为账号 {user.email} 申请了重设密码。请在 {minutes} 分钟内打开下面的链接设置新密码，"
            f"链接只能使用一次：\n\n{link}\n\n如果不是您本人操作，请忽略本邮件，您的密码不会改变。\n\n"
            f"Someone (hopefully you) asked to reset the password of {user.email}. Open the link above within "
            f"{minutes} minutes to choose a new password; it works once. If it was not you, ignore this e-mail.\n",
        )
    db.session.commit()


def reset_password(user: User, new: str) -> None:
    """Set the password from a reset link (which then stops working) and end every session."""
    _check_strength(new, user.email, user.display_name)
    _set_password(user, new)


def create_user(email: str, password: str, role: str, display_name: str, **links) -> User:
    """Create an account (used by the CLI and the demo); the caller commits."""
    user = User(email=normalise_email(email), role=role, display_name=display_name, **links)
    user.set_password(password)
    db.session.add(user)
    return user
