"""Login throttling and enumeration (issue 12 item 3), attacked through HTTP."""

from __future__ import annotations

import threading

import time_machine

from config import TestConfig
from recruit import create_app
from recruit.auth import passwords
from recruit.auth.services import ACCOUNT_SLOWED
from tests.conftest import PASSWORD
from tests.security.identity_helpers import Browser, errors


def _guess(client, email, password="wrong-guess", address=None):
    kwargs = {"environ_base": {"REMOTE_ADDR": address}} if address else {}
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_own_successes_do_not_reset_the_address_counter(app, make_user):
    """The attack: interleave one's own good login between guesses (57 guesses got through)."""
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20
    mine = make_user("graduate")
    attacker = Browser(app)
    checked = 0
    for i in range(60):
        # a different victim each time: only the address counter applies
        if _guess(attacker, f"victim{i}@example.com").status_code != 429:
            checked += 1
        attacker.post("/login", data={"email": mine.email, "password": PASSWORD})
        attacker.post("/logout")
    assert checked == 20


def test_the_owner_is_slowed_not_locked_out_and_offered_a_reset(app, make_user):
    owner = make_user("admin")
    attacker, real = Browser(app), Browser(app)
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        for _ in range(12):
            _guess(attacker, owner.email, address="203.0.113.9")
        response = _guess(real, owner.email, PASSWORD, address="198.51.100.7")
        assert response.status_code == 429
        assert 'data-testid="offer-reset"' in response.get_data(as_text=True)
    # The delay is bounded (LOGIN_MAX_DELAY_SECONDS, 5 minutes), not 15 minutes of lock-out.
    with time_machine.travel("2026-12-01 08:05:01 +0000", tick=False):
        assert _guess(real, owner.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_delay_doubles_with_each_failure(app, make_user):
    owner = make_user("admin")
    client = Browser(app)
    seen = []
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False) as traveller:
        for _ in range(5):
            _guess(client, owner.email)
        for _ in range(4):
            message = errors(_guess(client, owner.email))[0]
            seen.append(int(message.split("请 ")[1].split(" 秒")[0]))
            traveller.shift(seen[-1])
            assert _guess(client, owner.email).status_code == 200  # one guess after the wait
    assert seen == [30, 60, 120, 240]


def test_the_window_in_the_message_comes_from_the_configuration(app):
    app.config.update(LOGIN_MAX_FAILURES_PER_ADDRESS=2, LOGIN_THROTTLE_WINDOW_SECONDS=600)
    client = Browser(app)
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        _guess(client, "a@example.com")
        _guess(client, "b@example.com")
        response = _guess(client, "c@example.com")
    assert response.status_code == 429
    assert errors(response) == ["此网络地址在 10 分钟内的登录失败次数过多，请 10 分钟后再试。"]


class ProxiedConfig(TestConfig):
    TRUSTED_PROXIES = 1


def test_behind_a_trusted_proxy_each_client_has_its_own_address(app):
    proxied = create_app(ProxiedConfig)
    proxied.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    with proxied.app_context():
        client = proxied.test_client()
        for _ in range(3):
            client.post(
                "/login",
                data={"email": "x@example.com", "password": "x"},
                headers={"X-Forwarded-For": "203.0.113.1"},
                environ_base={"REMOTE_ADDR": "10.0.0.2"},
            )
        blocked = client.post(
            "/login",
            data={"email": "y@example.com", "password": "x"},
            headers={"X-Forwarded-For": "203.0.113.1"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
        other = client.post(
            "/login",
            data={"email": "y@example.com", "password": "x"},
            headers={"X-Forwarded-For": "198.51.100.5"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
    assert blocked.status_code == 429 and other.status_code == 200


def test_without_trusted_proxies_a_forged_header_changes_nothing(app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 2
    client = Browser(app)
    for n in range(2):
        client.post(
            "/login", data={"email": "x@example.com", "password": "x"}, headers={"X-Forwarded-For": f"1.2.3.{n}"}
        )
    response = client.post(
        "/login", data={"email": "x@example.com", "password": "x"}, headers={"X-Forwarded-For": "1.2.3.99"}
    )
    assert response.status_code == 429
    assert app.config["TRUSTED_PROXIES"] == 0


def test_unknown_email_costs_a_password_hash_too(app, make_user, monkeypatch):
    """Timing: the unknown-e-mail path must hash (not a timed test: the call is counted)."""
    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    client = Browser(app)
    response = _guess(client, "nobody-here@example.com")
    assert errors(response) == ["邮箱或密码错误。"]
    assert len(calls) == 1 and calls[0].startswith("scrypt:32768:8:1$")  # the same cost as a real account


def test_a_slow_early_failure_does_not_lift_the_hold_of_a_later_one(app, make_user, monkeypatch):
    """The interleaving behind the 6-of-10 race, made deterministic (both databases): guess 1
    is taken, and while its password is being checked guesses 2-5 are taken and checked;
    guess 1's failure then must not clear the hold that guess 5 set, so guess 6 waits."""
    owner = make_user("admin")
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 5
    real = passwords.verify
    checked: list[int] = []
    later: list[int] = []

    def verify(user, password):
        checked.append(len(checked) + 1)
        if len(checked) == 1:  # guess 1 is slow: the next four overtake it
            later.extend(_guess(Browser(app), owner.email).status_code for _ in range(4))
        return real(user, password)

    monkeypatch.setattr(passwords, "verify", verify)
    with time_machine.travel("2026-12-01 08:00 +0000", tick=False):
        first = _guess(Browser(app), owner.email)
        sixth = _guess(Browser(app), owner.email)
    assert (first.status_code, later) == (200, [200, 200, 200, 200])
    assert sixth.status_code == 429
    assert checked == [1, 2, 3, 4, 5]
    assert errors(sixth) == [ACCOUNT_SLOWED % {"seconds": 30}]


def _race(app, emails, n):
    barrier = threading.Barrier(n)
    codes: list[int] = []

    def attempt(email):
        client = app.test_client()
        barrier.wait()
        codes.append(client.post("/login", data={"email": email, "password": "wrong-guess"}).status_code)

    threads = [threading.Thread(target=attempt, args=(e,)) for e in emails]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def test_concurrent_guesses_on_one_account_never_exceed_the_limit(app, make_user):
    owner = make_user("admin")
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 5
    codes = _race(app, [owner.email] * 10, 10)
    assert len(codes) == 10
    assert codes.count(200) == 5 and codes.count(429) == 5, codes


def test_concurrent_guesses_from_one_address_never_exceed_the_limit(app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    codes = _race(app, [f"v{i}@example.com" for i in range(10)], 10)
    assert codes.count(200) == 4 and codes.count(429) == 6
