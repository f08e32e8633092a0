"""Résumé, applying and following applications (graduates); the pipeline and invitations
(employers); applications and outcomes of a university's graduates (organizers, admins)."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import access
from recruit.applications import invitations as invitation_services
from recruit.applications import outcomes as outcome_services
from recruit.applications import resumes, services, states
from recruit.applications.calendar import interview_ics
from recruit.applications.forms import ApplyForm, DecideForm, InviteForm, PdfForm, ResumeForm
from recruit.applications.models import Application
from recruit.core import spreadsheets
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.forms import show_service_error
from recruit.graduates.models import Graduate
from recruit.universities.models import University
from recruit.validation import DEGREES

bp = Blueprint("applications", __name__)
RECORDS_PER_PAGE = 50
PIPELINE_PER_PAGE = 50


@bp.app_template_global("case_applications")
def case_applications_global(graduate):
    """A graduate's applications for the key-group case record (scope checked in the service)."""
    return outcome_services.case_applications(current_user, graduate)


@bp.app_template_global("application_counts")
def application_counts_global(employer_id):
    """{posting id: number of applications} of an employer's postings (the "我的岗位" list)."""
    return services.applications_count_by_posting(employer_id) if employer_id else {}


@bp.app_context_processor
def labels():
    return {
        "APPLICATION_STATUS_LABELS": states.STATUS_LABELS,
        "INVITATION_KIND_LABELS": states.INVITATION_KIND_LABELS,
        "INVITATION_STATUS_LABELS": states.INVITATION_STATUS_LABELS,
    }


def _me() -> Graduate:
    return current_user.graduate or abort(404)


def _fail(error: ServiceError, code: int | None = None):
    db.session.rollback()
    flash(_(error.message), "error")
    return code or error.status


def _next(default: str) -> str:
    nxt = request.form.get("next") or ""
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else default


# ====================================================================== résumé
@bp.route("/me/resume", methods=["GET", "POST"])
@access("graduate")
def resume():
    graduate = _me()
    existing = resumes.resume_of(graduate)
    form = ResumeForm(obj=existing) if request.method == "GET" else ResumeForm()
    if form.validate_on_submit():
        try:
            resumes.save_resume(
                graduate,
                {
                    name: form[name].data
                    for name in ("education", "internships", "projects", "skills", "certificates", "awards")
                },
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            flash(_("简历已保存，推荐岗位会参考简历中的技能和经历。"), "success")
            return redirect(url_for("applications.resume"))
    code = 422 if request.method == "POST" else 200
    return render_template(
        "applications/resume_form.html",
        form=form,
        graduate=graduate,
        resume=existing,
        pdf_form=PdfForm(formdata=None),
        pdf_limit_mb=resumes.pdf_limit() // (1024 * 1024),
    ), code


@bp.route("/me/resume/pdf", methods=["POST"])
@access("graduate")
def resume_upload():
    graduate = _me()
    form = PdfForm()
    if form.validate_on_submit():
        upload = form.pdf.data
        try:
            resumes.upload_pdf(graduate, resumes.RESUMES.read(upload), upload.filename or "")
        except ServiceError as error:
            db.session.rollback()
            flash(_(error.message), "error")
            return redirect(url_for("applications.resume"))
        flash(_("PDF 简历已上传。"), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("applications.resume"))


@bp.route("/me/resume/pdf/delete", methods=["POST"])
@access("graduate")
def resume_pdf_delete():
    try:
        resumes.delete_pdf(_me())
    except ServiceError as error:
        _fail(error)
    else:
        flash(_("PDF 简历已删除。"), "success")
    return redirect(url_for("applications.resume"))


def _viewable_graduate(graduate_id: int) -> Graduate:
    graduate = db.session.get(Graduate, graduate_id)
    if graduate is None or not resumes.can_view_resume(current_user, graduate):
        abort(404)
    return graduate


@bp.route("/resumes/<int:graduate_id>")
@access("graduate", "employer", "organizer", "admin")
def resume_view(graduate_id: int):
    graduate = _viewable_graduate(graduate_id)
    show_contact = current_user.role != "employer" or resumes.contact_shared(graduate, current_user.employer_id)
    return render_template(
        "applications/resume_view.html",
        graduate=graduate,
        resume=resumes.resume_of(graduate),
        contact=resumes.graduate_contact(graduate) if show_contact else None,
    )


@bp.route("/resumes/<int:graduate_id>/pdf")
@access("graduate", "employer", "organizer", "admin")
def resume_pdf(graduate_id: int):
    graduate = _viewable_graduate(graduate_id)
    resume = resumes.resume_of(graduate)
    response = resumes.send_pdf(resume, f"resume-{graduate.id}.pdf")
    if response is None:
        abort(404)
    return response


# ====================================================================== applying (graduate)
@bp.route("/postings/<int:posting_id>/apply", methods=["POST"])
@access("graduate")
def apply(posting_id: int):
    graduate = _me()
    posting = db.session.get(Posting, posting_id) or abort(404)
    form = ApplyForm()
    back = url_for("board.detail", posting_id=posting.id)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back), 303
    try:
        application = services.apply(
            graduate, posting, current_user, cover_note=form.cover_note.data, fair_id=request.form.get("fair_id")
        )
    except ServiceError as error:
        code = _fail(error)
        if error.field == "resume":
            return redirect(url_for("applications.resume"))
        if code == 404:
            abort(404)
        return render_template("applications/apply_refused.html", posting=posting, message=_(error.message)), code
    flash(_("投递成功！可以在“我的投递”中查看进度。"), "success")
    return redirect(url_for("applications.my_detail", application_id=application.id))


