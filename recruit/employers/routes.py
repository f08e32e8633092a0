"""Employers: identity verification (province), participation (each university), posting review,
business licences, and the employer's own postings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import access
from recruit.core.errors import ServiceError
from recruit.employers import licences, services
from recruit.employers.forms import LicenceForm, PostingForm
from recruit.employers.models import EMPLOYER_STATUSES, Employer, Participation, Posting
from recruit.extensions import db
from recruit.forms import show_service_error
from recruit.matchmaking import services as matching
from recruit.timeutil import today_local

bp = Blueprint("employers", __name__, url_prefix="/employers")
PAGE_SIZE = 50


def _employer_or_404(employer_id: int) -> Employer:
    return db.session.get(Employer, employer_id) or abort(404)


def _back(default: str):
    """Where a decision form came from (only this app's own paths), else ``default``."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


@bp.route("/manage")
@access("admin", "organizer")
def manage():
    status = request.args.get("status", "pending")
    q = (request.args.get("q") or "").strip()[:100].replace("\x00", "")
    page = request.args.get("page", 1, type=int) or 1
    page = max(1, min(page, 100000))
    query = sa.select(Employer)
    if status in EMPLOYER_STATUSES:
        query = query.where(Employer.status == status)
    if q:
        query = query.where(
            sa.or_(
                Employer.name.contains(q, autoescape=True), Employer.credit_code.contains(q.upper(), autoescape=True)
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    employers = db.session.scalars(
        query.order_by(Employer.created_at.desc(), Employer.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    decisions = {}
    if current_user.role == "organizer" and employers:
        decisions = {
            row.employer_id: row
            for row in db.session.scalars(
                sa.select(Participation).where(
                    Participation.university_id == current_user.university_id,
                    Participation.employer_id.in_([e.id for e in employers]),
                )
            )
        }
    return render_template(
        "employers/manage.html",
        employers=employers,
        status=status,
        q=q,
        page=page,
        total=total,
        page_size=PAGE_SIZE,
        decisions=decisions,
        can_verify=services.can_verify_identity(current_user),
    )


@bp.route("/<int:employer_id>")
@access("admin", "organizer")
def detail(employer_id: int):
    """An employer's details for reviewers: identity, licence, postings, this university's decision."""
    employer = _employer_or_404(employer_id)
    postings = db.session.scalars(
        sa.select(Posting).where(Posting.employer_id == employer.id).order_by(Posting.created_at.desc()).limit(100)
    ).all()
    decision = None
    if current_user.role == "organizer":
        decision = services.participation(employer.id, current_user.university_id)
    return render_template(
        "employers/detail.html",
        employer=employer,
        postings=postings,
        decision=decision,
        can_verify=services.can_verify_identity(current_user),
        today=today_local(),
    )


@bp.route("/<int:employer_id>/decide", methods=["POST"])
@access("admin", "organizer")
def decide(employer_id: int):
    employer = _employer_or_404(employer_id)
    decision = request.form.get("decision")
    reason = request.form.get("reason", "")
    try:
        if decision == "suspend":
            services.suspend_employer(employer, reason, current_user)
        elif decision in ("approve", "reject"):
            services.decide_employer(employer, decision == "approve", reason, current_user)
        else:
            raise ServiceError("请选择有效的决定。")
    except ServiceError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        messages = {
            "approve": _("已通过 %(name)s 的认证。", name=employer.name),
            "reject": _("已拒绝 %(name)s。", name=employer.name),
            "suspend": _("已暂停 %(name)s。", name=employer.name),
        }
        flash(messages[decision], "success")
    return _back(url_for("employers.manage", status=request.args.get("status", "pending")))


@bp.route("/bulk-approve", methods=["POST"])
@access("admin", "organizer")
def bulk_approve():
    try:
        approved, skipped = services.bulk_approve(request.form.getlist("employer_id"), current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(
            _("已通过 %(n)d 家单位的认证。", n=approved)
            + (_("另有 %(n)d 家已被处理或不在待审核状态，未改变。", n=skipped) if skipped else ""),
            "success",
        )
    return redirect(url_for("employers.manage", status="pending"))


@bp.route("/<int:employer_id>/trust", methods=["POST"])
@access("admin", "organizer")
def trust(employer_id: int):
    employer = _employer_or_404(employer_id)
    try:
        services.set_trusted(employer, request.form.get("trusted") == "1", current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(_("已设为免审：该单位的岗位将直接发布。") if employer.trusted else _("已取消免审。"), "success")
    return redirect(url_for("employers.detail", employer_id=employer.id))


@bp.route("/<int:employer_id>/participation", methods=["POST"])
@access("organizer")
def participation(employer_id: int):
    """This university's own decision on the employer (never changes its status elsewhere)."""
    employer = _employer_or_404(employer_id)
    try:
        services.decide_participation(
            employer,
            current_user.university_id,
            request.form.get("decision", ""),
            request.form.get("reason", ""),
            current_user,
        )
    except ServiceError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(_("已保存本校对 %(name)s 的决定。", name=employer.name), "success")
    return _back(url_for("employers.detail", employer_id=employer.id))


@bp.route("/<int:employer_id>/licence")
@access("admin", "organizer")
def licence(employer_id: int):
    """The business licence, for reviewers only (never cached, never shown inline as HTML)."""
    employer = _employer_or_404(employer_id)
    response = licences.send(employer)
    if response is None:
        abort(404)
    return response


# ---------------------------------------------------------------------- posting review


@bp.route("/reviews")
@access("admin", "organizer")
def reviews():
    if not services.can_review_postings(current_user):
        return render_template("employers/reviews.html", postings=[], allowed=False, mode=services.review_mode())
    postings = db.session.scalars(services.pending_postings_query(current_user).limit(200)).all()
    return render_template("employers/reviews.html", postings=postings, allowed=True, mode=services.review_mode())


@bp.route("/reviews/<int:posting_id>", methods=["POST"])
@access("admin", "organizer")
def review(posting_id: int):
    posting = db.session.get(Posting, posting_id) or abort(404)
    publish = request.form.get("decision") == "publish"
    try:
        services.review_posting(posting, publish, request.form.get("reason", ""), current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(_("岗位已发布。") if publish else _("岗位已退回。"), "success")
    return _back(url_for("employers.reviews"))


# ---------------------------------------------------------------------- the employer's licence


@bp.route("/me/licence", methods=["GET", "POST"])
@access("employer")
def my_licence():
    employer = current_user.employer or abort(404)
    form = LicenceForm()
    if form.validate_on_submit():
        try:
            licences.store(employer, licences.LICENCES.read(form.file.data), current_user)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error, {"licence": "file"})
        else:
            flash(_("营业执照已上传，审核人员可以查看。"), "success")
            return redirect(url_for("employers.my_licence"))
    code = 422 if request.method == "POST" else 200
    return render_template("employers/licence.html", form=form, employer=employer), code


# ---------------------------------------------------------------------- the employer's own postings

MATCHED_LIMIT = 200  #: the best matches an employer can filter and page through
MATCHED_PAGE_SIZE = 20


def _my_employer() -> Employer:
    return current_user.employer or abort(404)


def _my_posting(posting_id: int) -> Posting:
    """The posting if it belongs to the current employer, else 404."""
    posting = db.session.get(Posting, posting_id)
    if posting is None or posting.employer_id != current_user.employer_id:
        abort(404)
    return posting


def _posting_saved_message(posting) -> str:
    return {
        "draft": _("岗位草稿已保存，单位认证通过后自动提交发布。"),
        "pending": _("岗位已保存，审核通过后对毕业生公开。"),
        "published": _("岗位已发布。"),
        "returned": _("岗位已保存。"),
    }[posting.review_status]


def _service_error(form: PostingForm, error: ServiceError) -> None:
    db.session.rollback()
    show_service_error(form, error)


@bp.route("/me/postings")
@access("employer")
def my_postings():
    employer = _my_employer()
    postings = db.session.scalars(
        sa.select(Posting)
        .where(Posting.employer_id == employer.id)
        .order_by(Posting.status.desc(), Posting.created_at.desc(), Posting.id.desc())
    ).all()
    return render_template("employers/my_postings.html", employer=employer, postings=postings, today=today_local())


@bp.route("/me/postings/new", methods=["GET", "POST"])
@access("employer")
def new_posting():
    employer = _my_employer()
    return _posting_form(employer, None, PostingForm(), lambda data: services.create_posting(employer, data))


@bp.route("/me/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@access("employer")
def edit_posting(posting_id: int):
    employer = _my_employer()
    posting = _my_posting(posting_id)
    form = PostingForm(obj=posting) if request.method == "GET" else PostingForm()
    if request.method == "GET":
        form.majors.data = "、".join(posting.majors or [])
    return _posting_form(employer, posting, form, lambda data: services.update_posting(posting, data))


def _posting_form(employer, posting, form, save):
    """The posting form: a valid POST of an approved or pending employer is saved with ``save(data)``."""
    if employer.status in ("approved", "pending") and form.validate_on_submit():
        try:
            saved = save(form.data_for_service())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_posting_saved_message(saved), "success")
            return redirect(url_for("employers.posting", posting_id=saved.id))
    code = 422 if request.method == "POST" else 200
    return render_template("employers/posting_form.html", form=form, employer=employer, posting=posting), code


@bp.route("/me/postings/<int:posting_id>/close", methods=["POST"])
@access("employer")
def close_posting(posting_id: int):
    posting = _my_posting(posting_id)
    try:
        services.close_posting(posting)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("岗位已关闭，不再向毕业生推荐。"), "success")
    return redirect(url_for("employers.my_postings"))


@bp.route("/me/postings/<int:posting_id>")
@access("employer")
def posting(posting_id: int):
    posting = _my_posting(posting_id)
    best = matching.matched_graduates_for_posting(posting, limit=MATCHED_LIMIT)
    filters = services.MatchFilters.from_args(request.args)
    matched = services.filter_matched(best, filters)
    pages = max((len(matched) + MATCHED_PAGE_SIZE - 1) // MATCHED_PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = matched[(page - 1) * MATCHED_PAGE_SIZE : page * MATCHED_PAGE_SIZE]
    return render_template(
        "employers/posting.html",
        posting=posting,
        pairs=shown,
        page=page,
        total=len(matched),
        page_size=MATCHED_PAGE_SIZE,
        pool=len(best),
        pool_limit=MATCHED_LIMIT,
        filters=filters,
        options=services.filter_options(best),
        by_university=matching.match_counts_by_university(matched),
    )
