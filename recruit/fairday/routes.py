"""Fair day: check-in at the door, passes, sign-ups, representatives, booths, the post-fair report."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from recruit.access import PUBLIC, access
from recruit.core import spreadsheets
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university, scope_to_university
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.fairday import export, passes, services
from recruit.fairday import reports as report_services
from recruit.fairs.models import Fair, FairRegistration, FairRepresentative, FairSignup
from recruit.graduates.models import Graduate
from recruit.matchmaking import services as matching
from recruit.timeutil import today_local, utcnow

bp = Blueprint("fairday", __name__, url_prefix="/fairday")
SIGNUP_STATUS_LABELS = {"confirmed": _l("已报名"), "waitlisted": _l("候补中"), "cancelled": _l("已取消")}
CAMERA_POLICY = "camera=(self), microphone=(), geolocation=()"


def _fair_or_404(fair_id: int) -> Fair:
    fair = db.session.get(Fair, fair_id)
    if fair is None or (fair.status == "draft" and not can_manage_university(current_user, fair.university_id)):
        abort(404)
    return fair


def _managed_fair_or_404(fair_id: int) -> Fair:
    fair = db.session.get(Fair, fair_id)
    if fair is None or not can_manage_university(current_user, fair.university_id):
        abort(404)
    return fair


def _own_registration_or_404(registration_id: int) -> FairRegistration:
    registration = db.session.get(FairRegistration, registration_id)
    if registration is None or registration.employer_id != current_user.employer_id:
        abort(404)
    return registration


def _own_signup_or_404(signup_id: int) -> FairSignup:
    signup = db.session.get(FairSignup, signup_id)
    if signup is None or signup.graduate_id != current_user.graduate_id:
        abort(404)
    return signup


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.headers.get("X-Requested-With") == "fetch"


# --- check-in at the door ---------------------------------------------------------------------


@bp.route("/<int:fair_id>/checkin", methods=["GET"])
@access("organizer", "admin")
def checkin_page(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    recent = [(row, kind, name, _detail(kind, detail)) for row, kind, name, detail in services.recent_checkins(fair)]
    response = Response(
        render_template(
            "fairday/checkin.html",
            fair=fair,
            counts=services.checkin_counts(fair),
            recent=recent,
            today=today_local(),
            result=None,
        )
    )
    response.headers["Permissions-Policy"] = CAMERA_POLICY
    return response


@bp.route("/<int:fair_id>/checkin", methods=["POST"])
@access("organizer", "admin")
def checkin(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    try:
        result = services.check_in(fair, request.form.get("code", ""), current_user)
    except ServiceError as error:
        if _wants_json():
            return jsonify({"ok": False, "message": _(error.message)}), error.status
        flash(_(error.message), "error")
        return redirect(url_for("fairday.checkin_page", fair_id=fair.id))
    if _wants_json():
        data = result.to_json()
        data["detail"] = _detail(result.kind, result.detail)
        data["message"] = _message(result)
        data["counts"] = services.checkin_counts(fair)
        return jsonify(data)
    flash(_message(result), "warning" if result.already else "success")
    return redirect(url_for("fairday.checkin_page", fair_id=fair.id))


def _detail(kind: str, detail: str) -> str:
    """The booth number of an employer (in the user's language), the major of a graduate."""
    if kind == "employer":
        return _("展位 %(n)s", n=detail) if detail else ""
    return detail


def _message(result: services.CheckinResult) -> str:
    detail = _detail(result.kind, result.detail)
    who = f"{result.name}（{detail}）" if detail else result.name
    if result.already:
        return _("已签到：%(who)s，签到时间 %(at)s。", who=who, at=result.to_json()["at"])
    return _("签到成功：%(who)s。", who=who)


@bp.route("/scan")
@access("organizer", "admin")
def scan():
    """Where a pass's QR code leads when read by a phone's own camera app: confirm, then check in."""
    token = request.args.get("t", "")
    try:
        data = passes.parse(token)
    except passes.PassError:
        abort(404)
    if data.fair_id is None:
        abort(404)
    fair = _managed_fair_or_404(data.fair_id)
    return render_template("fairday/scan.html", fair=fair, token=token)


# --- online fairs -----------------------------------------------------------------------------


@bp.route("/<int:fair_id>/enter")
@access("employer", "graduate")
def enter(fair_id: int):
    """The online fair's link through the app: records the entry, then goes on to the fair."""
    fair = _fair_or_404(fair_id)
    try:
        services.enter_online(fair, current_user)
    except ServiceError as error:
        flash(_(error.message), "error")
        return redirect(url_for("fairs.detail", fair_id=fair.id))
    return redirect(fair.online_url)


# --- employers --------------------------------------------------------------------------------


@bp.route("/registrations/<int:registration_id>")
@access("employer")
def registration_pass(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    token = code = svg = None
    if registration.status == "approved" and registration.fair.status in ("scheduled", "held"):
        token, code = services.registration_pass(registration)
        svg = passes.qr_svg(url_for("fairday.scan", t=token, _external=True))
    return render_template(
        "fairday/registration.html", registration=registration, fair=registration.fair, code=code, svg=svg, now=utcnow()
    )


@bp.route("/registrations/<int:registration_id>/confirm", methods=["POST"])
@access("employer")
def confirm_attendance(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    try:
        services.confirm_attendance(registration)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已确认参会。"), "success")
    return redirect(url_for("fairday.registration_pass", registration_id=registration_id))


@bp.route("/registrations/<int:registration_id>/representatives", methods=["POST"])
@access("employer")
def add_representative(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    try:
        services.add_representative(registration, request.form.get("name", ""), request.form.get("phone", ""))
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已添加参会代表。"), "success")
    return redirect(url_for("fairday.registration_pass", registration_id=registration_id))


@bp.route("/representatives/<int:representative_id>/delete", methods=["POST"])
@access("employer")
def remove_representative(representative_id: int):
    rep = db.session.get(FairRepresentative, representative_id)
    if rep is None or rep.registration.employer_id != current_user.employer_id:
        abort(404)
    registration_id = rep.registration_id
    services.remove_representative(rep)
    flash(_("已删除参会代表。"), "success")
    return redirect(url_for("fairday.registration_pass", registration_id=registration_id))


# --- graduates --------------------------------------------------------------------------------


def _attending(fair: Fair, graduate: Graduate) -> list[tuple[FairRegistration, list[Posting], bool]]:
    """Approved employers with their postings, the graduate's matched employers first."""
    matched = matching.matched_employer_ids(graduate, top=30)
    rows = [(r, list(r.postings), r.employer_id in matched) for r in services.booth_rows(fair)]
    rows.sort(key=lambda row: (not row[2], row[0].booth_number or 10**9))
    return rows


@bp.route("/<int:fair_id>/signup", methods=["GET"])
@access("graduate")
def signup_page(fair_id: int):
    fair = _fair_or_404(fair_id)
    graduate = db.session.get(Graduate, current_user.graduate_id)
    mine = db.session.scalar(
        sa.select(FairSignup).where(FairSignup.fair_id == fair.id, FairSignup.graduate_id == graduate.id)
    )
    return render_template(
        "fairday/signup.html",
        fair=fair,
        mine=mine,
        rows=_attending(fair, graduate),
        counts=services.checkin_counts(fair),
        position=services.waitlist_position(mine) if mine else None,
        now=utcnow(),
    )


@bp.route("/<int:fair_id>/signup", methods=["POST"])
@access("graduate")
def signup(fair_id: int):
    fair = _fair_or_404(fair_id)
    graduate = db.session.get(Graduate, current_user.graduate_id)
    try:
        result = services.sign_up(fair, graduate)
    except ServiceError as error:
        flash(_(error.message), "error")
        return redirect(url_for("fairday.signup_page", fair_id=fair_id))
    if result.status == "confirmed":
        flash(_("报名成功，请凭签到码入场。"), "success")
    else:
        flash(_("名额已满，您已进入候补名单；有人取消时将按顺序自动递补并通知您。"), "warning")
    return redirect(url_for("fairday.signup_pass", signup_id=result.id))


@bp.route("/signups/<int:signup_id>")
@access("graduate")
def signup_pass(signup_id: int):
    signup = _own_signup_or_404(signup_id)
    code = svg = None
    if signup.status == "confirmed" and signup.fair.status in ("scheduled", "held"):
        token, code = services.signup_pass(signup)
        svg = passes.qr_svg(url_for("fairday.scan", t=token, _external=True))
    return render_template(
        "fairday/signup_pass.html",
        signup=signup,
        fair=signup.fair,
        code=code,
        svg=svg,
        position=services.waitlist_position(signup),
        now=utcnow(),
    )


@bp.route("/signups/<int:signup_id>/cancel", methods=["POST"])
@access("graduate")
def cancel_signup(signup_id: int):
    signup = _own_signup_or_404(signup_id)
    try:
        services.cancel_signup(signup)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已取消报名。"), "success")
    return redirect(url_for("fairday.my_signups"))


@bp.route("/mine")
@access("graduate")
def my_signups():
    signups = db.session.scalars(
        sa.select(FairSignup)
        .join(Fair)
        .where(FairSignup.graduate_id == current_user.graduate_id)
        .order_by(Fair.starts_at.desc())
    ).all()
    return render_template("fairday/my_signups.html", signups=signups, position=services.waitlist_position)


# --- organizers: capacities, sign-ups, booths ---------------------------------------------------


@bp.route("/<int:fair_id>/manage")
@access("organizer", "admin")
def manage(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    signups = db.session.scalars(
        sa.select(FairSignup)
        .where(FairSignup.fair_id == fair.id, FairSignup.status != "cancelled")
        .order_by(FairSignup.status, FairSignup.created_at, FairSignup.id)
    ).all()
    return render_template(
        "fairday/manage.html",
        fair=fair,
        signups=signups,
        counts=services.checkin_counts(fair),
        booths=services.booth_rows(fair),
    )


def _int_or_none(value: str, field: str, message: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 7:
        raise ServiceError(message, field)
    return int(value)


@bp.route("/<int:fair_id>/settings", methods=["POST"])
@access("organizer", "admin")
def settings(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    try:
        capacity = _int_or_none(
            request.form.get("signup_capacity", ""), "signup_capacity", "报名人数上限应为正整数，不限请留空。"
        )
        reps = _int_or_none(
            request.form.get("max_representatives", ""), "max_representatives", "参会代表人数应为正整数。"
        )
        promoted = services.set_capacities(fair, capacity, reps if reps is not None else fair.max_representatives)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已保存。") + (_("候补名单中 %(n)d 人已自动递补。", n=len(promoted)) if promoted else ""), "success")
    return redirect(url_for("fairday.manage", fair_id=fair_id))


@bp.route("/<int:fair_id>/booths", methods=["POST"])
@access("organizer", "admin")
def rearrange_booths(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    numbers = {}
    try:
        for key, value in request.form.items():
            if key.startswith("booth-"):
                reg_id = _int_or_none(key[6:], "booths", "展位列表无效。")
                number = _int_or_none(value, "booths", "展位号应为正整数。")
                if reg_id is None or number is None:
                    raise ServiceError("每个展位都要有展位号。", "booths")
                numbers[reg_id] = number
        services.rearrange_booths(fair, numbers)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("展位号已更新。"), "success")
    return redirect(url_for("fairday.manage", fair_id=fair_id))


@bp.route("/<int:fair_id>/booths")
@access(PUBLIC)
def booths(fair_id: int):
    """The printable booth list and plan by number (phones of representatives for organizers only)."""
    fair = _fair_or_404(fair_id)
    rows = services.booth_rows(fair)
    by_number = {r.booth_number: r for r in rows if r.booth_number}
    return render_template(
        "fairday/booths.html",
        fair=fair,
        rows=rows,
        by_number=by_number,
        manage=can_manage_university(current_user, fair.university_id),
    )


# --- the post-fair report ---------------------------------------------------------------------


@bp.route("/<int:fair_id>/report")
@access("organizer", "admin")
def report(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    return render_template(
        "fairday/report.html",
        fair=fair,
        report=report_services.report_of(fair),
        figures=report_services.report_figures(fair),
        today=today_local(),
    )


@bp.route("/<int:fair_id>/report", methods=["POST"])
@access("organizer", "admin")
def save_report(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    try:
        report_services.save_notes(fair, request.form.get("notes", ""))
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("备注已保存。"), "success")
    return redirect(url_for("fairday.report", fair_id=fair_id))


@bp.route("/<int:fair_id>/report/close", methods=["POST"])
@access("organizer", "admin")
def close_report(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    try:
        report_services.close_report(fair, current_user)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("报告已关闭，招聘会已标记为已举办。"), "success")
    return redirect(url_for("fairday.report", fair_id=fair_id))


def _started_fairs() -> sa.Select:
    """The fairs that have started, newest first, with their universities: the organizer's
    university's, or every one for the province."""
    return (
        scope_to_university(sa.select(Fair), current_user, Fair.university_id)
        .where(Fair.status.in_(("scheduled", "held")), Fair.starts_at <= utcnow())
        .options(sa.orm.selectinload(Fair.university))
        .order_by(Fair.starts_at.desc())
    )


@bp.route("/reports")
@access("organizer", "admin")
def reports():
    """Past fairs with their report figures (the latest 200)."""
    fairs = db.session.scalars(_started_fairs().limit(200)).all()
    figures = report_services.report_figures_many(fairs)
    return render_template("fairday/reports.html", rows=[(f, figures[f.id][0]) for f in fairs])


@bp.route("/reports/export")
@access("organizer", "admin")
def export_reports():
    fairs = db.session.scalars(_started_fairs()).all()
    figures = report_services.report_figures_many(fairs)
    rows = export.report_rows([(f, *figures[f.id]) for f in fairs])
    fmt = request.args.get("format", "csv")
    name = f"fair-reports-{today_local().isoformat()}"
    if fmt == "xlsx":
        return Response(
            spreadsheets.to_xlsx(export.HEADERS, rows, title="招聘会报告", bold_header=True),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    if fmt != "csv":
        abort(404)
    return Response(
        spreadsheets.to_csv(export.HEADERS, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


# --- the panel on the fair's own page -------------------------------------------------------------


@bp.app_context_processor
def fair_day_panel():
    def fairday_panel(fair: Fair) -> dict:
        state = {"manage": False, "signup": None, "registration": None, "counts": None}
        if not current_user.is_authenticated:
            return state
        if can_manage_university(current_user, fair.university_id):
            state["manage"] = True
            state["counts"] = services.checkin_counts(fair)
        elif current_user.role == "graduate":
            state["signup"] = db.session.scalar(
                sa.select(FairSignup).where(
                    FairSignup.fair_id == fair.id, FairSignup.graduate_id == current_user.graduate_id
                )
            )
        elif current_user.role == "employer":
            state["registration"] = db.session.scalar(
                sa.select(FairRegistration).where(
                    FairRegistration.fair_id == fair.id, FairRegistration.employer_id == current_user.employer_id
                )
            )
        return state

    return {"fairday_panel": fairday_panel, "SIGNUP_STATUS_LABELS": SIGNUP_STATUS_LABELS}
