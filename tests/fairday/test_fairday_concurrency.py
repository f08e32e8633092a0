"""Simultaneous sign-ups never overfill a fair; the waiting list takes the rest (PostgreSQL, threads)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairday import services
from recruit.fairs.models import Fair, FairCheckin, FairSignup
from recruit.graduates.models import Graduate
from tests.conftest import is_postgres

pytestmark = pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL: row locks and real parallel writers")


def _run(app, n, fn):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def work(i):
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(fn(i))
            except ServiceError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_parallel_sign_ups_never_exceed_capacity(app, make_fair, make_graduate, day_before_pg):
    fair = make_fair(signup_capacity=3)
    fair_id = fair.id
    grad_ids = [make_graduate().id for _ in range(8)]

    def sign(i):
        return services.sign_up(db.session.get(Fair, fair_id), db.session.get(Graduate, grad_ids[i])).status

    outcomes = _run(app, 8, sign)
    db.session.expire_all()
    assert sorted(outcomes) == ["confirmed"] * 3 + ["waitlisted"] * 5
    counts = services.checkin_counts(db.session.get(Fair, fair_id))
    assert counts["graduates"] == 3 and counts["waitlisted"] == 5


def test_parallel_cancellations_promote_exactly_as_many(app, make_fair, make_graduate, day_before_pg):
    fair = make_fair(signup_capacity=3)
    fair_id = fair.id
    grads = [make_graduate() for _ in range(7)]
    for g in grads:
        services.sign_up(fair, g)
    confirmed = [s.id for s in db.session.scalars(sa.select(FairSignup).where(FairSignup.status == "confirmed"))]

    def cancel(i):
        services.cancel_signup(db.session.get(FairSignup, confirmed[i]))
        return "ok"

    assert _run(app, 3, cancel) == ["ok"] * 3
    db.session.expire_all()
    counts = services.checkin_counts(db.session.get(Fair, fair_id))
    assert counts["graduates"] == 3 and counts["waitlisted"] == 1


def test_the_same_pass_at_two_doors_checks_in_once(app, make_fair, make_employer, on_the_day_pg):
    from datetime import date

    from recruit.fairs.models import FairRegistration

    fair = make_fair(day=date(2026, 12, 8))
    registration = FairRegistration(fair=fair, employer=make_employer(), status="approved", booth_number=1)
    db.session.add(registration)
    db.session.commit()
    token, _ = services.registration_pass(registration)
    fair_id = fair.id

    def scan(i):
        result = services.check_in(db.session.get(Fair, fair_id), token, None, today=date(2026, 12, 8))
        return "already" if result.already else "new"

    assert sorted(_run(app, 4, scan)) == ["already"] * 3 + ["new"]
    assert db.session.scalar(sa.select(sa.func.count(FairCheckin.id))) == 1


@pytest.fixture
def day_before_pg():
    import time_machine

    from tests.fairday.conftest import DAY_BEFORE

    with time_machine.travel(DAY_BEFORE, tick=False):
        yield


@pytest.fixture
def on_the_day_pg():
    import time_machine

    from tests.fairday.conftest import ON_THE_DAY

    with time_machine.travel(ON_THE_DAY, tick=False):
        yield
