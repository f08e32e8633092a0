"""The month calendar of fairs (招聘会日历): its weeks, the view a user sees and the fairs of each
day (the month asked for: :func:`recruit.core.dates.parse_month`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from recruit.core.scope import university_condition
from recruit.extensions import db
from recruit.fairs.services import visible_fair_query
from recruit.fairs.models import Fair
from recruit.timeutil import combine_local, local_date
from recruit.universities.models import University


CALENDAR_VIEWS = ("all", "school", "mine")


def month_weeks(first: date) -> list[list[date]]:
    """The Monday–Sunday weeks that cover the month starting on ``first``."""
    start = first - timedelta(days=first.weekday())
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    weeks = []
    while start < nxt:
        weeks.append([start + timedelta(days=i) for i in range(7)])
        start += timedelta(days=7)
    return weeks


def calendar_view_for(user, asked: str | None) -> str:
    """The view shown: ``school`` (an organizer's university), ``mine`` (a graduate's fairs) or ``all``."""
    role = user.role if user is not None and user.is_authenticated else "anonymous"
    allowed = {"organizer": ("school", "all"), "graduate": ("mine", "all")}.get(role, ("all",))
    return asked if asked in allowed else allowed[0]


def calendar_fairs(
    user, first: date, last: date, view: str, university: University | None = None, mine: set[int] | None = None
) -> dict[date, list[Fair]]:
    """The fairs of ``first..last`` (local dates) the user sees in ``view``, by local start date;
    ``mine`` is the graduate's own fairs (matchmaking.services.graduate_fair_ids) for ``view="mine"``."""
    query = visible_fair_query(user).where(
        Fair.starts_at >= combine_local(first, datetime.min.time()),
        Fair.starts_at < combine_local(last + timedelta(days=1), datetime.min.time()),
    )
    if view == "school":
        query = query.where(university_condition(user, Fair.university_id))
    elif view == "mine":
        query = query.where(Fair.id.in_(mine or [0]))
    else:
        query = query.where(Fair.status != "draft")
        if university is not None:
            query = query.where(Fair.university_id == university.id)
    fairs = (
        db.session.scalars(
            query.options(sa.orm.joinedload(Fair.university), sa.orm.joinedload(Fair.venue)).order_by(
                Fair.starts_at, Fair.id
            )
        )
        .unique()
        .all()
    )
    by_day: dict[date, list[Fair]] = {}
    for fair in fairs:
        by_day.setdefault(local_date(fair.starts_at), []).append(fair)
    return by_day
