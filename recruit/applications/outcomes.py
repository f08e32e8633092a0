"""Applications seen by the universities (their graduates) and the province: outcomes by major
and by university, the records list, a graduate's case, supply and demand counts."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.applications import states
from recruit.applications.models import Application
from recruit.core.scope import can_manage_university, scope_to_university
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.universities.models import University


# ====================================================================== universities and the province
def _scoped_applications(user) -> sa.Select:
    query = sa.select(Application).join(Graduate, Graduate.id == Application.graduate_id)
    return scope_to_university(query, user, Graduate.university_id)


def outcomes_by_major(user, university_id: int | None = None) -> list[dict]:
    """[{major, total, <status>: n}] for the graduates the user manages, most applications first."""
    query = scope_to_university(
        sa.select(Graduate.major, Application.status, sa.func.count(Application.id)).join(
            Graduate, Graduate.id == Application.graduate_id
        ),
        user,
        Graduate.university_id,
    )
    if university_id:
        query = query.where(Graduate.university_id == university_id)
    rows: dict[str, dict] = {}
    for major, status, n in db.session.execute(query.group_by(Graduate.major, Application.status)):
        row = rows.setdefault(major, {"major": major, "total": 0})
        row[status] = n
        row["total"] += n
    for row in rows.values():
        row["offers"] = sum(row.get(s, 0) for s in states.OFFER_STATUSES)
    return sorted(rows.values(), key=lambda r: (-r["total"], r["major"]))


def outcomes_by_university(user) -> list[dict]:
    """[{university, applications, offers, accepted}] (the province's view)."""
    offer = sa.case((Application.status.in_(states.OFFER_STATUSES), 1), else_=0)
    accepted = sa.case((Application.status == "accepted", 1), else_=0)
    query = scope_to_university(
        sa.select(University, sa.func.count(Application.id), sa.func.sum(offer), sa.func.sum(accepted))
        .join(Graduate, Graduate.university_id == University.id)
        .join(Application, Application.graduate_id == Graduate.id),
        user,
        Graduate.university_id,
    )
    rows = db.session.execute(
        query.group_by(University.id).order_by(sa.func.count(Application.id).desc(), University.name)
    ).all()
    return [{"university": u, "applications": n, "offers": int(o or 0), "accepted": int(a or 0)} for u, n, o, a in rows]


def university_records(user, university_id: int | None, *, status: str = "", page: int = 1, per_page: int = 50):
    query = _scoped_applications(user).options(
        sa.orm.contains_eager(Application.graduate), sa.orm.joinedload(Application.posting).joinedload(Posting.employer)
    )
    if university_id:
        query = query.where(Graduate.university_id == university_id)
    if status in states.APPLICATION_STATUSES:
        query = query.where(Application.status == status)
    return db.paginate(
        query.order_by(Application.updated_at.desc(), Application.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
        max_per_page=per_page,
    )


def case_applications(user, graduate: Graduate) -> list[Application]:
    """A graduate's applications for their case record (their own university's organizers, admins)."""
    if graduate is None or not can_manage_university(user, graduate.university_id):
        return []
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.graduate_id == graduate.id)
            .order_by(Application.updated_at.desc())
            .options(sa.orm.joinedload(Application.posting).joinedload(Posting.employer))
        ).unique()
    )


def counts_by_major(university_id: int | None = None) -> dict[str, dict[str, int]]:
    """{major: {"applications": n, "offers": n}} (supply and demand by major)."""
    offer = sa.case((Application.status.in_(states.OFFER_STATUSES), 1), else_=0)
    query = (
        sa.select(Graduate.major, sa.func.count(Application.id), sa.func.sum(offer))
        .join(Graduate, Graduate.id == Application.graduate_id)
        .group_by(Graduate.major)
    )
    if university_id:
        query = query.where(Graduate.university_id == university_id)
    return {m: {"applications": n, "offers": int(o or 0)} for m, n, o in db.session.execute(query)}
