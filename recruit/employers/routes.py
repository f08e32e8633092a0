"""Employers: approval by organizers and admins."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import access
from recruit.core.errors import ServiceError
from recruit.employers import services
from recruit.employers.forms import PostingForm
from recruit.employers.models import EMPLOYER_STATUSES, Employer, Posting
from recruit.extensions import db
from recruit.forms import show_service_error
from recruit.matchmaking import services as matching

bp = Blueprint("employers", __name__, url_prefix="/employers")


@bp.route("/manage")
@access("admin", "organizer")
def manage():
    status = request.args.get("status", "pending")
    query = sa.select(Employer).order_by(Employer.created_at.desc())
    if status in EMPLOYER_STATUSES:
        query = query.where(Employer.status == status)
    employers = db.session.scalars(query).all()
    return render_template("employers/manage.html", employers=employers, status=status)


@bp.route("/<int:employer_id>/decide", methods=["POST"])
@access("admin", "organizer")
def decide(employer_id: int):
    employer = db.session.get(Employer, employer_id) or abort(404)
    approve = request.form.get("decision") == "approve"
    try:
        services.decide_employer(employer, approve, request.form.get("reason", ""))
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已通过 %(name)s 的认证。", name=employer.name) if approve else _("已拒绝 %(name)s。", name=employer.name), "success")
    return redirect(url_for("employers.manage", status=request.args.get("status", "pending")))


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


@bp.route("/me/postings")
@access("employer")
def my_postings():
    employer = _my_employer()
    postings = db.session.scalars(
        sa.select(Posting).where(Posting.employer_id == employer.id)
        .order_by(Posting.status.desc(), Posting.created_at.desc(), Posting.id.desc())
    ).all()
    return render_template("employers/my_postings.html", employer=employer, postings=postings)


@bp.route("/me/postings/new", methods=["GET", "POST"])
@access("employer")
def new_posting():
    employer = _my_employer()
    form = PostingForm()
    if employer.is_approved and form.validate_on_submit():
        try:
            posting = services.create_posting(employer, form.data_for_service())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("岗位已发布。"), "success")
            return redirect(url_for("employers.posting", posting_id=posting.id))
    code = 422 if request.method == "POST" else 200
    return render_template("employers/posting_form.html", form=form, employer=employer, posting=None), code


@bp.route("/me/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@access("employer")
def edit_posting(posting_id: int):
    employer = _my_employer()
    posting = _my_posting(posting_id)
    form = PostingForm(obj=posting) if request.method == "GET" else PostingForm()
    if request.method == "GET":
        form.majors.data = "、".join(posting.majors or [])
    if employer.is_approved and form.validate_on_submit():
        try:
            services.update_posting(posting, form.data_for_service())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("岗位已更新。"), "success")
            return redirect(url_for("employers.posting", posting_id=posting.id))
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
    shown = matched[(page - 1) * MATCHED_PAGE_SIZE: page * MATCHED_PAGE_SIZE]
    return render_template("employers/posting.html", posting=posting, pairs=shown, page=page, total=len(matched),
                           page_size=MATCHED_PAGE_SIZE, pool=len(best), pool_limit=MATCHED_LIMIT, filters=filters,
                           options=services.filter_options(best),
                           by_university=matching.match_counts_by_university(matched))
