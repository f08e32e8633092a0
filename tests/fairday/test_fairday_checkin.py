"""Check-in passes: signature, binding to fair, person and day, replay; the organizer's check-in page."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairday import passes, services
from recruit.fairs.models import FairCheckin, FairRegistration, FairSignup
from tests.fairday.conftest import FAIR_DAY


def _check(fair, text, user=None):
    return services.check_in(fair, text, user, today=FAIR_DAY)


def test_employer_and_graduate_pass_check_in_once_then_say_already(app, day, on_the_day):
    fair = day["fair"]
    token, code = services.registration_pass(day["registration"])
    first = _check(fair, token, day["organizer"])
    assert (first.already, first.kind, first.name) == (False, "employer", "黔云科技")
    again = _check(fair, code)  # the same person by short code: already checked in, with the first time
    assert again.already and again.at == first.at
    g_token, g_code = services.signup_pass(day["signup"])
    assert not _check(fair, g_code).already
    assert _check(fair, g_token).already
    assert db.session.scalar(sa.select(sa.func.count(FairCheckin.id))) == 2
    row = db.session.scalar(sa.select(FairCheckin).where(FairCheckin.registration_id == day["registration"].id))
    assert (row.via, row.checked_in_by_id) == ("qr", day["organizer"].id)


def test_short_code_is_forgiving_about_case_spaces_and_lookalikes(app, day, on_the_day):
    _, code = services.registration_pass(day["registration"])
    typed = " " + code.lower().replace("-", " ") + " "
    assert _check(day["fair"], typed).kind == "employer"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: "",
        lambda t: "\x00" * 5,
        lambda t: "E99999999999-ABCDE",
        lambda t: "9" * 3000,
    ],
)
def test_forged_or_garbled_passes_are_refused(app, day, on_the_day, mutate):
    token, _ = services.registration_pass(day["registration"])
    with pytest.raises(ServiceError) as error:
        _check(day["fair"], mutate(token))
    assert error.value.field == "code"
    assert db.session.scalar(sa.select(sa.func.count(FairCheckin.id))) == 0


def test_a_token_signed_with_another_key_is_refused(app, day, on_the_day):
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("not-the-key", salt=passes.SALT).dumps(
        ["E", day["registration"].id, day["fair"].id, "2026-12-08"]
    )
    with pytest.raises(ServiceError, match="无法识别"):
        _check(day["fair"], forged)


def test_a_wrong_short_code_mac_is_refused(app, day, on_the_day):
    _, code = services.registration_pass(day["registration"])
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ServiceError, match="签到码不正确"):
        _check(day["fair"], wrong)


def test_pass_of_another_fair_is_refused_with_its_name(app, day, make_fair, on_the_day):
    other = make_fair(university=day["university"], day=FAIR_DAY, start=time(9), title="另一场")
    token, code = services.registration_pass(day["registration"])
    for text in (token, code):
        with pytest.raises(ServiceError, match="另一场招聘会的签到码（计算机专场）"):
            _check(other, text)


def test_pass_is_bound_to_the_day_rescheduling_invalidates_it(app, day, on_the_day):
    fair = day["fair"]
    token, code = services.registration_pass(day["registration"])
    fair.starts_at += timedelta(days=1)
    fair.ends_at += timedelta(days=1)
    db.session.commit()
    with pytest.raises(ServiceError, match="招聘会已改期"):
        services.check_in(fair, token, None, today=FAIR_DAY + timedelta(days=1))
    with pytest.raises(ServiceError, match="签到码不正确或已过期"):
        services.check_in(fair, code, None, today=FAIR_DAY + timedelta(days=1))
    new_token, _ = services.registration_pass(day["registration"])
    assert not services.check_in(fair, new_token, None, today=FAIR_DAY + timedelta(days=1)).already


@pytest.mark.parametrize("today", [FAIR_DAY - timedelta(days=1), FAIR_DAY + timedelta(days=1)])
def test_pass_only_works_on_the_fair_day(app, day, today):
    token, _ = services.registration_pass(day["registration"])
    with pytest.raises(ServiceError, match="今天不是该招聘会的举办日"):
        services.check_in(day["fair"], token, None, today=today)


@pytest.mark.parametrize(
    "status, message",
    [
        ("withdrawn", "单位已撤回展位申请"),
        ("rejected", "展位申请未通过"),
        ("pending", "展位申请尚未审核"),
    ],
)
def test_registration_not_approved_is_refused_with_the_reason(app, day, on_the_day, status, message):
    token, _ = services.registration_pass(day["registration"])
    day["registration"].status = status
    db.session.commit()
    with pytest.raises(ServiceError, match=message):
        _check(day["fair"], token)


@pytest.mark.parametrize("status, message", [("cancelled", "已取消报名"), ("waitlisted", "候补名单")])
def test_signup_not_confirmed_is_refused_with_the_reason(app, day, on_the_day, status, message):
    token, _ = services.signup_pass(day["signup"])
    day["signup"].status = status
    db.session.commit()
    with pytest.raises(ServiceError, match=message):
        _check(day["fair"], token)


def test_cancelled_fair_refuses_check_in(app, day, on_the_day):
    token, _ = services.registration_pass(day["registration"])
    day["fair"].status = "cancelled"
    db.session.commit()
    with pytest.raises(ServiceError, match="该招聘会已取消"):
        _check(day["fair"], token)


def test_pages_show_the_pass_qr_and_short_code(app, client, auth, day, on_the_day):
    auth.login(day["employer_user"])
    page = client.get(f"/fairday/registrations/{day['registration'].id}").get_data(as_text=True)
    _, code = services.registration_pass(day["registration"])
    assert "<svg" in page and code in page
    auth.logout()
    auth.login(day["graduate_user"])
    page = client.get(f"/fairday/signups/{day['signup'].id}").get_data(as_text=True)
    assert "<svg" in page and services.signup_pass(day["signup"])[1] in page


def test_organizer_checks_in_by_form_and_json(app, client, auth, day, on_the_day):
    auth.login(day["organizer"])
    page = client.get(f"/fairday/{day['fair'].id}/checkin")
    assert page.status_code == 200
    assert "camera=(self)" in page.headers["Permissions-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert "vendor/jsqr/jsQR.js" in html and "<script>" not in html
    _, code = services.registration_pass(day["registration"])
    response = client.post(f"/fairday/{day['fair'].id}/checkin", data={"code": code}, follow_redirects=True)
    assert "签到成功：黔云科技（展位 1）" in response.get_data(as_text=True)
    response = client.post(
        f"/fairday/{day['fair'].id}/checkin", data={"code": code}, headers={"Accept": "application/json"}
    )
    data = response.get_json()
    assert data["ok"] and data["already"] and "已签到" in data["message"] and data["counts"]["employers_in"] == 1
    response = client.post(
        f"/fairday/{day['fair'].id}/checkin", data={"code": "G1-AAAAA"}, headers={"Accept": "application/json"}
    )
    assert response.status_code in (404, 409) and response.get_json()["ok"] is False


def test_scan_url_of_a_pass_leads_to_the_confirmation(app, client, auth, day, on_the_day):
    token, _ = services.registration_pass(day["registration"])
    auth.login(day["organizer"])
    page = client.get(f"/fairday/scan?t={token}").get_data(as_text=True)
    assert token in page and f"/fairday/{day['fair'].id}/checkin" in page
    assert client.get("/fairday/scan?t=garbage.x").status_code == 404


def test_organizer_of_another_university_cannot_check_in(app, client, auth, day, make_user, on_the_day):
    auth.login(make_user("organizer"))
    _, code = services.registration_pass(day["registration"])
    assert client.post(f"/fairday/{day['fair'].id}/checkin", data={"code": code}).status_code == 404
    token, _ = services.registration_pass(day["registration"])
    assert client.get(f"/fairday/scan?t={token}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(FairCheckin.id))) == 0


def test_online_entry_records_attendance_and_redirects(app, client, auth, make_fair, day, on_the_day):
    online = make_fair(
        university=day["university"], format="online", day=FAIR_DAY, online_url="https://meet.example.com/x"
    )
    registration = FairRegistration(fair=online, employer=day["employer"], status="approved", booth_number=1)
    db.session.add(registration)
    db.session.add(FairSignup(fair_id=online.id, graduate_id=day["graduate"].id, status="confirmed"))
    db.session.commit()
    for user in (day["employer_user"], day["graduate_user"]):
        auth.login(user)
        response = client.get(f"/fairday/{online.id}/enter")
        assert response.status_code == 302 and response.headers["Location"] == "https://meet.example.com/x"
        client.get(f"/fairday/{online.id}/enter")  # twice: still one record
        auth.logout()
    rows = db.session.scalars(sa.select(FairCheckin).where(FairCheckin.fair_id == online.id)).all()
    assert sorted(r.via for r in rows) == ["online", "online"]
    assert services.checkin_counts(online)["employers_in"] == 1


def test_online_entry_outside_the_fair_records_nothing(app, client, auth, make_fair, day, day_before):
    online = make_fair(
        university=day["university"], format="online", day=FAIR_DAY, online_url="https://meet.example.com/x"
    )
    db.session.add(FairRegistration(fair=online, employer=day["employer"], status="approved", booth_number=1))
    db.session.commit()
    auth.login(day["employer_user"])
    assert client.get(f"/fairday/{online.id}/enter").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(FairCheckin.id))) == 0


def test_passes_are_sent_once_per_fair_day(app, day, make_employer, make_user, day_before):
    from recruit import signals
    from recruit.fairs import services as fairs_services
    from recruit.fairs import registrations
    from recruit.notifications.models import Notification

    def passes_of(user):
        return db.session.scalars(
            sa.select(Notification.link).where(Notification.user_id == user.id, Notification.kind == "checkin_pass")
        ).all()

    fair = day["fair"]
    employer = make_employer()
    hr = make_user("employer", employer=employer)
    registration = FairRegistration(fair=fair, employer=employer, status="pending")
    db.session.add(registration)
    db.session.commit()
    registrations.decide_registration(registration, approve=True)
    assert passes_of(hr) == [f"/fairday/registrations/{registration.id}"]
    signals.fair_changed.send(fair, change="registration")  # another booth change: nothing new
    db.session.commit()
    assert len(passes_of(hr)) == 1
    data = fairs_services.FairData(
        kind="special",
        title=fair.title,
        format="onsite",
        starts_at=fair.starts_at + timedelta(days=1),
        ends_at=fair.ends_at + timedelta(days=1),
        venue_id=fair.venue_id,
        booth_capacity=30,
    )
    fairs_services.update_fair(fair, data)
    assert len(passes_of(hr)) == 2  # a new day: a new pass
    assert passes_of(day["graduate_user"]) == [f"/fairday/signups/{day['signup'].id}"]


def test_a_confirmed_sign_up_gets_its_pass(app, day, make_graduate, make_user, day_before):
    from recruit.notifications.models import Notification

    graduate = make_graduate()
    user = make_user("graduate", graduate=graduate)
    signup = services.sign_up(day["fair"], graduate)
    links = db.session.scalars(sa.select(Notification.link).where(Notification.user_id == user.id)).all()
    assert links == [f"/fairday/signups/{signup.id}"]
