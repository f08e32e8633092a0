"""Simultaneous decisions on one application: exactly one wins, the others are told (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from recruit.applications import services
from recruit.applications.models import Application, ApplicationEvent
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.employers.models import Posting
from recruit.notifications.models import Notification
from tests.conftest import is_postgres

pytestmark = pytest.mark.skipif(
    not is_postgres(),
    reason="needs PostgreSQL: real concurrent transactions (SQLite serialises every writer)",
)


def _race(app, n: int, work) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run(k: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                work(k)
                outcomes.append("ok")
            except ServiceError as error:
                outcomes.append(f"{error.status}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_concurrent_decisions_exactly_one_wins(app, scene, application):
    app_id, user_id = application.id, scene.employer_user.id
    graduate_user_id = scene.graduate_user.id
    targets = ["offered", "rejected", "offered", "rejected"]

    def decide(k: int) -> None:
        a = db.session.get(Application, app_id)
        services.transition(a, targets[k], db.session.get(User, user_id), actor="employer")

    outcomes = _race(app, 4, decide)
    assert sorted(outcomes) == ["409", "409", "409", "ok"]
    db.session.expire_all()
    a = db.session.get(Application, app_id)
    assert a.status in ("offered", "rejected") and a.version == 2
    assert (
        db.session.scalar(
            sa.select(sa.func.count(ApplicationEvent.id)).where(ApplicationEvent.application_id == app_id)
        )
        == 2
    )
    assert (
        db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.user_id == graduate_user_id))
        == 1
    )


def test_withdraw_racing_an_offer(app, scene, application):
    app_id, employer_user_id, graduate_user_id = application.id, scene.employer_user.id, scene.graduate_user.id
    graduate_id = scene.graduate.id

    def act(k: int) -> None:
        a = db.session.get(Application, app_id)
        if k % 2:
            services.withdraw(db.session.get(Graduate, graduate_id), a, db.session.get(User, graduate_user_id))
        else:
            services.transition(a, "offered", db.session.get(User, employer_user_id), actor="employer")

    outcomes = _race(app, 2, act)
    assert sorted(outcomes) == ["409", "ok"]
    db.session.expire_all()
    assert db.session.get(Application, app_id).version == 2


def test_double_submit_applies_once(app, scene):
    graduate_id, posting_id, user_id = scene.graduate.id, scene.posting.id, scene.graduate_user.id

    def apply(k: int) -> None:
        services.apply(
            db.session.get(Graduate, graduate_id), db.session.get(Posting, posting_id), db.session.get(User, user_id)
        )

    outcomes = _race(app, 4, apply)
    assert sorted(outcomes) == ["409", "409", "409", "ok"]
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 1
