"""The public job board: /postings and /postings/<id>, no login needed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from recruit.access import PUBLIC, access
from recruit.applications import resumes
from recruit.applications import services as applications
from recruit.board import services
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.matchmaking import services as matching
from recruit.validation import CITIES, DEGREES, INDUSTRIES

bp = Blueprint("board", __name__)


def _graduate():
    """The logged-in graduate (for match scores), or None for everyone else."""
    if current_user.is_authenticated and current_user.role == "graduate":
        return current_user.graduate
    return None


@bp.route("/postings")
@access(PUBLIC)
def index():
    filters = services.BoardFilters.from_args(request.args)
    graduate = _graduate()
    page = services.board_page(filters, graduate=graduate)
    applied = applications.applied_posting_ids(graduate, [r.posting.id for r in page.rows]) if graduate else {}
    return render_template(
        "board/index.html",
        page=page,
        f=filters,
        graduate=graduate,
        applied=applied,
        CITIES=CITIES,
        INDUSTRIES=INDUSTRIES,
        DEGREES=DEGREES,
        universities=services.universities_with_fairs(),
    )


@bp.route("/postings/<int:posting_id>")
@access(PUBLIC)
def detail(posting_id: int):
    posting = services.public_posting(posting_id)
    if posting is None:
        own = db.session.get(Posting, posting_id)
        if (
            own is not None
            and current_user.is_authenticated
            and current_user.role == "employer"
            and own.employer_id == current_user.employer_id
        ):
            # Its own employer learns why the public cannot see it (closed, expired, not yet published...).
            return render_template("board/not_public.html", posting=own), 404
        abort(404)
    graduate = _graduate()
    match = matching.match_for_postings(graduate, [posting.id]).get(posting.id) if graduate else None
    application = applications.application_for(graduate, posting) if graduate else None
    fairs = services.upcoming_fairs_by_employer([posting.employer_id]).get(posting.employer_id, [])
    return render_template(
        "board/detail.html",
        posting=posting,
        graduate=graduate,
        match=match,
        application=application,
        fairs=fairs,
        has_resume=resumes.has_resume(graduate) if graduate else False,
    )
