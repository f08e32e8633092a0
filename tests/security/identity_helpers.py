"""Helpers for the identity attack tests (issue 12 items 1-4): a real SMTP sink, cookies."""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def bodies(self, to: str | None = None) -> list[str]:
        out = []
        for envelope in self.messages:
            if to is None or to in envelope.rcpt_tos:
                msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                out.append(msg.get_content())
        return out

    def link(self, to: str, pattern: str = r"http://recruit\.test(/password/reset/\S+)") -> str:
        found = [m for body in self.bodies(to) for m in re.findall(pattern, body)]
        assert found, f"no link e-mailed to {to}"
        return found[-1]


@pytest.fixture
def mailbox(app):
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield sink
    controller.stop()
    app.config.update(MAIL_SERVER="")


def errors(response) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def signed_in(client) -> bool:
    response = client.get("/dashboard")
    return response.status_code == 200


def copy_cookies(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


class Browser:
    """A test client whose every request starts without a signed-in user cached in ``g``.

    The test's app context is shared by every request of the test (Flask reuses it), and
    Flask-Login caches the loaded user in ``g``: with several browsers in one test, a request
    would otherwise see the previous request's user instead of loading its own cookie's.
    """

    def __init__(self, app):
        self.client = app.test_client()

    def open(self, *args, **kwargs):
        from flask import g

        g.pop("_login_user", None)
        return self.client.open(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self.open(*args, method="GET", **kwargs)

    def post(self, *args, **kwargs):
        return self.open(*args, method="POST", **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


def register(client, kind: str, form: dict, mailbox, **kwargs):
    """Self-register through HTTP: the form, then the e-mailed link (GET shows a button, POST
    completes). Returns the final POST's response (a redirect to the dashboard on success)."""
    response = client.post(f"/register/{kind}", data=form, **kwargs)
    assert 'data-testid="check-email"' in response.get_data(as_text=True), response.get_data(as_text=True)[:2000]
    link = mailbox.link(form["email"].strip().lower(), r"http://recruit\.test(/register/confirm/\S+)")
    assert client.get(link).status_code == 200
    return client.post(link, **kwargs)