@bp.route("/me/applications")
@access("graduate")
def mine():
    graduate = _me()
    return render_template(
        "applications/mine.html",
        applications=services.my_applications(graduate),
        invitations=invitation_services.my_invitations(graduate),
    )


def _my_application(application_id: int) -> Application:
    return services.graduate_application(_me(), application_id) or abort(404)


@bp.route("/me/applications/<int:application_id>")
@access("graduate")
def my_detail(application_id: int):
    application = _my_application(application_id)
    return render_template("applications/my_detail.html", a=application)


@bp.route("/me/applications/<int:application_id>/withdraw", methods=["POST"])
@access("graduate")
def withdraw(application_id: int):
    application = _my_application(application_id)
    try:
        services.withdraw(_me(), application, current_user)
    except ServiceError as error:
        _fail(error)
    else:
        flash(_("已撤回投递。"), "success")
    return redirect(url_for("applications.my_detail", application_id=application_id))


@bp.route("/me/applications/<int:application_id>/offer", methods=["POST"])
@access("graduate")
def offer(application_id: int):
    application = _my_application(application_id)
    accept = request.form.get("answer") == "accept"
    try:
        services.answer_offer(_me(), application, current_user, accept)
    except ServiceError as error:
        _fail(error)
    else:
        flash(_("已记录：接受录用。祝贺您！") if accept else _("已记录：婉拒录用。"), "success")
    return redirect(url_for("applications.my_detail", application_id=application_id))


