"""Employers: post, edit, close positions; matched graduates without private data."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from recruit.employers.models import Posting
from recruit.extensions import db

GOOD = {
    "title": "Java后端开发工程师",
    "industry": "软件和信息技术服务",
    "city": "贵阳",
    "min_degree": "本科",
    "majors": "计算机科学与技术、软件工程",
    "salary_min": "6000",
    "salary_max": "9000",
    "headcount": "3",
    "deadline": "2027-06-30",
    "description": "负责后端服务开发，熟悉Spring Boot。",
}
INTENTION = dict(
    positions=["Java开发"],
    cities=["贵阳"],
    industries=["软件和信息技术服务"],
    skills="Java、Spring Boot",
    statement="热爱后端开发的同学",
)


@pytest.fixture
def employer_user(make_user, make_employer):
    # trusted: its postings publish without review (review itself: tests/admin/test_admin_authority.py)
    return make_user("employer", employer=make_employer(trusted=True))


def _with(**changes):
    data = dict(GOOD)
    data.update(changes)
    return data


@time_machine.travel(date(2026, 11, 1))
def test_post_edit_close_posting_reaches_matches(client, auth, employer_user, make_user, make_graduate):
    graduate = make_graduate(intention=INTENTION)
    guser = make_user("graduate", graduate=graduate)
    auth.login(employer_user)
    response = client.post("/employers/me/postings/new", data=GOOD)
    assert response.status_code == 302
    posting = db.session.scalar(db.select(Posting))
    assert posting.majors == ["计算机科学与技术", "软件工程"] and posting.employer_id == employer_user.employer_id
    assert posting.title in client.get("/employers/me/postings").get_data(as_text=True)
    auth.logout()
    auth.login(guser)
    assert "Java后端开发工程师" in client.get("/graduates/me/matches").get_data(as_text=True)
    auth.logout()
    auth.login(employer_user)
    assert client.post(f"/employers/me/postings/{posting.id}/edit", data=_with(title="Go开发工程师")).status_code == 302
    auth.logout()
    auth.login(guser)
    html = client.get("/graduates/me/matches").get_data(as_text=True)
    assert "Go开发工程师" in html and "Java后端开发工程师" not in html
    auth.logout()
    auth.login(employer_user)
    assert client.post(f"/employers/me/postings/{posting.id}/close").status_code == 302
    auth.logout()
    auth.login(guser)
    assert "Go开发工程师" not in client.get("/graduates/me/matches").get_data(as_text=True)


@time_machine.travel(date(2026, 11, 1))
@pytest.mark.parametrize(
    "data, message",
    [
        (_with(title=""), "此项必填。"),
        (_with(industry="不存在"), "请选择有效的选项。"),
        (_with(city="纽约"), "请选择有效的选项。"),
        (_with(min_degree="小学"), "请选择有效的选项。"),
        (_with(salary_min="10000", salary_max="9000"), "最低月薪不能高于最高月薪。"),
        (_with(salary_min="abc"), "请输入整数。"),
        (_with(salary_max="-5"), "应在 0 到 200000 之间。"),
        (_with(headcount="0"), "应在 1 到 100000 之间。"),
        (_with(headcount=""), "此项必填。"),
        (_with(deadline="2026-10-31"), "截止日期不能早于今天。"),
        (_with(deadline="2026-13-45"), "请输入有效的日期（YYYY-MM-DD）。"),
        (_with(deadline="9999-12-31"), "截止日期不能晚于一年之后。"),
        (_with(deadline="3026-12-07"), "截止日期不能晚于一年之后。"),
        (_with(majors="、".join(["x" * 61])), "每个专业名称不能超过 60 个字符。"),
        (_with(description="x" * 5001), "不能超过 5000 个字符。"),
    ],
)
def test_posting_validation_messages(client, auth, employer_user, data, message):
    auth.login(employer_user)
    response = client.post("/employers/me/postings/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Posting)) == 0


@pytest.mark.parametrize("status, text", [("rejected", "单位认证未通过"), ("suspended", "单位已被暂停")])
def test_refused_employer_cannot_post_and_sees_why(client, auth, make_user, make_employer, status, text):
    user = make_user("employer", employer=make_employer(status=status, status_reason="资料不全"))
    auth.login(user)
    assert text in client.get("/employers/me/postings").get_data(as_text=True)
    client.post("/employers/me/postings/new", data=GOOD)
    assert db.session.scalar(db.select(db.func.count()).select_from(Posting)) == 0


@time_machine.travel(date(2026, 11, 1))
def test_pending_employer_is_told_one_next_step_and_saves_drafts(client, auth, make_user, make_employer):
    user = make_user("employer", employer=make_employer(status="pending"))
    auth.login(user)
    page = client.get("/employers/me/postings").get_data(as_text=True)
    assert page.count('data-testid="next-step"') == 1 and "认证前可先保存岗位草稿" in page
    response = client.post("/employers/me/postings/new", data=GOOD, follow_redirects=True)
    assert "岗位草稿已保存，单位认证通过后自动提交发布。" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Posting.review_status)) == "draft"


@pytest.mark.parametrize("status", ["rejected", "suspended"])
def test_service_refuses_refused_employer(app, make_employer, status):
    from recruit.core.errors import ServiceError
    from recruit.employers import services

    with pytest.raises(ServiceError, match="认证未通过或已被暂停"):
        services.create_posting(make_employer(status=status), {})


@pytest.mark.parametrize(
    "action, method",
    [
        ("", "GET"),
        ("/edit", "GET"),
        ("/edit", "POST"),
        ("/close", "POST"),
    ],
)
def test_other_employers_posting_is_404(client, auth, employer_user, make_posting, action, method):
    other = make_posting()
    auth.login(employer_user)
    response = client.open(f"/employers/me/postings/{other.id}{action}", method=method, data=GOOD)
    assert response.status_code == 404
    db.session.refresh(other)
    assert other.status == "open" and other.title == "Java后端开发工程师"


def test_matched_graduates_never_show_private_data(
    client, auth, employer_user, make_posting, make_graduate, make_university
):
    posting = make_posting(employer=employer_user.employer)
    uni = make_university(name="贵州大学")
    hidden = make_graduate(
        university=uni,
        intention=INTENTION,
        name="张保密",
        phone="13800000001",
        email="secret@example.com",
        low_income=True,
        ethnic_minority=True,
        disability=True,
    )
    shared = make_graduate(
        university=uni,
        intention=INTENTION,
        name="李公开",
        phone="13800000002",
        share_contact=True,
        low_income=True,
        disability=True,
    )
    make_graduate(intention=INTENTION, name="王未同意", visible_to_employers=False)
    make_graduate(intention=INTENTION, name="赵未确认", confirmed=False)
    auth.login(employer_user)
    html = client.get(f"/employers/me/postings/{posting.id}").get_data(as_text=True)
    assert "热爱后端开发的同学" in html and "计算机科学与技术" in html
    assert "贵州大学：2" in html
    assert "张保密" not in html and "13800000001" not in html and "secret@example.com" not in html
    assert "李公开" in html and "13800000002" in html
    for secret in ("王未同意", "赵未确认", "低收入", "少数民族", "残疾", "重点群体"):
        assert secret not in html, secret
    assert hidden.id and shared.id


@time_machine.travel(date(2026, 11, 1))
@pytest.mark.parametrize(
    "field, value, message, also",
    [
        ("headcount", "0", "应在 1 到 100000 之间。", "招聘人数应大于 0。"),
        ("headcount", "99999999999999999999", "应在 1 到 100000 之间。", "数值太大或太小。"),
        ("salary_min", "99999999999999999999", "应在 0 到 200000 之间。", "数值太大或太小。"),
    ],
)
def test_one_message_per_field(client, auth, employer_user, field, value, message, also):
    """The first failing check of a field speaks for it (the range, which says what to type);
    the other ones that also failed are not shown under it, and its error element is unique."""
    auth.login(employer_user)
    html = client.post("/employers/me/postings/new", data=_with(**{field: value})).get_data(as_text=True)
    assert message in html and also not in html
    assert html.count(f'id="{field}-err"') == 1


@time_machine.travel(date(2026, 11, 30))
@pytest.mark.parametrize(
    "deadline, message",
    [
        (date(2026, 11, 29), "截止日期不能早于今天。"),
        (date(2027, 12, 1), "截止日期不能晚于一年之后。"),
        (date(9999, 12, 31), "截止日期不能晚于一年之后。"),
    ],
)
def test_service_refuses_deadline_out_of_bounds(app, make_employer, deadline, message):
    from recruit.core.errors import ServiceError
    from recruit.employers import services

    data = dict(GOOD, majors=["软件工程"], salary_min=6000, salary_max=9000, headcount=3, deadline=deadline)
    with pytest.raises(ServiceError) as info:
        services.create_posting(make_employer(trusted=True), data)
    assert (info.value.field, info.value.message) == ("deadline", message)
    data["deadline"] = date(2027, 11, 30)
    assert services.create_posting(make_employer(trusted=True), data).deadline == date(2027, 11, 30)
