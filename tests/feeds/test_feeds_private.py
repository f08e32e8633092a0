"""Private token feeds, token regeneration, subscribe boxes in the UI, and privacy."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest

from recruit.extensions import db
from recruit.fairs.models import FairRegistration
from recruit.feeds import services
from recruit.graduates.models import SavedFair
from tests.feeds.conftest import by_uid, parse, unfolded

KEY_GROUP_WORDS = ("低收入", "少数民族", "残疾", "重点群体", "一人一档")


def uid(fair) -> str:
    return f"fair-{fair.id}@recruit.test"


@pytest.fixture
def world(clock, make_university, make_venue, make_fair, make_employer, make_graduate, make_user, make_posting):
    uni = make_university(code="GZU", name="贵州大学")
    venue = make_venue(university=uni, name="体育馆", address="贵阳市花溪区")
    booth = make_fair(university=uni, venue=venue, title="有展位的专场", day=date(2026, 12, 8))
    pending = make_fair(university=uni, venue=venue, title="待审核的专场", day=date(2026, 12, 9))
    saved = make_fair(university=uni, venue=venue, title="收藏的专场", day=date(2026, 12, 10))
    unrelated = make_fair(university=uni, venue=venue, title="无关的专场", day=date(2026, 12, 11))
    employer = make_employer(name="贵州云数据有限公司")
    db.session.add(FairRegistration(fair=booth, employer=employer, status="approved", booth_number=3))
    db.session.add(FairRegistration(fair=pending, employer=employer, status="pending"))
    graduate = make_graduate(
        university=uni,
        name="张三丰",
        student_number="2023999001",
        phone="13800000000",
        email="zsf@example.com",
        low_income=True,
        ethnic_minority=True,
        disability=True,
        intention=dict(
            positions=["Java开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java、Spring Boot",
            statement="想做Java后端开发",
        ),
    )
    db.session.add(SavedFair(graduate_id=graduate.id, fair_id=saved.id))
    db.session.commit()
    employer_user = make_user("employer", employer=employer)
    graduate_user = make_user("graduate", graduate=graduate, display_name="张三丰")
    for user in (employer_user, graduate_user):
        user.regenerate_feed_token()
    db.session.commit()
    return dict(
        uni=uni,
        booth=booth,
        pending=pending,
        saved=saved,
        unrelated=unrelated,
        employer=employer,
        graduate=graduate,
        employer_user=employer_user,
        graduate_user=graduate_user,
        make_posting=make_posting,
    )


def private_url(user) -> str:
    return f"/feeds/p/{user.feed_token}.ics"


def test_token_is_long_and_random(world):
    token = world["employer_user"].feed_token
    assert len(token) >= 22  # base64url: 22 chars = 132 bits; regenerate_feed_token gives 43 (256 bits)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert token != world["graduate_user"].feed_token


def test_employer_feed_has_its_approved_booths(client, world):
    response = client.get(private_url(world["employer_user"]))
    assert response.status_code == 200
    cal = parse(response.data)
    assert set(by_uid(cal)) == {uid(world["booth"])}
    assert cal.contents["x-wr-calname"][0].value == "贵州云数据有限公司 · 参会招聘会"
    cc = response.headers["Cache-Control"]
    assert "private" in cc and "public" not in cc and "no-transform" in cc
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert client.head(private_url(world["employer_user"])).status_code == 200
    etag = response.headers["ETag"]
    assert client.get(private_url(world["employer_user"]), headers={"If-None-Match": etag}).status_code == 304


def test_graduate_feed_without_matches_has_saved_fairs(client, world, monkeypatch):
    monkeypatch.setattr(services, "_matched_employer_ids", lambda graduate: set())
    cal = parse(client.get(private_url(world["graduate_user"])).data)
    assert set(by_uid(cal)) == {uid(world["saved"])}
    assert cal.contents["x-wr-calname"][0].value == "我的招聘会"


def test_graduate_feed_adds_fairs_of_matched_employers(client, world):
    """Runs against the real matchmaking service (another domain): the employer of the top
    match has an approved booth at ``booth``, so that fair joins the graduate's calendar."""
    from recruit.matchmaking.services import matched_employer_ids

    world["make_posting"](
        employer=world["employer"], title="Java后端开发工程师", description="Java后端开发，Spring Boot，MySQL。"
    )
    matched = matched_employer_ids(world["graduate"], top=10)
    assert world["employer"].id in matched
    cal = parse(client.get(private_url(world["graduate_user"])).data)
    assert set(by_uid(cal)) == {uid(world["saved"]), uid(world["booth"])}


def test_graduate_feed_uses_matched_ids(client, world, monkeypatch):
    """The match-based part, independent of how matching ranks."""
    monkeypatch.setattr(services, "_matched_employer_ids", lambda graduate: {world["employer"].id})
    cal = parse(client.get(private_url(world["graduate_user"])).data)
    assert set(by_uid(cal)) == {uid(world["saved"]), uid(world["booth"])}


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 22, "with.dot-but-long-enough-123456", "%00" * 10])
def test_wrong_token_is_404(client, world, token):
    # A NUL byte is refused app-wide before any view (400, recruit/core/inputs.py).
    assert client.get(f"/feeds/p/{token}.ics").status_code == (400 if "%00" in token else 404)


