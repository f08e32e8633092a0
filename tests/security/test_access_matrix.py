"""Walk every route with every role (and anonymous) and check the allowed/forbidden outcome."""

from __future__ import annotations


import pytest

from tests.security.access_rules import EXPECTED, PUBLIC

ROLES = ("anonymous", "admin", "organizer", "employer", "graduate")


def _endpoints(app):
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_route_has_an_expected_rule(app):
    endpoints = _endpoints(app)
    missing = sorted(endpoints - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not missing, f"routes without an entry in tests/security/access_rules.py: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_declarations_match_the_matrix(app):
    """The @access declaration of each view says the same as the hand-written matrix."""
    for endpoint in _endpoints(app):
        declared = app.view_functions[endpoint].access_roles
        expected = EXPECTED[endpoint]
        if expected == PUBLIC:
            assert declared == {"public"}, endpoint
        elif "any_user" in declared:
            assert expected == frozenset({"admin", "organizer", "employer", "graduate"}), endpoint
        else:
            assert declared == expected, endpoint


@pytest.fixture
def world(make_user, make_university, make_venue, make_fair, make_employer, make_posting, make_graduate):
    """One of everything, owned by the users below, so URLs with ids resolve."""
    university = make_university(code="GZU")
    venue = make_venue(university=university)
    employer = make_employer()
    posting = make_posting(employer=employer)
    graduate = make_graduate(
        university=university,
        intention=dict(
            positions=["Java开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java",
            statement="想做后端开发",
        ),
    )
    fair = make_fair(university=university, venue=venue)
    users = {
        "admin": make_user("admin"),
        "organizer": make_user("organizer", university=university),
        "employer": make_user("employer", employer=employer),
        "graduate": make_user("graduate", graduate=graduate),
    }
    from recruit.fairs.models import FairRegistration
    from recruit.extensions import db

    registration = FairRegistration(fair=fair, employer=employer, status="pending")
    db.session.add(registration)
    db.session.commit()
    from recruit.fairs.models import FairRepresentative, FairSignup

    signup = FairSignup(fair_id=fair.id, graduate_id=graduate.id, status="confirmed")
    representative = FairRepresentative(registration_id=registration.id, name="张三", phone="13800000000")
    db.session.add_all([signup, representative])
    db.session.commit()
    values = {
        "fair_id": fair.id,
        "employer_id": employer.id,
        "posting_id": posting.id,
        "graduate_id": graduate.id,
        "university_id": university.id,
        "venue_id": venue.id,
        "registration_id": registration.id,
        "code": university.code,
        "kind": "special",
        "season": "2026-autumn",
        "name": "status_upkeep",
        "token": "x" * 43,
        "notification_id": 1,
        "fmt": "csv",
        "what": "graduates",
        "filename": "x.ics",
        "record_id": 1,
        "step": "collect",
        "report_id": 1,
        "sample_id": 1,
        "session_id": 999999,
        "signup_id": signup.id,
        "representative_id": representative.id,
        "application_id": 1,
        "invitation_id": 1,
        "organizer_invitation_id": 1,
        "user_id": users["organizer"].id,
        "job_id": 1,
    }
    return users, values


def _url_for(app, rule, values):
    from flask import url_for

    args = {}
    for arg in rule.arguments:
        if arg not in values:
            pytest.fail(f"the access matrix has no value for URL argument {arg!r} of {rule.endpoint}")
        args[arg] = values[arg]
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", "")


def test_every_route_with_every_role(app, client, auth, world):
    users, values = world
    failures = []
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    for role in ROLES:
        if role != "anonymous":
            auth.login(users[role])
        for rule in rules:
            expected = EXPECTED[rule.endpoint]
            allowed = expected == PUBLIC or role in expected
            url = _url_for(app, rule, values)
            method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
            if rule.endpoint in ("auth.logout", "auth.set_language", "auth.end_all_sessions"):
                continue  # would end the session mid-walk; covered in tests/auth
            response = client.open(url, method=method)
            code = response.status_code
            if code >= 500:
                failures.append(f"{role} {method} {url}: server error {code}")
            elif allowed and (code == 403 or _is_login_redirect(response)):
                failures.append(f"{role} {method} {url}: refused ({code}) but should be allowed")
            elif not allowed and role == "anonymous" and not _is_login_redirect(response):
                failures.append(f"{role} {method} {url}: expected a redirect to login, got {code}")
            elif not allowed and role != "anonymous" and code != 403:
                failures.append(f"{role} {method} {url}: expected 403, got {code}")
        if role != "anonymous":
            auth.logout()
    assert not failures, "\n".join(failures)


def test_logout_and_language_need_post(client):
    assert client.get("/logout").status_code == 405
    assert client.get("/lang/en").status_code == 405
