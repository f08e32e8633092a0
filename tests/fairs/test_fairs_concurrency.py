"""Two simultaneous bookings of the same venue and time end with exactly one fair (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairs import services
from recruit.fairs.models import Fair
from recruit.timeutil import combine_local
from tests.conftest import is_postgres

pytestmark = pytest.mark.skipif(
    not is_postgres(),
    reason="needs PostgreSQL: the exclusion constraint no_venue_overlap exists only there "
    "(SQLite serialises writers, see test_sqlite_check_runs_under_the_write_lock)",
)


def test_parallel_bookings_of_one_venue_make_exactly_one_fair(app, make_venue, monkeypatch):
    venue = make_venue()
    university_id, venue_id = venue.university_id, venue.id
    # Take the Python pre-check out of the race: only the database may decide.
    monkeypatch.setattr(services, "_venue_conflict", lambda *a, **k: None)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def book(n: int) -> None:
        with app.app_context():
            from recruit.universities.models import University

            university = db.session.get(University, university_id)
            starts = combine_local(date(date.today().year + 1, 3, 12), time(14))  # within the booking window
            item = services.FairData(
                kind="special",
                title=f"并发{n}",
                format="onsite",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue_id=venue_id,
                booth_capacity=30,
            )
            barrier.wait()
            try:
                services.create_fair(university, item, publish=True)
                outcomes.append("ok")
            except ServiceError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    db.session.expire_all()
    assert sorted(outcomes) == ["ok"] + ["该场地在此时间段已被占用"] * 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair).where(Fair.venue_id == venue_id)) == 1
