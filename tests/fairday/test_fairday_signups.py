"""Graduates' sign-ups: capacity, a waiting list that moves up by itself, and what graduates see."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairday import services
from recruit.fairs.models import FairSignup
from recruit.notifications.models import Notification


@pytest.fixture
def small(day, make_graduate, make_user):
    fair = day["fair"]
    fair.signup_capacity = 2
    db.session.commit()
    grads = [make_graduate(university=day["university"], name=f"毕业生{i}") for i in range(4)]
    users = [make_user("graduate", graduate=g) for g in grads]
    return fair, grads, users


def _statuses(fair):
    return dict(
        db.session.execute(
            sa.select(FairSignup.graduate_id, FairSignup.status).where(FairSignup.fair_id == fair.id)
        ).all()
    )


def test_capacity_then_waiting_list_in_order(app, day, small, day_before):
    fair, grads, _ = small
    results = [services.sign_up(fair, g).status for g in grads]
    # day["graduate"] already holds one of the two places
    assert results == ["confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [
        services.waitlist_position(db.session.scalar(sa.select(FairSignup).where(FairSignup.graduate_id == g.id)))
        for g in grads[1:]
    ] == [1, 2, 3]


def test_cancelling_moves_the_first_waiting_up_and_tells_them(app, day, small, day_before):
    fair, grads, users = small
    for g in grads:
        services.sign_up(fair, g)
    promoted = services.cancel_signup(day["signup"])
    assert [s.graduate_id for s in promoted] == [grads[1].id]
    assert _statuses(fair)[grads[1].id] == "confirmed" and _statuses(fair)[grads[2].id] == "waitlisted"
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == users[1].id))
    assert note is not None and note.kind == "signup_promoted"
    assert services.checkin_counts(fair)["graduates"] == 2


def test_raising_the_capacity_moves_the_list_up(app, day, small, day_before):
    fair, grads, _ = small
    for g in grads:
        services.sign_up(fair, g)
    promoted = services.set_capacities(fair, 4, 3)
    assert [s.graduate_id for s in promoted] == [grads[1].id, grads[2].id]
    assert services.checkin_counts(fair) | {} == services.checkin_counts(fair)
    assert services.checkin_counts(fair)["graduates"] == 4 and services.checkin_counts(fair)["waitlisted"] == 1
    services.set_capacities(fair, None, 3)  # no limit: everyone in
    assert services.checkin_counts(fair)["waitlisted"] == 0


@pytest.mark.parametrize(
    "capacity, reps, message",
    [
        (1, 3, "上限不能少于此数"),
        (0, 3, "1 到 100000"),
        (3, 0, "1 到 20"),
        (3, 21, "1 到 20"),
    ],
)
def test_capacity_validation(app, day, small, day_before, capacity, reps, message):
    fair, grads, _ = small
    services.sign_up(fair, grads[0])
    with pytest.raises(ServiceError, match=message):
        services.set_capacities(fair, capacity, reps)


def test_sign_up_twice_and_after_cancelling(app, day, small, day_before):
    fair, grads, _ = small
    services.sign_up(fair, grads[0])
    with pytest.raises(ServiceError, match="已报名"):
        services.sign_up(fair, grads[0])
    signup = db.session.scalar(sa.select(FairSignup).where(FairSignup.graduate_id == grads[0].id))
    services.cancel_signup(signup)
    again = services.sign_up(fair, grads[0])
    assert again.id == signup.id and again.status == "confirmed"


@pytest.mark.parametrize("status", ["draft", "cancelled", "held"])
def test_only_published_future_fairs_take_sign_ups(app, day, small, day_before, status):
    fair, grads, _ = small
    fair.status = status
    db.session.commit()
    with pytest.raises(ServiceError, match="不接受报名"):
        services.sign_up(fair, grads[0])


def test_routes_sign_up_show_matched_first_and_cancel(app, client, auth, day, small, make_employer, day_before):
    fair, grads, users = small
    auth.login(users[0])
    page = client.get(f"/fairday/{fair.id}/signup").get_data(as_text=True)
    assert "黔云科技" in page and "我要报名" in page
    response = client.post(f"/fairday/{fair.id}/signup", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "报名成功" in html and "<svg" in html
    signup = db.session.scalar(sa.select(FairSignup).where(FairSignup.graduate_id == grads[0].id))
    assert client.post(f"/fairday/signups/{signup.id}/cancel", follow_redirects=True).status_code == 200
    db.session.expire_all()
    assert db.session.get(FairSignup, signup.id).status == "cancelled"
    assert "我的报名" in client.get("/fairday/mine").get_data(as_text=True)


def test_a_graduate_cannot_see_or_cancel_another_graduates_sign_up(app, client, auth, day, small, day_before):
    _, _, users = small
    auth.login(users[0])
    assert client.get(f"/fairday/signups/{day['signup'].id}").status_code == 404
    assert client.post(f"/fairday/signups/{day['signup'].id}/cancel").status_code == 404
    db.session.expire_all()
    assert db.session.get(FairSignup, day["signup"].id).status == "confirmed"
