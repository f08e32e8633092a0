"""Employers: approval by organizers and admins."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from recruit.access import access
from recruit.auth.services import ServiceError
from recruit.employers import services
from recruit.employers.models import EMPLOYER_STATUSES, Employer
from recruit.extensions import db

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
