"""Home page and the role-based dashboard."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template
from flask_login import current_user

from matching.majors import catalogue, names_for_forms
from recruit.access import ANY_USER, PUBLIC, access
from recruit.board import services as board
from recruit.core.scope import scope_to_university
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.graduates.models import Graduate
from recruit.timeutil import utcnow
from recruit.universities.models import University

bp = Blueprint("main", __name__)


@bp.route("/")
@access(PUBLIC)
def index():
    upcoming = db.session.scalars(
        sa.select(Fair).where(Fair.status == "scheduled", Fair.ends_at >= utcnow()).order_by(Fair.starts_at).limit(8)
    ).all()
    stats = {
        "universities": db.session.scalar(sa.select(sa.func.count(University.id))),
        "employers": db.session.scalar(sa.select(sa.func.count(Employer.id)).where(Employer.status == "approved")),
        "postings": board.count_visible(),  # the same postings the public board lists
        "graduates": db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(University.graduates_count), 0))),
    }
    return render_template("main/index.html", upcoming=upcoming, stats=stats)


@bp.route("/dashboard")
@access(ANY_USER)
def dashboard():
    ctx: dict = {}
    if current_user.role == "organizer":
        ctx["pending_graduates"] = db.session.scalar(
            scope_to_university(
                sa.select(sa.func.count(Graduate.id)).where(Graduate.confirmed.is_(False)),
                current_user,
                Graduate.university_id,
            )
        )
        ctx["upcoming"] = db.session.scalars(
            scope_to_university(sa.select(Fair), current_user, Fair.university_id)
            .where(Fair.ends_at >= utcnow(), Fair.status != "cancelled")
            .order_by(Fair.starts_at)
            .limit(6)
        ).all()
    if current_user.role in ("organizer", "admin"):
        ctx["pending_employers"] = db.session.scalar(
            sa.select(sa.func.count(Employer.id)).where(Employer.status == "pending")
        )
        ctx["pending_employer_list"] = db.session.scalars(
            sa.select(Employer).where(Employer.status == "pending").order_by(Employer.created_at, Employer.id).limit(5)
        ).all()
        ctx["pending_booths"] = pending_booth_requests(current_user)
    if current_user.role == "employer":
        ctx["employer"] = current_user.employer
    if current_user.role == "graduate":
        ctx["graduate"] = current_user.graduate
    return render_template("main/dashboard.html", **ctx)


def pending_booth_requests(user, limit: int = 10) -> tuple[int, list]:
    """(count, oldest ``limit``) booth requests awaiting a decision at fairs ``user`` manages."""
    where = [FairRegistration.status == "pending", Fair.status == "scheduled", Fair.starts_at > utcnow()]
    count_q = scope_to_university(
        sa.select(sa.func.count(FairRegistration.id)).join(Fair, Fair.id == FairRegistration.fair_id).where(*where),
        user,
        Fair.university_id,
    )
    rows_q = scope_to_university(
        sa.select(FairRegistration)
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(*where)
        .options(sa.orm.joinedload(FairRegistration.fair), sa.orm.joinedload(FairRegistration.employer))
        .order_by(FairRegistration.created_at, FairRegistration.id)
        .limit(limit),
        user,
        Fair.university_id,
    )
    return db.session.scalar(count_q) or 0, db.session.scalars(rows_q).unique().all()


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


@bp.route("/majors.json")
@access(PUBLIC)
def majors_catalogue():
    """The names a major field suggests (MoE catalogues: classes, then majors), for static/js/majors.js."""
    response = jsonify(editions=catalogue().editions, names=list(names_for_forms()))
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
