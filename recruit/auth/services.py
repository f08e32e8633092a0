"""Authentication, throttling and registration. Services own the transactions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from matching.majors import spelling as major_spelling
from recruit.auth.models import LoginAttempt, User
from recruit.core.errors import ServiceError
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.timeutil import utcnow


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None
    throttled: bool = False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _recent_failures(column, value: str) -> int:
    window = timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    since = utcnow() - window
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.created_at)).where(column == value, LoginAttempt.succeeded.is_(True))
    )
    if last_success is not None and last_success > since:
        since = last_success
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since)
    )


def authenticate(email: str, password: str, address: str) -> LoginResult:
    """Check the credentials, refusing after too many recent failures for the account or address."""
    email = normalise_email(email)
    cfg = current_app.config
    if (
        _recent_failures(LoginAttempt.email, email) >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(LoginAttempt.address, address) >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        return LoginResult(None, "登录失败次数过多，请 15 分钟后再试。", throttled=True)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = user is not None and user.check_password(password) and user.active
    db.session.add(LoginAttempt(email=email, address=address, succeeded=ok))
    if ok:
        user.last_login_at = utcnow()
    db.session.commit()
    if not ok:
        if user is not None and not user.active and user.check_password(password):
            return LoginResult(None, "该账号已停用，请联系管理员。")
        return LoginResult(None, "邮箱或密码错误。")
    return LoginResult(user)


def email_taken(email: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == normalise_email(email))) is not None


def register_employer(data: dict, password: str) -> User:
    """Create a pending employer and its account in one transaction."""
    email = normalise_email(data["email"])
    if email_taken(email):
        raise ServiceError("该邮箱已注册。", "email")
    code = data["credit_code"].strip().upper()
    if db.session.scalar(sa.select(Employer.id).where(Employer.credit_code == code)) is not None:
        raise ServiceError("该统一社会信用代码已注册，请联系单位已有的账号。", "credit_code")
    employer = Employer(
        name=data["name"].strip(),
        credit_code=code,
        industry=data["industry"],
        city=data["city"].strip(),
        contact_name=data["contact_name"].strip(),
        contact_phone=data["contact_phone"].strip(),
        contact_email=email,
        description=(data.get("description") or "").strip(),
        status="pending",
    )
    user = User(email=email, display_name=employer.name, role="employer", employer=employer)
    user.set_password(password)
    db.session.add_all([employer, user])
    db.session.commit()
    return user


def register_graduate(data: dict, password: str) -> User:
    """Create (or claim an imported) graduate record and its account, unconfirmed unless imported."""
    email = normalise_email(data["email"])
    if email_taken(email):
        raise ServiceError("该邮箱已注册。", "email")
    number = data["student_number"].strip()
    graduate = db.session.scalar(
        sa.select(Graduate).where(Graduate.university_id == data["university"], Graduate.student_number == number)
    )
    if graduate is not None:
        has_account = db.session.scalar(sa.select(User.id).where(User.graduate_id == graduate.id))
        if has_account or graduate.name != data["name"].strip():
            raise ServiceError("该学号已被注册或姓名与学校记录不符，请联系学校就业部门。", "student_number")
    else:
        graduate = Graduate(
            university_id=data["university"],
            student_number=number,
            name=data["name"].strip(),
            major=major_spelling(data["major"]),
            degree=data["degree"],
            graduation_year=data["graduation_year"],
            email=email,
            confirmed=False,
        )
        db.session.add(graduate)
    user = User(
        email=email,
        display_name=graduate.name,
        role="graduate",
        graduate=graduate,
        university_id=graduate.university_id if graduate.university_id else data["university"],
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def update_account(user: User, display_name: str | None = None, locale: str | None = None) -> User:
    """Save the user's display name and/or language."""
    if display_name is not None:
        user.display_name = display_name.strip()
    if locale is not None:
        user.locale = locale
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> bool:
    """Set a new password if ``current_password`` is right; False (nothing changed) if not."""
    if not user.check_password(current_password):
        return False
    user.set_password(new_password)
    db.session.commit()
    return True


def create_user(email: str, password: str, role: str, display_name: str, **links) -> User:
    """Create an account (used by the CLI and the demo); the caller commits."""
    user = User(email=normalise_email(email), role=role, display_name=display_name, **links)
    user.set_password(password)
    db.session.add(user)
    return user
