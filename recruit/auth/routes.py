"""Login, logout, self-registration of employers and graduates, account settings."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from recruit.access import ANY_USER, PUBLIC, access
from recruit.auth import passwords, services
from recruit.auth import sessions as auth_sessions
from recruit.auth.forms import (
    AccountForm,
    EmployerRegistrationForm,
    ForgotPasswordForm,
    GraduateRegistrationForm,
    LoginForm,
    PasswordChangeForm,
    ResetPasswordForm,
)
from recruit.core.errors import ServiceError
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


def _show_error(form, error: ServiceError) -> None:
    """A service error next to its field, with the values of its placeholders."""
    params = getattr(error, "params", None)
    if params:
        error = ServiceError(_(error.message, **params), error.field, error.status)
    show_service_error(form, error)


def _client() -> tuple[str, str]:
    return request.remote_addr or "", request.user_agent.string or ""


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    offer_reset = False
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, _client()[0])
        if result.user is not None:
            session.clear()  # a fresh session: nothing carried over from before the login
            g.pop("csrf_token", None)  # nor the CSRF token cached for the old session
            login_user(result.user, remember=form.remember.data)
            if result.user.locale:
                session["lang"] = result.user.locale
            return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
        form.password.errors.append(_(result.error, **result.params))
        offer_reset = result.offer_reset
        status = 429 if result.throttled else 200
    return render_template("auth/login.html", form=form, offer_reset=offer_reset), status


@bp.route("/logout", methods=["POST"])
@access(ANY_USER)
def logout():
    user = current_user._get_current_object()
    services.logout(user)
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("main.index"))


@bp.route("/register/employer", methods=["GET", "POST"])
@access(PUBLIC)
def register_employer():
    form = EmployerRegistrationForm()
    if form.validate_on_submit():
        try:
            sent_to = services.start_registration("employer", form.data, form.password.data, _client()[0])
        except ServiceError as error:
            _show_error(form, error)
        else:
            return render_template("auth/check_email.html", email=sent_to)
    return render_template("auth/register_employer.html", form=form)


def _graduate_form(**kwargs) -> GraduateRegistrationForm:
    form = GraduateRegistrationForm(**kwargs)
    form.university.choices = [
        (u.id, u.name) for u in db.session.scalars(sa.select(University).order_by(University.name))
    ]
    return form


def _registration_form_back(kind: str, payload: dict, error: ServiceError):
    """A registration link whose data met another registration meanwhile (a simultaneous one
    took the e-mail address, the credit code or the graduate record; a code was replaced): the
    registration form again, filled in from the pending registration (never the password),
    with the message on the field that clashed. Nothing was written."""
    data = {key: value for key, value in payload.items() if key not in ("password_hash", "activation_code_hash")}
    if kind == "employer":
        form, template = EmployerRegistrationForm(formdata=None, data=data), "auth/register_employer.html"
    else:
        form, template = _graduate_form(formdata=None, data=data), "auth/register_graduate.html"
    _show_error(form, error)
    response = make_response(render_template(template, form=form), error.status if error.status in (409, 429) else 409)
    response.headers["Cache-Control"] = "no-store"  # the link's token is in the URL, personal data on the page
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/register/graduate", methods=["GET", "POST"])
@access(PUBLIC)
def register_graduate():
    form = _graduate_form()
    status = 200
    if form.validate_on_submit():
        try:
            sent_to = services.start_registration("graduate", form.data, form.password.data, _client()[0])
        except ServiceError as error:
            _show_error(form, error)
            status = error.status if error.status in (409, 429) else 200
        else:
            return render_template("auth/check_email.html", email=sent_to)
    return render_template("auth/register_graduate.html", form=form), status


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def confirm_registration(token: str):
    """GET shows a button (mail scanners follow links); POST creates the account."""
    kind, payload = None, None
    try:
        pending = services.pending_registration(token)
        if request.method == "GET":
            response = make_response(render_template("auth/confirm_registration.html", pending=pending))
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
            return response
        # kept before the attempt: a simultaneous registration of the address deletes the row
        kind, payload = pending.kind, dict(pending.payload)
        user = services.complete_registration(token, _client()[0])
    except ServiceError as error:
        if request.method == "GET":
            return render_template("auth/link_problem.html", message=_(error.message)), error.status
        if payload is not None and error.field is not None:
            return _registration_form_back(kind, payload, error)
        flash(_(error.message, **getattr(error, "params", {})), "error")
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        logout_user()
    login_user(user)
    if user.role == "employer":
        flash(_("注册成功。单位信息审核通过后，您发布的岗位才会对毕业生可见。"), "success")
    elif user.graduate.confirmed:
        flash(_("注册成功，已关联学校的毕业生记录。"), "success")
    else:
        flash(_("注册成功。学校就业部门确认您的身份后，用人单位才能看到您的求职意愿。"), "success")
    return redirect(url_for("main.dashboard"))


def _account_page(form, pw_form, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "auth/account.html",
        form=form,
        pw_form=pw_form,
        sessions=auth_sessions.list_for(user),
        current_session_id=auth_sessions.current_row_id(user),
    ), status


@bp.route("/account", methods=["GET", "POST"])
@access(ANY_USER)
def account():
    form = AccountForm(prefix="a", obj=current_user)
    pw_form = PasswordChangeForm(prefix="p")
    if form.submit.data and form.validate_on_submit():
        services.update_account(current_user, form.display_name.data, form.locale.data)
        session["lang"] = form.locale.data
        flash(_("已保存。"), "success")
        return redirect(url_for("auth.account"))
    if pw_form.submit_password.data and pw_form.validate_on_submit():
        user = current_user._get_current_object()
        remembered = auth_sessions.current_is_remembered(user)
        try:
            services.change_password(user, pw_form.current_password.data, pw_form.password.data)
        except ServiceError as error:
            _show_error(pw_form, error)
        else:
            login_user(user, remember=remembered)  # this browser continues with a new session
            flash(_("密码已修改。其他设备上的登录已全部退出。"), "success")
            return redirect(url_for("auth.account"))
    return _account_page(form, pw_form)


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@access(ANY_USER)
def end_session(session_id: int):
    if session_id > 2**31 - 1:
        abort(404)
    user = current_user._get_current_object()
    if session_id == auth_sessions.current_row_id(user):
        services.logout(user)
        logout_user()
        flash(_("您已退出登录。"), "info")
        return redirect(url_for("main.index"))
    if not services.end_session(user, session_id):
        abort(404)
    flash(_("已退出该设备上的登录。"), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/end-all", methods=["POST"])
@access(ANY_USER)
def end_all_sessions():
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    flash(_("已退出所有设备上的登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@access(PUBLIC)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, _client()[0])
        flash(_("如果该邮箱对应一个账号，我们已向它发送了重设密码的链接，请查收（也请看看垃圾邮件）。"), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def reset_password(token: str):
    user, problem = passwords.user_for_reset_token(token)
    if user is None:
        flash(_(problem), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data)
        except ServiceError as error:
            _show_error(form, error)
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("密码已重设，所有设备上的登录已退出。请用新密码登录。"), "success")
            return redirect(url_for("auth.login"))
    response = make_response(render_template("auth/reset_password.html", form=form))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/lang/<code>", methods=["POST"])
@access(PUBLIC)
def set_language(code: str):
    if code not in ("zh", "en"):
        code = "zh"
    session["lang"] = code
    if current_user.is_authenticated:
        services.update_account(current_user, locale=code)
    return redirect(_safe_next(request.form.get("next")) or url_for("main.index"))
