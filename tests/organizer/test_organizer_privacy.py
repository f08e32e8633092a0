"""Key-group flags and case records never reach employers, other universities, graduates, anonymous users or feeds.

Every GET route of the app is fetched as each of those users and the responses are searched
for the key-group labels and the key-group graduate's name.
"""

from __future__ import annotations

import pytest
from flask import url_for

from tests.security.test_public_privacy import without_catalogue_majors

SECRETS = ("低收入家庭", "少数民族", "残疾", "重点群体毕业生", "一人一档")
NAME = "隐私测试壬"


@pytest.fixture
def setting(make_university, make_venue, make_fair, make_employer, make_posting, make_graduate, make_user):
    university = make_university(code="PRIV", majors=["计算机科学与技术"])
    venue = make_venue(university=university)
    fair = make_fair(university=university, venue=venue)
    employer = make_employer()
    posting = make_posting(employer=employer)
    case = make_graduate(
        university=university,
        name=NAME,
        low_income=True,
        ethnic_minority=True,
        disability=True,
        visible_to_employers=True,
        share_contact=False,
        intention=dict(
            positions=["Java开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java、Spring Boot",
            statement="想做Java后端开发",
        ),
    )
    organizer = make_user("organizer", university=university)
    users = {
        "employer": make_user("employer", employer=employer),
        "graduate": make_user("graduate", graduate=make_graduate(university=university, name="同学癸")),
        "other_organizer": make_user("organizer", university=make_university(code="ELSE")),
        "anonymous": None,
    }
    values = {
        "fair_id": fair.id,
        "employer_id": employer.id,
        "posting_id": posting.id,
        "graduate_id": case.id,
        "university_id": university.id,
        "venue_id": venue.id,
        "registration_id": 1,
        "code": university.code,
        "kind": "special",
        "season": "2026-autumn",
        "name": "status_upkeep",
        "token": "x" * 43,
        "notification_id": 1,
        "fmt": "csv",
        "what": "graduates",
        "filename": "x.ics",
    }
    return case, organizer, users, values


def _get_urls(app, values):
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or "GET" not in rule.methods:
                continue
            if any(arg not in values for arg in rule.arguments):
                continue
            urls.append(url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
    return urls


def _leaks(client, urls, name, labels=True):
    found = []
    for url in urls:
        response = client.get(url, query_string={"university": "PRIV"})
        body = response.get_data(as_text=True) if not response.data[:2] == b"PK" else ""
        body = without_catalogue_majors(body)
        for secret in (*SECRETS, name) if labels else (name,):
            if secret in body:
                found.append(f"{url} ({response.status_code}) shows {secret!r}")
    return found


def test_nobody_else_sees_key_groups(app, client, auth, setting):
    case, _organizer, users, values = setting
    urls = _get_urls(app, values)
    assert f"/org/key-group/{case.id}" in urls and len(urls) > 20
    failures = []
    for role, user in users.items():
        if user is not None:
            auth.login(user)
        # Another university's organizer sees the labels on their own pages (column headers of their
        # own data) but never this graduate; everyone else sees neither the labels nor the name.
        failures += [f"{role}: {leak}" for leak in _leaks(client, urls, NAME, labels=role != "other_organizer")]
        for url in (f"/org/key-group/{case.id}", "/org/key-group", "/org/exports/graduates.csv"):
            code = client.get(url).status_code
            expected = {"anonymous": (302,), "other_organizer": (200, 404)}.get(role, (403,))
            if code not in expected:
                failures.append(f"{role}: {url} answered {code}")
        if user is not None:
            auth.logout()
    assert not failures, "\n".join(failures)


def test_the_check_can_fail(app, client, auth, setting):
    """The same walk as the university's own organizer does find the flags and the name."""
    case, organizer, _users, values = setting
    auth.login(organizer)
    leaks = _leaks(client, [f"/org/key-group/{case.id}", "/org/key-group", "/org/exports/graduates.csv"], NAME)
    assert any("低收入家庭" in leak for leak in leaks) and any(NAME in leak for leak in leaks)
