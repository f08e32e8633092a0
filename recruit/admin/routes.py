"""Administration pages.

Province administrator: universities (list, create, edit, deactivate, import), organizer
accounts of any university, the policy in force (read-only) and the audit log.
University organizer: their own university's profile (majors and graduates per major and
degree), venues and colleagues' accounts. Every page keyed by a university answers 404 when
the user does not manage it (:func:`recruit.core.scope.can_manage_university`).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from recruit.access import PUBLIC, access
from recruit.admin import importer, services
from recruit.admin.forms import AcceptForm, InviteForm, UniversityForm, VenueForm
from recruit.admin.models import OrganizerInvitation
from recruit.auth.models import User
from recruit.compliance.policy import PolicyError, current_policy
from recruit.core import audit, dates
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.forms import show_service_error
from recruit.core.spreadsheets import MIMETYPES
from recruit.organizer.forms import ImportForm
from recruit.universities.models import University, Venue
from recruit.validation import DEGREES

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
BLANK_MAJOR_ROWS = 5


def _active_flag() -> bool:
    """The ``active`` field of a toggle form: ``1`` or ``0``; anything else is a bad request."""
    value = request.form.get("active")
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


def _page() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return max(1, min(page, 100000))


def _managed_university(university_id: int) -> University:
    university = db.session.get(University, university_id)
    if university is None or not can_manage_university(current_user, university.id):
        abort(404)
    return university


def _fail(error: ServiceError, form=None):
    """Roll back, then show the error next to its field, as a flash, or as the HTTP status it names."""
    db.session.rollback()
    if error.status in (403, 404):
        abort(error.status)
    if form is not None:
        show_service_error(form, error)
    else:
        flash(_(error.message), "error")


# ------------------------------------------------------------------ home pages


@bp.route("/")
@access("admin")
def index():
    counts = {
        "universities": db.session.scalar(sa.select(sa.func.count(University.id)).where(University.active.is_(True))),
        "organizers": db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.role == "organizer", User.active.is_(True))
        ),
        "pending_employers": db.session.scalar(
            sa.select(sa.func.count(Employer.id)).where(Employer.status == "pending")
        ),
        "pending_postings": db.session.scalar(
            sa.select(sa.func.count(Posting.id)).where(Posting.review_status == "pending", Posting.status == "open")
        ),
    }
    recent = db.session.scalars(audit.entries().limit(10)).all()
    return render_template("admin/index.html", counts=counts, recent=recent)


@bp.route("/school")
@access("organizer")
def school():
    return redirect(url_for("admin.university", university_id=current_user.university_id))


# ------------------------------------------------------------------ universities


@bp.route("/universities")
@access("admin")
def universities():
    q = (request.args.get("q") or "").replace("\x00", "").strip()[:100]
    show = request.args.get("show", "active")
    query = sa.select(University)
    if show == "active":
        query = query.where(University.active.is_(True))
    elif show == "inactive":
        query = query.where(University.active.is_(False))
    if q:
        query = query.where(
            sa.or_(
                University.name.contains(q, autoescape=True),
                University.code.contains(q.upper(), autoescape=True),
                University.moe_code == q,
                University.city.contains(q, autoescape=True),
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = _page()
    rows = db.session.scalars(query.order_by(University.code).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    organizer_counts = dict(
        db.session.execute(
            sa.select(User.university_id, sa.func.count(User.id))
            .where(User.role == "organizer", User.active.is_(True))
            .group_by(User.university_id)
        ).all()
    )
    return render_template(
        "admin/universities.html",
        universities=rows,
        q=q,
        show=show,
        page=page,
        total=total,
        page_size=PAGE_SIZE,
        organizer_counts=organizer_counts,
    )


@bp.route("/universities/new", methods=["GET", "POST"])
@access("admin")
def university_new():
    form = UniversityForm()
    if form.validate_on_submit():
        try:
            university = services.create_university(form.data_for_service(), current_user)
        except ServiceError as error:
            _fail(error, form)
        else:
            flash(_("已创建 %(name)s。下一步：邀请该校的就业工作人员。", name=university.name), "success")
            return redirect(url_for("admin.organizers", university_id=university.id))
    return render_template(
        "admin/university_form.html", form=form, university=None
    ), 422 if request.method == "POST" else 200


@bp.route("/universities/<int:university_id>")
@access("admin", "organizer")
def university(university_id: int):
    university = _managed_university(university_id)
    venues = db.session.scalar(
        sa.select(sa.func.count(Venue.id)).where(Venue.university_id == university.id, Venue.active.is_(True))
    )
    organizers = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.university_id == university.id, User.role == "organizer", User.active.is_(True)
        )
    )
    fairs = db.session.scalar(sa.select(sa.func.count(Fair.id)).where(Fair.university_id == university.id))
    return render_template(
        "admin/university.html", university=university, venues=venues, organizers=organizers, fairs=fairs
    )


@bp.route("/universities/<int:university_id>/edit", methods=["GET", "POST"])
@access("admin")
def university_edit(university_id: int):
    university = db.session.get(University, university_id) or abort(404)
    form = UniversityForm(obj=university)
    if form.validate_on_submit():
        try:
            services.update_university(university, form.data_for_service(), current_user)
        except ServiceError as error:
            _fail(error, form)
        else:
            flash(_("已保存。"), "success")
            return redirect(url_for("admin.university", university_id=university.id))
    return render_template(
        "admin/university_form.html", form=form, university=university
    ), 422 if request.method == "POST" else 200


@bp.route("/universities/<int:university_id>/active", methods=["POST"])
@access("admin")
def university_active(university_id: int):
    university = db.session.get(University, university_id) or abort(404)
    active = _active_flag()
    services.set_university_active(university, active, current_user)
    flash(
        _("已启用 %(name)s。", name=university.name)
        if active
        else _("已停用 %(name)s，其工作人员账号已停用。", name=university.name),
        "success",
    )
    return redirect(url_for("admin.university", university_id=university.id))


@bp.route("/universities/import", methods=["GET", "POST"])
@access("admin")
def universities_import():
    form = ImportForm()
    report = None
    if request.method == "POST":
        if form.validate_on_submit():
            upload = form.file.data
            data = upload.read(importer.MAX_BYTES + 1)
            if not data:
                form.file.errors = [_("上传的文件是空的。")]
            else:
                report = importer.import_universities(data, upload.filename or "", current_user)
                flash(report.summary(), "success" if report.ok else "error")
    status = 200 if request.method == "GET" or (report is not None and report.ok) else 422
    return render_template("admin/universities_import.html", form=form, report=report), status


@bp.route("/universities/template.<fmt>")
@access("admin")
def universities_template(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    response = send_file(
        io.BytesIO(importer.template(fmt)),
        mimetype=MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"高校名录导入模板.{fmt}",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ profile (§4) and venues


@bp.route("/universities/<int:university_id>/profile", methods=["GET", "POST"])
@access("admin", "organizer")
def profile(university_id: int):
    university = _managed_university(university_id)
    rows = [(r["major"], r["degree"], str(r["graduates"])) for r in (university.major_stats or [])]
    if request.method == "POST":
        majors, degrees, counts = (
            request.form.getlist(n)[: services.MAX_MAJOR_ROWS + BLANK_MAJOR_ROWS]
            for n in ("major", "degree", "graduates")
        )
        rows = list(zip(majors, degrees, counts))
        try:
            services.update_profile(university, rows, current_user)
        except ServiceError as error:
            _fail(error)
        else:
            flash(_("专业与毕业生人数已保存，并已在本校公开页面发布。"), "success")
            return redirect(url_for("admin.profile", university_id=university.id))
    total = sum(int(c) for _m, _d, c in rows if str(c).isdigit())
    return render_template(
        "admin/profile.html", university=university, rows=rows, blank=BLANK_MAJOR_ROWS, degrees=DEGREES, total=total
    ), 422 if request.method == "POST" else 200


@bp.route("/universities/<int:university_id>/venues")
@access("admin", "organizer")
def venues(university_id: int):
    university = _managed_university(university_id)
    rows = db.session.scalars(
        sa.select(Venue).where(Venue.university_id == university.id).order_by(Venue.active.desc(), Venue.name)
    ).all()
    used = dict(
        db.session.execute(
            sa.select(Fair.venue_id, sa.func.count(Fair.id))
            .where(Fair.university_id == university.id, Fair.venue_id.is_not(None))
            .group_by(Fair.venue_id)
        ).all()
    )
    return render_template("admin/venues.html", university=university, venues=rows, used=used)


def _managed_venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None or not can_manage_university(current_user, venue.university_id):
        abort(404)
    return venue


@bp.route("/universities/<int:university_id>/venues/new", methods=["GET", "POST"])
@access("admin", "organizer")
def venue_new(university_id: int):
    university = _managed_university(university_id)
    form = VenueForm()
    if form.validate_on_submit():
        try:
            services.create_venue(university, form.data_for_service(), current_user)
        except ServiceError as error:
            _fail(error, form)
        else:
            flash(_("场地已添加。"), "success")
            return redirect(url_for("admin.venues", university_id=university.id))
    return render_template(
        "admin/venue_form.html", form=form, university=university, venue=None
    ), 422 if request.method == "POST" else 200


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@access("admin", "organizer")
def venue_edit(venue_id: int):
    venue = _managed_venue(venue_id)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            services.update_venue(venue, form.data_for_service(), current_user)
        except ServiceError as error:
            _fail(error, form)
        else:
            flash(_("场地已保存。"), "success")
            return redirect(url_for("admin.venues", university_id=venue.university_id))
    return render_template(
        "admin/venue_form.html", form=form, university=venue.university, venue=venue
    ), 422 if request.method == "POST" else 200


@bp.route("/venues/<int:venue_id>/active", methods=["POST"])
@access("admin", "organizer")
def venue_active(venue_id: int):
    venue = _managed_venue(venue_id)
    active = _active_flag()
    services.set_venue_active(venue, active, current_user)
    flash(_("场地已启用。") if active else _("场地已停用：已有的招聘会不受影响，新招聘会不能再选它。"), "success")
    return redirect(url_for("admin.venues", university_id=venue.university_id))


@bp.route("/venues/<int:venue_id>/delete", methods=["POST"])
@access("admin", "organizer")
def venue_delete(venue_id: int):
    venue = _managed_venue(venue_id)
    university_id = venue.university_id
    try:
        outcome = services.remove_venue(venue, current_user)
    except ServiceError as error:
        _fail(error)
    else:
        flash(
            _("场地已删除。") if outcome == "deleted" else _("已有招聘会使用该场地，不能删除，已改为停用。"), "success"
        )
    return redirect(url_for("admin.venues", university_id=university_id))


# ------------------------------------------------------------------ organizer accounts


@bp.route("/universities/<int:university_id>/organizers", methods=["GET", "POST"])
@access("admin", "organizer")
def organizers(university_id: int):
    university = _managed_university(university_id)
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        try:
            invitation, token = services.invite_organizer(
                university, form.email.data, form.display_name.data, current_user
            )
        except ServiceError as error:
            _fail(error, form)
        else:
            link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("admin.accept_invitation", token=token)
            mailed = services.send_invitation_mail(invitation, link)
            flash(
                _("已向 %(email)s 发送邀请邮件。", email=invitation.email)
                if mailed
                else _(
                    "邀请已创建。邮件未配置，请把下面的链接发给 %(email)s（%(days)d 天内有效，只能使用一次）。",
                    email=invitation.email,
                    days=current_app.config["INVITATION_DAYS"],
                ),
                "success",
            )
            form = InviteForm(formdata=None)
            if mailed:
                link = None
    users = db.session.scalars(
        sa.select(User)
        .where(User.university_id == university.id, User.role == "organizer")
        .order_by(User.active.desc(), User.email)
    ).all()
    invitations = db.session.scalars(
        sa.select(OrganizerInvitation)
        .where(OrganizerInvitation.university_id == university.id)
        .order_by(OrganizerInvitation.created_at.desc())
        .limit(50)
    ).all()
    code = 422 if request.method == "POST" and form.errors else 200
    return render_template(
        "admin/organizers.html", university=university, users=users, invitations=invitations, form=form, link=link
    ), code


@bp.route("/invitations/<int:organizer_invitation_id>/revoke", methods=["POST"])
@access("admin", "organizer")
def revoke_invitation(organizer_invitation_id: int):
    invitation = db.session.get(OrganizerInvitation, organizer_invitation_id)
    if invitation is None or not can_manage_university(current_user, invitation.university_id):
        abort(404)
    try:
        services.revoke_invitation(invitation, current_user)
    except ServiceError as error:
        _fail(error)
    else:
        flash(_("邀请已撤回，链接失效。"), "success")
    return redirect(url_for("admin.organizers", university_id=invitation.university_id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@access("admin", "organizer")
def user_active(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.role != "organizer" or not can_manage_university(current_user, user.university_id):
        abort(404)
    active = _active_flag()
    try:
        services.set_organizer_active(user, active, current_user)
    except ServiceError as error:
        _fail(error)
    else:
        flash(_("账号已启用。") if active else _("账号已停用，无法再登录。"), "success")
    return redirect(url_for("admin.organizers", university_id=user.university_id))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def accept_invitation(token: str):
    """The invited person sets their name and password; the link is then spent."""
    try:
        invitation = services.invitation_for_token(token)
    except ServiceError as error:
        return render_template("admin/invitation_invalid.html", message=_(error.message)), error.status
    if current_user.is_authenticated:
        flash(_("您已登录其他账号；请先退出再接受邀请。"), "error")
        return redirect(url_for("main.dashboard"))
    form = AcceptForm()
    if request.method == "GET":
        form.display_name.data = invitation.display_name
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.display_name.data, form.password.data, form.password2.data)
        except ServiceError as error:
            db.session.rollback()
            if error.field is None:
                return render_template("admin/invitation_invalid.html", message=_(error.message)), error.status
            show_service_error(form, error)
        else:
            login_user(user)
            flash(_("欢迎！您的账号已创建。下一步：添加本校的招聘场地。"), "success")
            return redirect(url_for("admin.venues", university_id=user.university_id))
    return render_template(
        "admin/accept.html", form=form, invitation=invitation
    ), 422 if request.method == "POST" else 200


# ------------------------------------------------------------------ policy and audit log


@bp.route("/policy")
@access("admin")
def policy():
    path = Path(current_app.config.get("COMPLIANCE_POLICY_FILE") or "")
    try:
        policy = current_policy()
        error = None
    except PolicyError as exc:
        policy, error = None, str(exc)
    try:
        text = path.read_text(encoding="utf-8")[:100_000]
    except OSError:
        text = ""
    return render_template("admin/policy.html", policy=policy, error=error, text=text, path=path)


def _date_arg(name: str) -> date | None:
    """``?since=``/``?until=``: a date (:func:`recruit.core.dates.parse_date`), else no filter."""
    return dates.parse_date(request.args.get(name) or "")


@bp.route("/audit")
@access("admin")
def audit_log():
    filters = {
        "action": (request.args.get("action") or "").replace("\x00", "").strip()[:60],
        "actor": (request.args.get("actor") or "").replace("\x00", "").strip()[:254],
        "target_type": (request.args.get("target_type") or "").strip()[:40],
    }
    university = None
    code = (request.args.get("university") or "").strip()[:20]
    if code:
        university = db.session.scalar(sa.select(University).where(University.code == code.upper()))
    query = audit.entries(
        **filters,
        university_id=university.id if university else (-1 if code else None),
        since=_date_arg("since"),
        until=_date_arg("until"),
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = _page()
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template(
        "admin/audit.html",
        entries=rows,
        filters=filters,
        code=code,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        since=request.args.get("since", "")[:10],
        until=request.args.get("until", "")[:10],
    )
