"""Bad input never gives a 500 (issue 12, items 10-12): the holes an attacker found, one by one.

The generated fuzz over every route and field is tests/security/test_security_fuzz.py; this
module names each reported case, checks the message the user gets, and what was written.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
import time_machine

from recruit.auth.models import LoginAttempt
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.validation import INT_MAX, page_number, parse_int


@pytest.mark.parametrize(
    "url", ["/universities/%00", "/feeds/u/%00.ics", "/fairs/?university=%00", "/fairs/?q=a%00b", "/fairs/?month=%00"]
)
def test_nul_in_a_url_is_400_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400 and "控制字符" in response.get_data(as_text=True)


def test_nul_in_the_login_email_is_400_and_nothing_is_recorded(client):
    response = client.post("/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 0


@pytest.mark.parametrize(
    "referrer, back",
    [("http://localhost/login?next=%2Fdashboard", True), ("https://elsewhere.example/form", False), (None, False)],
)
def test_a_refused_form_post_offers_to_go_back_to_the_form(client, referrer, back):
    """The form's values are still in the browser's history: the page offers "返回修改" (back to the
    form, as typed) besides the home page; never a link to another site."""
    headers = {"Referer": referrer} if referrer else {}
    html = client.post("/login", data={"email": "a\x00@example.com", "password": "x"}, headers=headers).get_data(
        as_text=True
    )
    assert "控制字符" in html and "返回首页" in html
    assert ("返回修改" in html) is back
    if back:
        assert 'href="http://localhost/login?next=%2Fdashboard" data-history-back' in html
    assert "elsewhere.example" not in html


def test_a_refused_query_has_no_form_to_go_back_to(client):
    html = client.get("/fairs/?q=a%00b", headers={"Referer": "http://localhost/fairs/"}).get_data(as_text=True)
    assert "控制字符" in html and "返回修改" not in html


@pytest.mark.parametrize(
    "url, code",
    [
        ("/fairs/99999999999999999999", 404),
        (f"/fairs/{INT_MAX + 1}", 404),
        ("/fairs/?page=99999999999999999999", 200),
        ("/fairs/?page=-5", 200),
        ("/fairs/?page=abc", 200),
    ],
)
def test_huge_numbers_in_urls(client, url, code):
    assert client.get(url).status_code == code


@pytest.mark.parametrize(
    "headcount, message",
    [
        ("1000000000000000000000000", "应在 1 到 100000 之间"),  # the field's range, not also the column bound
        ("99999999999", "应在 1 到 100000 之间"),
        ("200000", "应在 1 到 100000 之间"),
        ("abc", "请输入整数"),
    ],
)
def test_huge_headcount_is_a_form_error(client, auth, make_user, headcount, message):
    auth.login(make_user("employer"))
    response = client.post(
        "/employers/me/postings/new",
        data={
            "title": "会计",
            "industry": "金融",
            "min_degree": "本科",
            "city": "贵阳",
            "salary_min": "5000",
            "salary_max": "6000",
            "headcount": headcount,
        },
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True) or "Not a valid integer" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0


def test_line_breaks_in_a_single_line_field_become_a_space(client, auth, make_user):
    user = make_user("employer")
    auth.login(user)
    response = client.post(
        "/employers/me/postings/new",
        data={
            "title": "会计\r\nBcc: victim@example.com",
            "industry": "金融",
            "min_degree": "本科",
            "city": "贵阳",
            "salary_min": "5000",
            "salary_max": "6000",
            "headcount": "1",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Posting.title)) == "会计 Bcc: victim@example.com"


@pytest.mark.parametrize(
    "count, message",
    [
        ("abc", "建议数量无效"),
        ("2000000", "建议数量无效"),
        ("-1", "建议数量无效"),
    ],
)
def test_planner_count_is_bounded(client, auth, make_university, make_user, count, message):
    university = make_university(code="PLAN")
    auth.login(make_user("organizer", university=university))
    response = client.post("/compliance/plan", data={"count": count}, follow_redirects=True)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("posting_id", ["1e30", "99999999999999999999", "-1", "abc"])
def test_recommend_with_an_impossible_posting_id(client, auth, make_university, make_graduate, make_user, posting_id):
    from recruit.graduates.models import SchoolRecommendation

    university = make_university()
    graduate = make_graduate(university=university, low_income=True)
    auth.login(make_user("organizer", university=university))
    response = client.post(
        f"/org/key-group/{graduate.id}/recommend", data={"posting_id": posting_id}, follow_redirects=True
    )
    assert response.status_code == 200 and "请选择要推荐的岗位" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRecommendation)) == 0


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    assert client.get("/healthz").status_code == 200

    def down(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"


@pytest.mark.parametrize(
    "role, url",
    [
        ("organizer", "/org/key-group"),
        ("organizer", "/graduates/manage"),
        ("organizer", "/org/imports"),
        ("graduate", "/graduates/me/matches"),
        ("employer", "/employers/me/postings"),
        ("admin", "/dashboard"),
    ],
)
def test_pages_of_signed_in_users_are_not_cached(client, auth, make_university, make_user, role, url):
    university = make_university()
    auth.login(make_user(role, university=university) if role == "organizer" else make_user(role))
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store" and "Cookie" in response.headers.get("Vary", "")


def test_key_group_case_record_is_not_cached(client, auth, make_university, make_graduate, make_user):
    university = make_university()
    graduate = make_graduate(university=university, disability=True)
    auth.login(make_user("organizer", university=university))
    response = client.get(f"/org/key-group/{graduate.id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("5", 5),
        (" 7 ", 7),
        ("abc", None),
        ("1e20", None),
        ("99999999999999999999", None),
        ("-1", None),
        ("", None),
        ("2147483647", INT_MAX),
        ("2147483648", None),
        (None, None),
        ("1.5", None),
        ("٣", None),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value, expected", [("3", 3), ("0", 1), ("-4", 1), ("x", 1), (None, 1), ("9" * 30, 1), ("999999999", 100_000)]
)
def test_page_number(value, expected):
    assert page_number(value) == expected


ONLINE_FAIR = {
    "title": "线上双选会",
    "kind": "special",
    "format": "online",
    "day": "2027-03-12",  # within the booking window (up to the end of next year) of the day below
    "start": "14:00",
    "end": "17:00",
    "venue_id": "0",
    "online_url": "https://meeting.example.com/x",
    "booth_capacity": "30",
    "industry_focus": "",
    "description": "",
    "action": "publish",
}


@time_machine.travel(datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc))
def test_an_online_fair_saved_twice_is_booked_once(client, auth, make_university, make_user):
    from recruit.fairs.models import Fair

    auth.login(make_user("organizer", university=make_university()))
    assert client.post("/fairs/new", data=ONLINE_FAIR).status_code == 302
    response = client.post("/fairs/new", data=ONLINE_FAIR)
    assert response.status_code < 500 and "刚刚已保存过完全相同的招聘会" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair)) == 1
