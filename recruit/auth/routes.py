"""Login, logout, self-registration of employers and graduates, account settings."""
from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from recruit.access import ANY_USER, PUBLIC, access
from recruit.auth import services
from recruit.auth.forms import (
    AccountForm,
    EmployerRegistrationForm,
    GraduateRegistrationForm,
    LoginForm,
    PasswordChangeForm,
)
from recruit.extensions import db
from recruit.forms import show_service_error
from recruit.universities.models import University

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            if result.user.locale:
                session["lang"] = result.user.locale
            return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
        form.password.errors.append(_(result.error))
        status = 429 if result.throttled else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@access(ANY_USER)
def logout():
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("main.index"))


@bp.route("/register/employer", methods=["GET", "POST"])
@access(PUBLIC)
def register_employer():
    form = EmployerRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_employer(form.data, form.password.data)
        except services.ServiceError as error:
            show_service_error(form, error)
        else:
            login_user(user)
            flash(_("注册成功。"), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register_employer.html", form=form)


@bp.route("/register/graduate", methods=["GET", "POST"])
@access(PUBLIC)
def register_graduate():
    form = GraduateRegistrationForm()
    form.university.choices = [
        (u.id, u.name) for u in db.session.scalars(sa.select(University).order_by(University.name))
    ]
    if form.validate_on_submit():
        try:
            user = services.register_graduate(form.data, form.password.data)
        except services.ServiceError as error:
            show_service_error(form, error)
        else:
            login_user(user)
            if user.graduate.confirmed:
                flash(_("注册成功，已关联学校的毕业生记录。"), "success")
            else:
                flash(_("注册成功。学校就业部门确认您的身份后，用人单位才能看到您的求职意愿。"), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register_graduate.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@access(ANY_USER)
def account():
    form = AccountForm(prefix="a", obj=current_user)
    pw_form = PasswordChangeForm(prefix="p")
    if form.submit.data and form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.locale = form.locale.data
        session["lang"] = form.locale.data
        db.session.commit()
        flash(_("已保存。"), "success")
        return redirect(url_for("auth.account"))
    if pw_form.submit_password.data and pw_form.validate_on_submit():
        if not current_user.check_password(pw_form.current_password.data):
            pw_form.current_password.errors.append(_("当前密码不正确。"))
        else:
            current_user.set_password(pw_form.password.data)
            db.session.commit()
            flash(_("密码已修改。"), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, pw_form=pw_form)


@bp.route("/lang/<code>", methods=["POST"])
@access(PUBLIC)
def set_language(code: str):
    if code not in ("zh", "en"):
        code = "zh"
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("main.index"))
