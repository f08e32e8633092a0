"""Password rules and the reset by e-mail (issue 12 item 4, issue 15 "Everyone")."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import time_machine

from recruit.auth.models import User
from recruit.extensions import db
from tests.conftest import PASSWORD, credit_code
from tests.security.identity_helpers import Browser, errors, mailbox, signed_in  # noqa: F401

WEAK = (
    "密码太容易被猜到（常见密码、简单序列或与您的邮箱、姓名相近）。请使用更长、不常见的词组合，例如三四个不相关的词。"
)
NEW = "Wanfenglin-cable-orchid-8"


@pytest.mark.parametrize(
    "password", ["12345678", "password", "password123", "qwerty123", "11111111", "woaini1314", "hr@yunshang"]
)
def test_weak_passwords_are_refused_at_registration(client, password):
    form = dict(
        name="贵州云上数据科技有限公司",
        credit_code=credit_code(5),
        industry="大数据电子信息",
        city="贵阳",
        contact_name="李女士",
        contact_phone="0851-12345678",
        description="",
        email="hr@yunshang.example",
        password=password,
        password2=password,
    )
    response = client.post("/register/employer", data=form)
    assert WEAK in errors(response)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


@pytest.mark.parametrize("password", ["12345678", "password"])
def test_weak_passwords_are_refused_at_change(client, auth, make_user, password):
    user = make_user("organizer")
    auth.login(user)
    response = client.post(
        "/account",
        data={
            "p-current_password": PASSWORD,
            "p-password": password,
            "p-password2": password,
            "p-submit_password": "1",
        },
    )
    assert WEAK in errors(response)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_reset_link_works_once_and_ends_every_session(app, make_user, mailbox):  # noqa: F811
    user = make_user("employer", email="owner@example.com")
    elsewhere = Browser(app)
    elsewhere.post("/login", data={"email": user.email, "password": PASSWORD})
    asker = Browser(app)
    response = asker.post("/password/forgot", data={"email": "OWNER@example.com"}, follow_redirects=True)
    assert "如果该邮箱对应一个账号，我们已向它发送了重设密码的链接" in response.get_data(as_text=True)
    link = mailbox.link("owner@example.com")
    page = asker.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert asker.post(link, data={"password": NEW, "password2": NEW}).status_code == 302
    db.session.refresh(user)
    assert user.check_password(NEW)
    assert not signed_in(elsewhere)
    # Replay: the link is bound to the old password hash.
    replay = asker.post(
        link, data={"password": "Another-river-stone-9", "password2": "Another-river-stone-9"}, follow_redirects=True
    )
    assert "该重设密码链接无效或已使用，请重新申请。" in replay.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(NEW)


def test_reset_link_expires(app, make_user, mailbox):  # noqa: F811
    user = make_user("graduate", email="late@example.com")
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        Browser(app).post("/password/forgot", data={"email": user.email})
        link = mailbox.link(user.email)
    with time_machine.travel("2026-12-01 09:01 +0000", tick=False):
        response = Browser(app).post(link, data={"password": NEW, "password2": NEW}, follow_redirects=True)
    assert "该重设密码链接已过期，请重新申请。" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_forged_link_is_refused(app, make_user):
    make_user("admin")
    response = Browser(app).get("/password/reset/eyJ1IjoxfQ.forged.signature", follow_redirects=True)
    assert "该重设密码链接无效或已使用，请重新申请。" in response.get_data(as_text=True)


def test_reset_request_for_unknown_email_answers_the_same_and_sends_nothing(app, mailbox):  # noqa: F811
    response = Browser(app).post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert "如果该邮箱对应一个账号，我们已向它发送了重设密码的链接" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_reset_lets_the_slowed_owner_in_at_once(app, make_user, mailbox):  # noqa: F811
    user = make_user("admin", email="boss@example.com")
    attacker = Browser(app)
    for _ in range(8):
        attacker.post(
            "/login", data={"email": user.email, "password": "guess"}, environ_base={"REMOTE_ADDR": "203.0.113.5"}
        )
    owner = Browser(app)
    owner.post("/password/forgot", data={"email": user.email})
    owner.post(mailbox.link(user.email), data={"password": NEW, "password2": NEW})
    assert owner.post("/login", data={"email": user.email, "password": NEW}).status_code == 302


def test_reset_requests_cannot_flood_a_mailbox(app, make_user, mailbox):  # noqa: F811
    user = make_user("organizer", email="flooded@example.com")
    for n in range(6):
        response = Browser(app).post(
            "/password/forgot",
            data={"email": user.email},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
            follow_redirects=True,
        )
        assert "如果该邮箱对应一个账号，我们已向它发送了重设密码的链接" in response.get_data(as_text=True)
    assert len(mailbox.bodies("flooded@example.com")) == 3