@bp.route("/me/applications/<int:application_id>/interview.ics")
@access("graduate")
def interview_calendar(application_id: int):
    application = _my_application(application_id)
    if application.status != "interview" or application.interview_at is None:
        abort(404)
    response = send_file(
        io.BytesIO(interview_ics(application)),
        mimetype="text/calendar",
        as_attachment=True,
        download_name=f"interview-{application.id}.ics",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/me/invitations")
@access("graduate")
def my_invitations():
    return render_template("applications/my_invitations.html", invitations=invitation_services.my_invitations(_me()))


@bp.route("/me/invitations/<int:invitation_id>/respond", methods=["POST"])
@access("graduate")
def respond(invitation_id: int):
    accept = request.form.get("answer") == "accept"
    try:
        invitation = invitation_services.respond(_me(), invitation_id, current_user, accept)
    except ServiceError as error:
        if error.status == 404:
            db.session.rollback()
            abort(404)
        _fail(error)
        if error.field == "resume":
            return redirect(url_for("applications.resume"))
    else:
        if accept and invitation.kind == "apply":
            flash(_("已接受邀请并投递该岗位。"), "success")
        else:
            flash(_("已接受邀请，单位可以看到您的联系方式。") if accept else _("已婉拒邀请。"), "success")
    return redirect(url_for("applications.my_invitations"))


# ====================================================================== the pipeline (employer)
def _my_posting(posting_id: int) -> Posting:
    posting = db.session.get(Posting, posting_id)
    if posting is None or posting.employer_id != current_user.employer_id:
        abort(404)
    return posting


def _my_application_as_employer(application_id: int) -> Application:
    return services.employer_application(current_user.employer_id, application_id) or abort(404)


@bp.route("/employer/postings/<int:posting_id>/applications")
@access("employer")
def pipeline(posting_id: int):
    posting = _my_posting(posting_id)
    f = services.PipelineFilters.from_args(request.args)
    page = max(min(request.args.get("page", 1, type=int) or 1, 100_000), 1)
    pagination = db.paginate(
        services.pipeline_query(posting, f),
        page=page,
        per_page=PIPELINE_PER_PAGE,
        error_out=False,
        max_per_page=PIPELINE_PER_PAGE,
    )
    return render_template(
        "applications/pipeline.html",
        posting=posting,
        f=f,
        pagination=pagination,
        counts=services.status_counts(posting),
        form=DecideForm(formdata=None),
        DEGREES=DEGREES,
        STATUSES=states.APPLICATION_STATUSES,
    )


@bp.route("/employer/postings/<int:posting_id>/applications/bulk", methods=["POST"])
@access("employer")
def bulk(posting_id: int):
    posting = _my_posting(posting_id)
    form = DecideForm()
    back = url_for("applications.pipeline", posting_id=posting.id)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back)
    interview = form.interview() if form.action.data == "interview" else None
    if form.action.data == "interview" and interview is None:
        for error in form.interview_at.errors + form.interview_minutes.errors:
            flash(error, "error")
        return redirect(back)
    try:
        result = services.bulk_transition(
            current_user.employer_id,
            posting,
            request.form.getlist("ids"),
            form.action.data,
            current_user,
            form.message.data,
            interview,
        )
    except ServiceError as error:
        _fail(error)
    else:
        flash(
            _(
                "已处理 %(done)d 份投递，跳过 %(skipped)d 份（状态不允许或已被处理）。",
                done=result.done,
                skipped=result.skipped,
            ),
            "success" if result.done else "warning",
        )
    return redirect(back)