def test_regenerate_revokes_old_url_and_keeps_uids(client, auth, world):
    user = world["employer_user"]
    old_url = private_url(user)
    before = by_uid(parse(client.get(old_url).data))
    auth.login(user)
    response = client.post("/feeds/token")
    assert response.status_code == 302 and "/account" in response.headers["Location"]
    db.session.refresh(user)
    new_url = private_url(user)
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    after = by_uid(parse(client.get(new_url).data))
    assert sorted(before) == sorted(after)


def test_regenerate_needs_csrf(app, client, auth, world):
    user = world["employer_user"]
    token = user.feed_token
    auth.login(user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/feeds/token")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.feed_token == token


def test_regenerate_needs_login(client, world):
    response = client.post("/feeds/token")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inactive_user_feed_is_404(client, world):
    user = world["employer_user"]
    url = private_url(user)
    user.active = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_no_private_data_in_any_feed(client, world, monkeypatch):
    monkeypatch.setattr(services, "_matched_employer_ids", lambda graduate: {world["employer"].id})
    g = world["graduate"]
    urls = [
        "/feeds/fairs.ics",
        "/feeds/u/GZU.ics",
        "/feeds/u/GZU/special.ics",
        "/feeds/u/GZU/large.ics",
        private_url(world["graduate_user"]),
        private_url(world["employer_user"]),
    ]
    urls += [f"/feeds/fair/{world[k].id}.ics" for k in ("booth", "saved", "unrelated")]
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = unfolded(response.data)
        texts.append(text)
        for secret in (g.name, g.student_number, g.phone, g.email, *KEY_GROUP_WORDS):
            assert secret not in text, (url, secret)
    # control: the same search does find public text (employer names sit in folded DESCRIPTIONs)
    assert all("贵州云数据有限公司" in t for t in texts if f"fair-{world['booth'].id}@" in t)


def test_account_page_shows_private_links(client, auth, world):
    user = world["graduate_user"]
    auth.login(user)
    html = client.get("/account").get_data(as_text=True)
    https = f"http://recruit.test/feeds/p/{user.feed_token}.ics"
    webcal = f"webcal://recruit.test/feeds/p/{user.feed_token}.ics"
    assert https in html and webcal in html
    assert "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="") in html
    assert 'action="/feeds/token"' in html and "data-copy=" in html
    assert "csrf_token" in html


def test_account_page_offers_to_create_a_token(client, auth, make_user, clock):
    user = make_user("employer")
    auth.login(user)
    html = client.get("/account").get_data(as_text=True)
    assert "生成私人订阅地址" in html
    client.post("/feeds/token")
    db.session.refresh(user)
    assert user.feed_token and len(user.feed_token) >= 22


def test_university_page_has_subscribe_box(client, world):
    html = client.get("/universities/GZU").get_data(as_text=True)
    webcal = "webcal://recruit.test/feeds/u/GZU.ics"
    assert webcal in html
    assert "http://recruit.test/feeds/u/GZU.ics" in html
    assert "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="") in html
    assert "webcal://recruit.test/feeds/u/GZU/special.ics" in html
    assert "Google" in html and "几个小时" in html


def test_subscribe_partials_render_for_other_pages(app, world):
    from flask import render_template_string

    with app.test_request_context("/fairs/"):
        html = render_template_string(
            '{% with feed_url="https://example.org/feeds/fairs.ics", feed_title="全省" %}'
            '{% include "feeds/_subscribe.html" %}{% endwith %}'
            '{% include "feeds/_fair_ics_link.html" %}',
            fair=world["booth"],
        )
    assert "webcal://example.org/feeds/fairs.ics" in html
    assert 'value="https://example.org/feeds/fairs.ics"' in html
    assert "订阅" in html and "全省" in html
    assert f'href="/feeds/fair/{world["booth"].id}.ics"' in html and "下载 .ics" in html


def test_organizer_and_admin_private_feeds(client, world, make_user, make_fair, make_university):
    other = make_fair(university=make_university(), title="外校专场", day=date(2026, 12, 12))
    organizer = make_user("organizer", university=world["uni"])
    admin = make_user("admin")
    for user in (organizer, admin):
        user.regenerate_feed_token()
    db.session.commit()
    org = by_uid(parse(client.get(private_url(organizer)).data))
    assert uid(world["unrelated"]) in org and uid(other) not in org
    adm = by_uid(parse(client.get(private_url(admin)).data))
    assert uid(other) in adm and uid(world["unrelated"]) in adm


def test_saved_fair_outside_window_is_left_out(client, world, clock):
    clock.shift(timedelta(days=45))  # 2027-01-04: the December fairs are still within 30 days
    assert uid(world["saved"]) in by_uid(parse(client.get(private_url(world["graduate_user"])).data))
    clock.shift(timedelta(days=30))
    assert uid(world["saved"]) not in by_uid(parse(client.get(private_url(world["graduate_user"])).data))
