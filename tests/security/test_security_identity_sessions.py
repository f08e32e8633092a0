"""Sessions can be revoked (issue 12 item 2): logout, password change, remember-me, the list."""

from __future__ import annotations

import sqlalchemy as sa
import time_machine

from recruit.auth.models import UserSession
from recruit.extensions import db
from tests.conftest import PASSWORD
from tests.security.identity_helpers import Browser, copy_cookies, errors, signed_in

NEW_PASSWORD = "Kaiyang-river-lamp-42"


def _login(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return response


def test_old_session_cookie_is_dead_after_logout(app, make_user):
    user = make_user("organizer")
    client, thief = Browser(app), Browser(app)
    _login(client, user)
    copy_cookies(client, thief)
    assert signed_in(thief)  # control: the copy works while the session lives
    client.post("/logout")
    assert not signed_in(thief)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0


def test_password_change_ends_every_session_of_the_account(app, make_user):
    user = make_user("employer")
    laptop, phone, thief = Browser(app), Browser(app), Browser(app)
    _login(laptop, user)
    _login(phone, user)
    copy_cookies(laptop, thief)
    response = laptop.post(
        "/account",
        data={
            "p-current_password": PASSWORD,
            "p-password": NEW_PASSWORD,
            "p-password2": NEW_PASSWORD,
            "p-submit_password": "1",
        },
    )
    assert response.status_code == 302
    assert signed_in(laptop)  # the browser that changed it continues, with a new session
    assert not signed_in(phone)
    assert not signed_in(thief)  # the laptop's old cookie is dead too


def test_remember_me_tokens_differ_per_login_and_die_at_logout(app, make_user):
    user = make_user("graduate")
    first, second = Browser(app), Browser(app)
    _login(first, user, remember=True)
    _login(second, user, remember=True)
    token1, token2 = first.get_cookie("remember_token").value, second.get_cookie("remember_token").value
    assert token1 != token2
    replay = Browser(app)
    replay.set_cookie("remember_token", token1)
    assert signed_in(replay)  # control: a remember-me cookie alone signs in
    first.post("/logout")
    replay = Browser(app)
    replay.set_cookie("remember_token", token1)
    assert not signed_in(replay)
    other = Browser(app)
    other.set_cookie("remember_token", token2)
    assert not signed_in(other)  # logout ends every session of the account, the other login's too


def test_remember_me_expires(app, make_user):
    user = make_user("graduate")
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        client = Browser(app)
        _login(client, user, remember=True)
        token = client.get_cookie("remember_token").value
    with time_machine.travel("2026-12-30 08:00 +0000", tick=False):
        replay = Browser(app)
        replay.set_cookie("remember_token", token)
        assert signed_in(replay)
    with time_machine.travel("2026-12-31 08:01 +0000", tick=False):
        replay = Browser(app)
        replay.set_cookie("remember_token", token)
        assert not signed_in(replay)
    assert app.config["REMEMBER_DAYS"] == 30


def test_idle_session_without_remember_me_expires(app, make_user):
    user = make_user("admin")
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        client = Browser(app)
        _login(client, user)
    with time_machine.travel("2026-12-01 19:00 +0000", tick=False):
        assert signed_in(client)  # used: the idle limit moves on
    with time_machine.travel("2026-12-02 06:30 +0000", tick=False):
        assert signed_in(client)
    with time_machine.travel("2026-12-02 20:00 +0000", tick=False):
        assert not signed_in(client)


def test_account_page_lists_sessions_with_last_use_and_ends_one(app, make_user):
    user = make_user("organizer")
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        laptop = Browser(app)
        phone = Browser(app)
        _login(laptop, user)
        phone.client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (iPhone) Mobile"
        phone.post("/login", data={"email": user.email, "password": PASSWORD})
    with time_machine.travel("2026-12-01 08:00:30 +0000", tick=False):
        assert signed_in(phone)
    rows = db.session.scalars(sa.select(UserSession).order_by(UserSession.id)).all()
    assert rows[1].last_seen_at == rows[1].created_at  # within a minute: not written again
    with time_machine.travel("2026-12-01 09:30 +0000", tick=False):
        assert signed_in(phone)
        db.session.expire_all()
        phone_row = db.session.get(UserSession, rows[1].id)
        assert phone_row.last_seen_at.hour == 9 and phone_row.user_agent.endswith("Mobile")
        page = laptop.get("/account").get_data(as_text=True)
        assert page.count('data-testid="session-row"') == 2 and "iPhone" in page
        assert "17:30" in page  # the phone's last use, in Asia/Shanghai
        assert laptop.post(f"/account/sessions/{phone_row.id}/end").status_code == 302
        assert not signed_in(phone) and signed_in(laptop)


def test_cannot_end_someone_elses_session(app, make_user):
    owner, other = make_user("graduate"), make_user("graduate")
    victim_client, attacker = Browser(app), Browser(app)
    _login(victim_client, owner)
    _login(attacker, other)
    victim_row = db.session.scalar(sa.select(UserSession.id).where(UserSession.user_id == owner.id))
    assert attacker.post(f"/account/sessions/{victim_row}/end").status_code == 404
    assert signed_in(victim_client)


def test_end_all_sessions(app, make_user):
    user = make_user("employer")
    a, b = Browser(app), Browser(app)
    _login(a, user)
    _login(b, user)
    a.post("/account/sessions/end-all")
    assert not signed_in(a) and not signed_in(b)


def test_deactivated_account_loses_its_sessions(app, make_user):
    user = make_user("employer")
    client = Browser(app)
    _login(client, user)
    user.active = False
    db.session.commit()
    assert not signed_in(client)
    assert errors(client.get("/dashboard", follow_redirects=True)) == []
