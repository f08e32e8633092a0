"""Graduates: organizers confirm self-registered graduates."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import access
from recruit.auth import claims
from recruit.core.errors import ServiceError
from recruit.core.paging import paginate
from recruit.core.scope import university_for
from recruit.forms import show_service_error
from recruit.graduates import services
from recruit.graduates.forms import IntentionForm
from recruit.graduates.models import Graduate
from recruit.matchmaking import services as matching
from recruit.validation import CITIES, INDUSTRIES, LIMITS, page_number
from recruit.organizer import services as organizer_services

bp = Blueprint("graduates", __name__, url_prefix="/graduates")
PAGE_SIZE = 50


@bp.route("/manage")
@access("admin", "organizer")
def manage():
    show = request.args.get("show", "unconfirmed")
    query = services.graduates_query_for(current_user)
    if show == "unconfirmed":
        query = query.where(Graduate.confirmed.is_(False))
    q = (request.args.get("q") or "").strip()[: LIMITS["short"]]
    if q:
        like = f"%{q}%"
        query = query.where(
            sa.or_(Graduate.name.like(like), Graduate.student_number.like(like), Graduate.major.like(like))
        )
    pages = paginate(query.order_by(Graduate.university_id, Graduate.student_number), PAGE_SIZE)
    return render_template(
        "graduates/manage.html",
        graduates=pages.items,
        show=show,
        q=q,
        page=pages.page,
        total=pages.total,
        page_size=PAGE_SIZE,
        claimed=claims.claimed_records(pages.items),
        claimable=claims.claimable_ids(pages.items),
    )


@bp.route("/<int:graduate_id>/confirm", methods=["POST"])
@access("admin", "organizer")
def confirm(graduate_id: int):
    graduate = services.get_managed_graduate(graduate_id, current_user) or abort(404)
    name = graduate.name
    try:
        claims.confirm_graduate(graduate)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已确认 %(name)s 的毕业生身份。", name=name), "success")
    return redirect(url_for("graduates.manage", show=request.args.get("show", "unconfirmed")))


# ---------------------------------------------------------------------- activation codes


def _activation_university():
    university = university_for(current_user, request.args.get("university"))
    if current_user.role == "admin" and request.args.get("university") and university is None:
        abort(404)
    return university


@bp.route("/activation")
@access("admin", "organizer")
def activation():
    university = _activation_university()
    counts = claims.activation_counts(university.id) if university else None
    return render_template(
        "graduates/activation.html",
        university=university,
        counts=counts,
        universities=organizer_services.universities(),
    )


@bp.route("/activation", methods=["POST"])
@access("admin", "organizer")
def issue_codes():
    university = _activation_university() or abort(404)
    graduate_id = request.form.get("graduate_id", type=int)
    if graduate_id is not None and not 0 < graduate_id < 2**31:
        abort(404)
    try:
        slips = claims.issue_activation_codes(
            current_user, university, request.form.get("mode", "missing"), graduate_id
        )
    except ServiceError as error:
        if error.status == 404:
            abort(404)
        flash(_(error.message), "error")
        return redirect(url_for("graduates.activation", **_scope(university)))
    if not slips:
        flash(_("没有需要生成激活码的毕业生。"), "info")
        return redirect(url_for("graduates.activation", **_scope(university)))
    response = make_response(
        render_template(
            "graduates/activation_slips.html",
            university=university,
            slips=slips,
            emailed=sum(1 for s in slips if s.emailed),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _scope(university) -> dict:
    return {"university": university.code} if current_user.role == "admin" else {}


# ---------------------------------------------------------------------- the graduate's own pages
MATCHES_PER_PAGE = 20
FAIRS_SHOWN = 6


def _me() -> Graduate:
    return current_user.graduate or abort(404)


@bp.route("/me/intention", methods=["GET", "POST"])
@access("graduate")
def edit_intention():
    graduate = _me()
    intention = graduate.intention
    form = IntentionForm()
    if request.method == "GET":
        if intention is not None:
            form.industries.data = list(intention.industries or [])
            form.cities.data = list(intention.cities or [])
            form.positions.data = "、".join(intention.positions or [])
            form.salary_expectation.data = intention.salary_expectation
            form.skills.data = intention.skills
            form.statement.data = intention.statement
        form.visible_to_employers.data = graduate.visible_to_employers
        form.share_contact.data = graduate.share_contact
    if form.validate_on_submit():
        try:
            services.save_intention(
                graduate,
                industries=form.industries.data,
                cities=form.cities.data,
                positions=form.positions.data,
                salary_expectation=form.salary_expectation.data or 0,
                skills=form.skills.data,
                statement=form.statement.data,
                visible_to_employers=form.visible_to_employers.data,
                share_contact=form.share_contact.data,
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            flash(_("求职意愿已保存，推荐岗位已更新。"), "success")
            return redirect(url_for("graduates.matches"))
    code = 422 if request.method == "POST" else 200
    return render_template("graduates/intention.html", form=form, graduate=graduate), code


def _score_arg(value: str | None) -> float:
    try:
        score = float(value or 0)
    except ValueError:
        return 0.0
    if score != score:  # NaN
        return 0.0
    return min(max(score, 0.0), 1.0)


@bp.route("/me/matches")
@access("graduate")
def matches():
    graduate = _me()
    city = request.args.get("city") or None
    city = city if city in CITIES else None
    industry = request.args.get("industry") or None
    industry = industry if industry in INDUSTRIES else None
    min_score = _score_arg(request.args.get("min_score"))
    page = page_number(request.args.get("page"))
    rows, total = ([], 0)
    fairs = []
    if graduate.intention is not None:
        rows, total = matching.match_page(
            graduate, city=city, industry=industry, min_score=min_score, page=page, per_page=MATCHES_PER_PAGE
        )
        fairs = matching.fairs_for_graduate(graduate, limit=FAIRS_SHOWN)
    saved_postings, saved_fairs = services.saved_ids(graduate)
    return render_template(
        "graduates/matches.html",
        graduate=graduate,
        rows=rows,
        total=total,
        page=page,
        page_size=MATCHES_PER_PAGE,
        city=city,
        industry=industry,
        min_score=min_score,
        fairs=fairs,
        saved_postings=saved_postings,
        saved_fairs=saved_fairs,
        CITIES=CITIES,
        INDUSTRIES=INDUSTRIES,
    )


def _back(default: str) -> str:
    nxt = request.form.get("next") or ""
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else url_for(default)


@bp.route("/me/saved/postings/<int:posting_id>", methods=["POST"])
@access("graduate")
def save_posting(posting_id: int):
    save = request.form.get("action", "save") != "unsave"
    try:
        services.set_saved_posting(_me(), posting_id, save)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已收藏该岗位。") if save else _("已取消收藏。"), "success")
    return redirect(_back("graduates.saved"))


@bp.route("/me/saved/fairs/<int:fair_id>", methods=["POST"])
@access("graduate")
def save_fair(fair_id: int):
    save = request.form.get("action", "save") != "unsave"
    try:
        services.set_saved_fair(_me(), fair_id, save)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已收藏该招聘会。") if save else _("已取消收藏。"), "success")
    return redirect(_back("graduates.saved"))


@bp.route("/me/saved")
@access("graduate")
def saved():
    postings, fairs = services.saved_items(_me())
    return render_template("graduates/saved.html", postings=postings, fairs=fairs)
