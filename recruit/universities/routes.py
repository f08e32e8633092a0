"""Public pages: every university's majors and graduate numbers (notice §4)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template

from recruit.access import PUBLIC, access
from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.timeutil import utcnow
from recruit.universities.models import University

bp = Blueprint("universities", __name__, url_prefix="/universities")


@bp.route("/")
@access(PUBLIC)
def list_universities():
    universities = db.session.scalars(
        sa.select(University).where(University.active.is_(True)).order_by(University.code)
    ).all()
    return render_template("universities/list.html", universities=universities)


@bp.route("/<code>")
@access(PUBLIC)
def detail(code: str):
    university = db.session.scalar(sa.select(University).where(University.code == code))
    if university is None or not university.active:
        abort(404)
    upcoming = db.session.scalars(
        sa.select(Fair)
        .where(Fair.university_id == university.id, Fair.status == "scheduled", Fair.ends_at >= utcnow())
        .order_by(Fair.starts_at)
        .limit(10)
    ).all()
    return render_template("universities/detail.html", university=university, upcoming=upcoming)
