"""Graduates: organizers confirm self-registered graduates."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import access
from recruit.extensions import db
from recruit.graduates import services
from recruit.graduates.models import Graduate

bp = Blueprint("graduates", __name__, url_prefix="/graduates")
PAGE_SIZE = 50


@bp.route("/manage")
@access("admin", "organizer")
def manage():
    show = request.args.get("show", "unconfirmed")
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = services.graduates_query_for(current_user)
    if show == "unconfirmed":
        query = query.where(Graduate.confirmed.is_(False))
    q = (request.args.get("q") or "").strip()[:60]
    if q:
        like = f"%{q}%"
        query = query.where(sa.or_(Graduate.name.like(like), Graduate.student_number.like(like), Graduate.major.like(like)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    graduates = db.session.scalars(
        query.order_by(Graduate.university_id, Graduate.student_number).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "graduates/manage.html", graduates=graduates, show=show, q=q, page=page, total=total, page_size=PAGE_SIZE
    )


@bp.route("/<int:graduate_id>/confirm", methods=["POST"])
@access("admin", "organizer")
def confirm(graduate_id: int):
    graduate = services.get_managed_graduate(graduate_id) or abort(404)
    services.confirm_graduate(graduate)
    flash(_("已确认 %(name)s 的毕业生身份。", name=graduate.name), "success")
    return redirect(url_for("graduates.manage", show=request.args.get("show", "unconfirmed")))