@bp.route("/employer/postings/<int:posting_id>/applications/export/<fmt>")
@access("employer")
def export(posting_id: int, fmt: str):
    posting = _my_posting(posting_id)
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    f = services.PipelineFilters.from_args(request.args)
    data = spreadsheets.render(fmt, services.export_headers(), services.export_rows(posting, f))
    response = send_file(
        io.BytesIO(data),
        mimetype=spreadsheets.MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"applicants-{posting.id}.{fmt}",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/employer/applications/<int:application_id>")
@access("employer")
def employer_detail(application_id: int):
    application = _my_application_as_employer(application_id)
    services.mark_viewed(application, current_user)
    return _employer_detail_page(application, DecideForm(formdata=None))


def _employer_detail_page(application, form: DecideForm) -> str:
    """The employer's page of one application, with the decisions its status allows."""
    _offer_only_allowed(form, application)
    return render_template(
        "applications/employer_detail.html",
        a=application,
        form=form,
        resume=resumes.resume_of(application.graduate),
        contact=resumes.graduate_contact(application.graduate),
        targets=states.targets(application.status, "employer"),
    )


@bp.route("/employer/applications/<int:application_id>/decide", methods=["POST"])
@access("employer")
def decide(application_id: int):
    application = _my_application_as_employer(application_id)
    form = DecideForm()
    code = 422
    if form.validate_on_submit():
        interview = form.interview() if form.action.data == "interview" else None
        if form.action.data != "interview" or interview is not None:
            expected = request.form.get("version", type=int)
            try:
                services.transition(
                    application,
                    form.action.data,
                    current_user,
                    actor="employer",
                    message=form.message.data,
                    interview=interview,
                    expected_version=expected,
                )
            except ServiceError as error:
                db.session.rollback()
                show_service_error(form, error)
                code = error.status if error.status != 400 else 422
                db.session.refresh(application)
            else:
                flash(
                    _("已更新为“%(status)s”，已通知毕业生。", status=states.STATUS_LABELS[application.status]),
                    "success",
                )
                return redirect(url_for("applications.employer_detail", application_id=application.id))
    return _employer_detail_page(application, form), code


def _offer_only_allowed(form: DecideForm, application: Application) -> None:
    """The action list shows only the moves allowed from the application's current status."""
    allowed = states.targets(application.status, "employer")
    form.action.choices = [(s, label) for s, label in form.action.choices if s in allowed]


@bp.route("/employer/postings/<int:posting_id>/invite/<int:graduate_id>", methods=["GET", "POST"])
@access("employer")
def invite(posting_id: int, graduate_id: int):
    posting = _my_posting(posting_id)
    graduate = db.session.get(Graduate, graduate_id)
    if graduate is None or not graduate.confirmed or not graduate.visible_to_employers:
        abort(404)
    form = InviteForm()
    fairs = invitation_services.invitable_fairs(current_user.employer_id)
    form.fair_id.choices = [(0, _("（不选）"))] + [(f.id, f"{f.title} · {f.university.name}") for f in fairs]
    code = 200
    if request.method == "POST":
        code = 422
        if form.validate_on_submit():
            try:
                invitation_services.invite(
                    current_user,
                    graduate.id,
                    posting.id,
                    form.kind.data,
                    fair_id=form.fair_id.data,
                    message=form.message.data,
                )
            except ServiceError as error:
                db.session.rollback()
                show_service_error(form, error)
                code = error.status if error.status != 400 else 422
            else:
                flash(_("邀请已发送，毕业生回复后会通知您。"), "success")
                return redirect(url_for("employers.posting", posting_id=posting.id))
    return render_template("applications/invite.html", form=form, posting=posting, graduate=graduate, fairs=fairs), code


@bp.route("/employer/invitations")
@access("employer")
def employer_invitations():
    invitations = invitation_services.employer_invitations(current_user.employer_id)
    shared = {
        inv.graduate_id: resumes.graduate_contact(inv.graduate)
        for inv in invitations
        if inv.status == "accepted" or resumes.contact_shared(inv.graduate, current_user.employer_id)
    }
    return render_template("applications/employer_invitations.html", invitations=invitations, shared=shared)


# ====================================================================== universities and the province
@bp.route("/org/applications")
@access("admin", "organizer")
def outcomes():
    university = None
    if current_user.role == "admin":
        uid = request.args.get("university", type=int)
        if uid and 0 < uid < 2**31:
            university = db.session.get(University, uid)
    else:
        university = db.session.get(University, current_user.university_id)
    if university is not None and not can_manage_university(current_user, university.id):
        abort(404)
    status = request.args.get("status", "")
    page = max(min(request.args.get("page", 1, type=int) or 1, 100_000), 1)
    uid = university.id if university else None
    return render_template(
        "applications/outcomes.html",
        university=university,
        status=status,
        by_major=outcome_services.outcomes_by_major(current_user, uid),
        by_university=outcome_services.outcomes_by_university(current_user) if current_user.role == "admin" else [],
        records=outcome_services.university_records(
            current_user, uid, status=status, page=page, per_page=RECORDS_PER_PAGE
        ),
        STATUSES=states.APPLICATION_STATUSES,
        OFFER_STATUSES=states.OFFER_STATUSES,
    )
