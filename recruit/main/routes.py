"""Home page and the role-based dashboard."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from recruit.access import ANY_USER, PUBLIC, access
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair
from recruit.graduates.models import Graduate
from recruit.timeutil import utcnow
from recruit.universities.models import University

bp = Blueprint("main", __name__)


@bp.route("/")
@access(PUBLIC)
def index():
    upcoming = db.session.scalars(
        sa.select(Fair)
        .where(Fair.status == "scheduled", Fair.ends_at >= utcnow())
        .order_by(Fair.starts_at)
        .limit(8)
    ).all()
    stats = {
        "universities": db.session.scalar(sa.select(sa.func.count(University.id))),
        "employers": db.session.scalar(sa.select(sa.func.count(Employer.id)).where(Employer.status == "approved")),
        "postings": db.session.scalar(
            sa.select(sa.func.count(Posting.id))
            .join(Employer)
            .where(Posting.status == "open", Employer.status == "approved")
        ),
        "graduates": db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(University.graduates_count), 0))),
    }
    return render_template("main/index.html", upcoming=upcoming, stats=stats)


@bp.route("/dashboard")
@access(ANY_USER)
def dashboard():
    ctx: dict = {}
    if current_user.role == "organizer":
        uid = current_user.university_id
        ctx["pending_graduates"] = db.session.scalar(
            sa.select(sa.func.count(Graduate.id)).where(Graduate.university_id == uid, Graduate.confirmed.is_(False))
        )
        ctx["upcoming"] = db.session.scalars(
            sa.select(Fair)
            .where(Fair.university_id == uid, Fair.ends_at >= utcnow(), Fair.status != "cancelled")
            .order_by(Fair.starts_at)
            .limit(6)
        ).all()
    if current_user.role in ("organizer", "admin"):
        ctx["pending_employers"] = db.session.scalar(
            sa.select(sa.func.count(Employer.id)).where(Employer.status == "pending")
        )
    if current_user.role == "employer":
        ctx["employer"] = current_user.employer
    if current_user.role == "graduate":
        ctx["graduate"] = current_user.graduate
    return render_template("main/dashboard.html", **ctx)


@bp.route("/healthz")
@access(PUBLIC)
def healthz():
    """200 when the database answers; 503 (for the load balancer) when it does not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok"}
