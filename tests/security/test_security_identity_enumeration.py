"""Registration does not tell a stranger which e-mail addresses have accounts (issue 12 item 3)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import time_machine

from recruit.auth.models import User
from recruit.extensions import db
from tests.conftest import PASSWORD, credit_code
from tests.security.identity_helpers import Browser, mailbox, register, signed_in  # noqa: F401

STRONG = "Qianling-monkey-bridge-5"


def _employer(email, n):
    return dict(
        name="贵州云上数据科技有限公司",
        credit_code=credit_code(n),
        industry="大数据电子信息",
        city="贵阳",
        contact_name="李女士",
        contact_phone="0851-12345678",
        description="",
        email=email,
        password=STRONG,
        password2=STRONG,
    )


def _graduate(university_id, email):
    return dict(
        university=str(university_id),
        student_number="2023777",
        name="王五",
        major="软件工程",
        degree="本科",
        graduation_year="2027",
        email=email,
        password=STRONG,
        password2=STRONG,
    )


def _page(response, email) -> str:
    text = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"[^>]*>', "", text)


@pytest.mark.parametrize("kind", ["employer", "graduate"])
def test_taken_and_free_addresses_get_the_same_answer(app, make_user, make_university, mailbox, kind):  # noqa: F811
    owner = make_user("admin", email="taken@example.com")
    university = make_university()
    form = (
        (lambda email, n: _employer(email, n))
        if kind == "employer"
        else (lambda email, n: _graduate(university.id, email))
    )
    taken = Browser(app).post(f"/register/{kind}", data=form("taken@example.com", 11))
    free = Browser(app).post(f"/register/{kind}", data=form("free@example.com", 12))
    assert taken.status_code == free.status_code == 200
    assert _page(taken, "taken@example.com") == _page(free, "free@example.com")
    assert "该邮箱已注册" not in taken.get_data(as_text=True)
    # The owner is told instead, and nothing about the account changed.
    assert "已经有账号" in mailbox.bodies("taken@example.com")[0]
    assert "/register/confirm/" not in mailbox.bodies("taken@example.com")[0]
    assert "/register/confirm/" in mailbox.bodies("free@example.com")[0]
    db.session.refresh(owner)
    assert owner.check_password(PASSWORD) and owner.role == "admin"


def test_registration_link_works_once(app, mailbox):  # noqa: F811
    client = Browser(app)
    assert register(client, "employer", _employer("new@example.com", 13), mailbox).status_code == 302
    assert signed_in(client)
    link = mailbox.link("new@example.com", r"http://recruit\.test(/register/confirm/\S+)")
    again = Browser(app).post(link)
    assert again.status_code == 302 and "/login" in again.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_registration_link_expires(app, mailbox):  # noqa: F811
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        Browser(app).post("/register/employer", data=_employer("slow@example.com", 14))
        link = mailbox.link("slow@example.com", r"http://recruit\.test(/register/confirm/\S+)")
    with time_machine.travel("2026-12-02 08:01 +0000", tick=False):
        response = Browser(app).post(link, follow_redirects=True)
    assert "该注册链接无效、已使用或已过期。请直接登录，或重新注册。" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_following_mail_scanner_creates_nothing(app, mailbox):  # noqa: F811
    Browser(app).post("/register/employer", data=_employer("scanned@example.com", 15))
    link = mailbox.link("scanned@example.com", r"http://recruit\.test(/register/confirm/\S+)")
    assert Browser(app).get(link).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


@pytest.mark.parametrize("field", ["name", "contact_name", "city"])
def test_control_characters_in_registration_are_refused(app, mailbox, field):  # noqa: F811
    form = _employer("ctl@example.com", 16)
    form[field] = "贵州\x00科技" if field != "city" else "贵阳\r\nBcc: x@evil.example"
    response = Browser(app).post("/register/employer", data=form)
    # a NUL is refused app-wide (400); a line break in a single-line field is refused by the form
    assert response.status_code in (200, 400)
    # A NUL is refused app-wide (400, nothing sent); a line break in a single-line field becomes a
    # space (recruit.core.inputs), so no header can be injected: nobody but the registrant is mailed.
    assert all(envelope.rcpt_tos == ["ctl@example.com"] for envelope in mailbox.messages)
    assert not any(b"\nBcc:" in envelope.original_content for envelope in mailbox.messages)


def test_nul_in_the_login_email_is_not_a_server_error(app):
    response = Browser(app).post("/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400  # refused before any view runs (recruit.core.inputs)
