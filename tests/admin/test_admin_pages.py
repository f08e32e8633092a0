"""The province administrator's and the organizers' set-up pages: universities, profile (§4),
venues, organizer accounts and invitations, policy, audit log. Another university's data: 404."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from recruit.admin.models import OrganizerInvitation
from recruit.auth.models import User
from recruit.core.audit import AuditEntry
from recruit.extensions import db
from recruit.universities.models import University, Venue

UNIVERSITY = {
    "code": "GZU",
    "name": "贵州大学",
    "moe_code": "10657",
    "city": "贵阳",
    "level": "本科",
    "graduates_count": "28000",
}
VENUE = {
    "name": "体育馆",
    "campus": "花溪校区",
    "capacity": "120",
    "setting": "indoor",
    "address": "花溪区",
    "online_url": "",
}


def _with(base, **changes):
    data = dict(base)
    data.update(changes)
    return data


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin")
    auth.login(user)
    return user


# ------------------------------------------------------------------ universities


def test_admin_creates_edits_and_deactivates_a_university(client, admin, make_user):
    response = client.post("/admin/universities/new", data=UNIVERSITY)
    assert response.status_code == 302
    university = db.session.scalar(sa.select(University))
    assert (university.code, university.moe_code, university.level) == ("GZU", "10657", "本科")
    assert client.get("/admin/universities").status_code == 200
    assert "贵州大学" in client.get("/admin/universities?q=10657").get_data(as_text=True)
    response = client.post(f"/admin/universities/{university.id}/edit", data=_with(UNIVERSITY, graduates_count="30000"))
    assert response.status_code == 302
    db.session.refresh(university)
    assert university.graduates_count == 30000
    organizer = make_user("organizer", university=university)
    assert client.post(f"/admin/universities/{university.id}/active", data={"active": "0"}).status_code == 302
    db.session.refresh(university)
    db.session.refresh(organizer)
    assert university.active is False and organizer.active is False
    assert client.get("/universities/GZU").status_code == 404
    assert "贵州大学" not in client.get("/universities/").get_data(as_text=True)
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["university.create", "university.update", "university.deactivate"]
    update = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "university.update"))
    assert update.before == {"graduates_count": 28000} and update.after == {"graduates_count": 30000}
    assert update.actor_email == admin.email


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(code=""), "此项必填。"),
        (dict(code="G Z"), "学校代码只能由 2–20 个英文字母或数字组成"),
        (dict(name=""), "此项必填。"),
        (dict(moe_code="12a45"), "院校代码应为教育部的 5 位数字代码"),
        (dict(city=""), "此项必填。"),
        (dict(level="研究生院"), "Not a valid choice"),
        (dict(graduates_count="-1"), "应在 0 到 1000000 之间。"),
        (dict(graduates_count="abc"), "请输入整数。"),
        (dict(graduates_count="99999999999999999999999"), "应在 0 到 1000000 之间。"),
    ],
)
def test_university_validation_messages(client, admin, changes, message):
    response = client.post("/admin/universities/new", data=_with(UNIVERSITY, **changes))
    assert response.status_code == 422
    if message != "Not a valid choice":
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(University.id))) == 0


def test_duplicate_university_is_refused_next_to_the_field(client, admin, make_university):
    make_university(code="GZU", name="别的大学")
    response = client.post("/admin/universities/new", data=_with(UNIVERSITY, code="gzu"))
    assert response.status_code == 422 and "学校代码 GZU 已被其他学校使用。" in response.get_data(as_text=True)


# ------------------------------------------------------------------ profile (§4)


def test_organizer_publishes_majors_by_degree(client, auth, make_user, make_university):
    university = make_university(code="GZU")
    auth.login(make_user("organizer", university=university))
    data = {
        "major": ["软件工程", "会计学", "软件工程", ""],
        "degree": ["本科", "本科", "硕士", "本科"],
        "graduates": ["320", "150", "40", ""],
    }
    assert client.post(f"/admin/universities/{university.id}/profile", data=data).status_code == 302
    db.session.refresh(university)
    assert university.major_stats == [
        {"major": "软件工程", "degree": "本科", "graduates": 320},
        {"major": "会计学", "degree": "本科", "graduates": 150},
        {"major": "软件工程", "degree": "硕士", "graduates": 40},
    ]
    assert university.majors == ["软件工程", "会计学"]
    public = client.get("/universities/GZU").get_data(as_text=True)
    assert 'data-testid="major-stats"' in public and "320" in public and "硕士" in public


@pytest.mark.parametrize(
    "row, message",
    [
        (("", "本科", "10"), "第 1 行：请填写专业名称。"),
        (("软件工程", "小学", "10"), "第 1 行：学历应为专科、本科、硕士或博士。"),
        (("软件工程", "本科", "-1"), "第 1 行：毕业生人数应为 0 到 1000000 之间的整数。"),
        (("软件工程", "本科", "1e9"), "第 1 行：毕业生人数应为 0 到 1000000 之间的整数。"),
        (("x" * 61, "本科", "1"), "第 1 行：专业名称不能超过 60 个字符。"),
    ],
)
def test_profile_validation(client, auth, make_user, make_university, row, message):
    university = make_university(major_stats=[{"major": "旧", "degree": "本科", "graduates": 1}])
    auth.login(make_user("organizer", university=university))
    data = {"major": [row[0]], "degree": [row[1]], "graduates": [row[2]]}
    response = client.post(f"/admin/universities/{university.id}/profile", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.refresh(university)
    assert university.major_stats == [{"major": "旧", "degree": "本科", "graduates": 1}]


def test_duplicate_major_and_degree_is_refused(client, auth, make_user, make_university):
    university = make_university()
    auth.login(make_user("organizer", university=university))
    data = {"major": ["软件工程", "软件工程"], "degree": ["本科", "本科"], "graduates": ["1", "2"]}
    response = client.post(f"/admin/universities/{university.id}/profile", data=data)
    assert "第 2 行：软件工程（本科）重复填写。" in response.get_data(as_text=True)


# ------------------------------------------------------------------ venues


def test_organizer_manages_venues_and_used_ones_are_deactivated_not_deleted(
    client, auth, make_user, make_university, make_fair
):
    university = make_university()
    auth.login(make_user("organizer", university=university))
    assert client.post(f"/admin/universities/{university.id}/venues/new", data=VENUE).status_code == 302
    venue = db.session.scalar(sa.select(Venue))
    assert (venue.campus, venue.setting, venue.capacity, venue.active) == ("花溪校区", "indoor", 120, True)
    assert client.post(f"/admin/venues/{venue.id}/edit", data=_with(VENUE, capacity="150")).status_code == 302
    db.session.refresh(venue)
    assert venue.capacity == 150
    make_fair(university=university, venue=venue)
    assert client.post(f"/admin/venues/{venue.id}/delete").status_code == 302
    db.session.refresh(venue)
    assert venue.active is False  # kept: a fair refers to it
    new_fair = client.get("/fairs/new").get_data(as_text=True)
    assert f'value="{venue.id}"' not in new_fair
    spare = Venue(university=university, name="空教室", capacity=10)
    db.session.add(spare)
    db.session.commit()
    spare_id = spare.id
    assert client.post(f"/admin/venues/{spare_id}/delete").status_code == 302
    assert db.session.get(Venue, spare_id) is None


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(name=""), "此项必填。"),
        (dict(capacity="0"), "应在 1 到 10000 之间。"),
        (dict(capacity="x"), "请输入整数。"),
        (dict(setting="online", online_url=""), "线上场地必须填写线上链接。"),
        (dict(setting="online", online_url="javascript:alert(1)"), "线上链接必须以 http:// 或 https:// 开头。"),
    ],
)
def test_venue_validation(client, auth, make_user, make_university, changes, message):
    university = make_university()
    auth.login(make_user("organizer", university=university))
    response = client.post(f"/admin/universities/{university.id}/venues/new", data=_with(VENUE, **changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_duplicate_venue_name_is_refused(client, auth, make_user, make_venue):
    venue = make_venue(name="体育馆")
    auth.login(make_user("organizer", university=venue.university))
    response = client.post(f"/admin/universities/{venue.university_id}/venues/new", data=VENUE)
    assert response.status_code == 422 and "本校已有同名场地。" in response.get_data(as_text=True)


def test_another_universitys_setup_pages_are_404(client, auth, make_user, make_university, make_venue):
    mine, other = make_university(), make_university()
    venue = make_venue(university=other)
    colleague = make_user("organizer", university=other)
    auth.login(make_user("organizer", university=mine))
    for url in (
        f"/admin/universities/{other.id}",
        f"/admin/universities/{other.id}/profile",
        f"/admin/universities/{other.id}/venues",
        f"/admin/universities/{other.id}/venues/new",
        f"/admin/venues/{venue.id}/edit",
        f"/admin/universities/{other.id}/organizers",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/venues/{venue.id}/delete").status_code == 404
    assert client.post(f"/admin/users/{colleague.id}/active", data={"active": "0"}).status_code == 404
    assert client.post(f"/admin/universities/{other.id}/organizers", data={"email": "x@example.com"}).status_code == 404
    db.session.refresh(colleague)
    assert colleague.active and db.session.get(Venue, venue.id) is not None
    assert db.session.scalar(sa.select(sa.func.count(OrganizerInvitation.id))) == 0


# ------------------------------------------------------------------ invitations


def _invite(client, university, email="new@example.com"):
    response = client.post(
        f"/admin/universities/{university.id}/organizers", data={"email": email, "display_name": "张老师"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    link = re.search(r"http://recruit\.test(/admin/invite/[^<\s]+)", response.get_data(as_text=True))
    assert link, "the invitation link is shown when mail is not configured"
    return link.group(1)


def test_invitation_is_single_use_and_creates_an_organizer(app, client, auth, admin, make_university):
    university = make_university()
    path = _invite(client, university)
    auth.logout()
    assert client.get(path).status_code == 200
    bad = client.post(path, data={"display_name": "张老师", "password": "short", "password2": "short"})
    assert bad.status_code == 422 and "密码长度应在 8 到 128 个字符之间。" in bad.get_data(as_text=True)
    response = client.post(
        path, data={"display_name": "张老师", "password": "long-enough-1", "password2": "long-enough-1"}
    )
    assert response.status_code == 302 and f"/admin/universities/{university.id}/venues" in response.headers["Location"]
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.com"))
    assert user.role == "organizer" and user.university_id == university.id
    auth.logout()
    again = client.post(path, data={"display_name": "x", "password": "long-enough-2", "password2": "long-enough-2"})
    assert again.status_code == 410 and "已使用过" in again.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password("long-enough-1")


def test_invitation_expires_and_can_be_revoked(client, auth, admin, make_university):
    university = make_university()
    path = _invite(client, university, "a@example.com")
    with time_machine.travel(date.today() + timedelta(days=8)):
        assert client.get(path).status_code in (404, 410)
    second = _invite(client, university, "a@example.com")  # replaces the first
    assert client.get(path).status_code == 410
    invitation = db.session.scalar(sa.select(OrganizerInvitation).where(OrganizerInvitation.revoked_at.is_(None)))
    assert client.post(f"/admin/invitations/{invitation.id}/revoke").status_code == 302
    auth.logout()
    assert client.get(second).status_code == 410


@pytest.mark.parametrize("path", ["/admin/invite/" + "x" * 43, "/admin/invite/eyJpIjoxfQ.abc.def", "/admin/invite/%00"])
def test_forged_invitation_links_are_404(client, path):
    assert client.get(path).status_code == (400 if "%00" in path else 404)  # a NUL is refused app-wide


@pytest.mark.parametrize("email, message", [("not-an-email", "请输入有效的电子邮箱地址。"), ("", "此项必填。")])
def test_invitation_validation(client, admin, make_university, email, message):
    university = make_university()
    response = client.post(f"/admin/universities/{university.id}/organizers", data={"email": email})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_inviting_an_existing_account_is_refused(client, admin, make_university, make_user):
    university = make_university()
    other = make_user("employer")
    response = client.post(f"/admin/universities/{university.id}/organizers", data={"email": other.email})
    assert response.status_code == 422 and "该邮箱已有账号。" in response.get_data(as_text=True)


def test_organizer_invites_and_deactivates_a_colleague_but_not_themselves(client, auth, make_user, make_university):
    university = make_university()
    me = make_user("organizer", university=university)
    colleague = make_user("organizer", university=university)
    auth.login(me)
    _invite(client, university)
    assert client.post(f"/admin/users/{colleague.id}/active", data={"active": "0"}).status_code == 302
    db.session.refresh(colleague)
    assert colleague.active is False
    client.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    db.session.refresh(me)
    assert me.active is True
    assert client.post(f"/admin/users/{colleague.id}/active", data={}).status_code == 400


# ------------------------------------------------------------------ policy and audit log


def test_policy_page_is_read_only(client, admin):
    page = client.get("/admin/policy").get_data(as_text=True)
    assert "policy.toml" in page and '<form method="post"' not in page.split("<main")[1]


def test_audit_log_filters(client, admin, make_university):
    client.post("/admin/universities/new", data=UNIVERSITY)
    client.post("/admin/universities/new", data=_with(UNIVERSITY, code="GZNU", name="贵州师范大学", moe_code="10663"))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count('data-testid="audit-row"') == 2
    page = client.get("/admin/audit?university=gznu").get_data(as_text=True)
    assert page.count('data-testid="audit-row"') == 1 and "贵州师范大学" in page
    assert client.get("/admin/audit?university=NONE").get_data(as_text=True).count('data-testid="audit-row"') == 0
    assert client.get("/admin/audit?action=venue.").get_data(as_text=True).count('data-testid="audit-row"') == 0
    assert client.get("/admin/audit?since=2000-01-01&until=bad&actor=x").status_code == 200
    for far in ("9999-12-31", "0001-01-01", "99999999999999999999-01-01"):
        page = client.get("/admin/audit", query_string={"since": far, "until": far}).get_data(as_text=True)
        assert page.count('data-testid="audit-row"') == 2, far  # out of range: no filter
    assert client.get("/admin/audit?actor=%00").status_code == 400  # a NUL is refused app-wide
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert client.get(f"/admin/audit?since={tomorrow}").get_data(as_text=True).count('data-testid="audit-row"') == 0


def test_admin_home_shows_the_first_step(client, admin):
    page = client.get("/admin/").get_data(as_text=True)
    assert 'data-testid="first-step"' in page


def test_a_deactivated_organizer_loses_the_open_session(client, auth, make_user, make_university):
    university = make_university()
    organizer = make_user("organizer", university=university)
    auth.login(organizer)
    assert client.get(f"/admin/universities/{university.id}/venues").status_code == 200
    organizer.active = False
    db.session.commit()
    response = client.get(f"/admin/universities/{university.id}/venues")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
