"""Graduates: the intention form, 为我推荐, fairs of matched employers, saved postings and fairs."""

from __future__ import annotations

from datetime import date, time

import pytest

from recruit.extensions import db
from recruit.graduates.models import SavedFair, SavedPosting

GOOD = {
    "industries": ["软件和信息技术服务"],
    "cities": ["贵阳"],
    "positions": "Java开发、后端开发",
    "salary_expectation": "6000",
    "skills": "Java、Spring Boot",
    "statement": "想做后端开发",
    "visible_to_employers": "y",
}


@pytest.fixture
def graduate_user(make_user, make_graduate):
    return make_user("graduate", graduate=make_graduate(visible_to_employers=False))


def test_intention_saved_and_reaches_matches(client, auth, graduate_user, make_posting):
    posting = make_posting()
    auth.login(graduate_user)
    response = client.get("/graduates/me/matches")
    assert "填写求职意愿" in response.get_data(as_text=True)
    response = client.post("/graduates/me/intention", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/graduates/me/matches")
    graduate = graduate_user.graduate
    db.session.refresh(graduate)
    assert graduate.intention.positions == ["Java开发", "后端开发"]
    assert graduate.intention.skills == "Java、Spring Boot"
    assert graduate.visible_to_employers and not graduate.share_contact
    page = client.get("/graduates/me/matches").get_data(as_text=True)
    assert posting.title in page and "专业对口" in page and posting.employer.name in page
    form = client.get("/graduates/me/intention").get_data(as_text=True)
    assert "Java开发、后端开发" in form


def _with(**changes):
    data = dict(GOOD)
    for k, v in changes.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return data


@pytest.mark.parametrize(
    "data, field, message",
    [
        (_with(industries=None), "industries", "请至少选择一个意向行业。"),
        (_with(industries=["不存在的行业"]), "industries", "请选择有效的选项。"),
        (_with(cities=None), "cities", "请至少选择一个意向城市。"),
        (_with(cities=["纽约"]), "cities", "请选择有效的选项。"),
        (_with(positions=None), "positions", "此项必填。"),
        (_with(positions="、，"), "positions", "请至少填写一个意向岗位。"),
        (_with(positions="x" * 501), "positions", "不能超过 500 个字符。"),
        (_with(salary_expectation="abc"), "salary_expectation", "请输入整数。"),
        (_with(salary_expectation="-1"), "salary_expectation", "应在 0 到 200000 之间。"),
        (_with(skills="x" * 501), "skills", "不能超过 500 个字符。"),
        (_with(statement="x" * 2001), "statement", "不能超过 2000 个字符。"),
        (
            _with(visible_to_employers=None, share_contact="y"),
            "share_contact",
            "同意公开姓名和联系方式前，请先允许用人单位查看您的求职意愿。",
        ),
    ],
)
def test_intention_validation_messages(client, auth, graduate_user, data, field, message):
    auth.login(graduate_user)
    response = client.post("/graduates/me/intention", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-err"' in html or "has-error" in html
    assert message in html
    db.session.refresh(graduate_user.graduate)
    assert graduate_user.graduate.intention is None


def test_matches_filters_and_pagination(client, auth, make_user, make_graduate, make_posting):
    graduate = make_graduate(
        intention=dict(
            positions=["Java开发"], cities=["贵阳"], industries=["软件和信息技术服务"], skills="Java", statement=""
        )
    )
    for i in range(25):
        make_posting(title=f"Java开发工程师{i:02d}")
    make_posting(title="Java开发工程师", city="遵义", description="遵义岗位")
    auth.login(make_user("graduate", graduate=graduate))
    page1 = client.get("/graduates/me/matches").get_data(as_text=True)
    assert page1.count('class="match card') == 20 and "共 26 个匹配岗位" in page1
    page2 = client.get("/graduates/me/matches?page=2").get_data(as_text=True)
    assert page2.count('class="match card') == 6
    only = client.get("/graduates/me/matches?city=遵义").get_data(as_text=True)
    assert only.count('class="match card') == 1 and "共 1 个匹配岗位" in only
    assert "共 0 个" in client.get("/graduates/me/matches?industry=金融").get_data(as_text=True)
    assert client.get("/graduates/me/matches?min_score=abc&city=x&page=-3").status_code == 200


def test_fairs_of_matched_employers_and_calendar(client, auth, make_user, make_graduate, make_posting, make_fair):
    from recruit.fairs.models import FairRegistration

    posting = make_posting()
    other = make_posting(title="会计", description="账务", industry="金融", majors=["会计学"], city="遵义")
    fair = make_fair(day=date(2026, 12, 8), start=time(14), title="冬季专场")
    skipped = make_fair(day=date(2026, 12, 9), start=time(14), title="无关专场")
    db.session.add_all(
        [
            FairRegistration(fair_id=fair.id, employer_id=posting.employer_id, status="approved"),
            FairRegistration(fair_id=skipped.id, employer_id=other.employer_id, status="approved"),
        ]
    )
    db.session.commit()
    graduate = make_graduate(
        intention=dict(positions=["Java开发"], cities=["贵阳"], industries=[], skills="Java", statement="")
    )
    auth.login(make_user("graduate", graduate=graduate))
    import time_machine

    with time_machine.travel(date(2026, 11, 1)):
        html = client.get("/graduates/me/matches").get_data(as_text=True)
    assert "冬季专场" in html and "无关专场" not in html
    assert f"/feeds/fair/{fair.id}.ics" in html


def test_save_and_unsave_posting_and_fair(client, auth, graduate_user, make_posting, make_fair):
    posting = make_posting()
    fair = make_fair()
    auth.login(graduate_user)
    gid = graduate_user.graduate_id
    assert client.post(f"/graduates/me/saved/postings/{posting.id}", data={"action": "save"}).status_code == 302
    assert client.post(f"/graduates/me/saved/fairs/{fair.id}", data={"action": "save"}).status_code == 302
    assert db.session.get(SavedPosting, (gid, posting.id)) and db.session.get(SavedFair, (gid, fair.id))
    html = client.get("/graduates/me/saved").get_data(as_text=True)
    assert posting.title in html and fair.title in html
    client.post(f"/graduates/me/saved/postings/{posting.id}", data={"action": "unsave"})
    client.post(f"/graduates/me/saved/fairs/{fair.id}", data={"action": "unsave"})
    db.session.expire_all()
    assert db.session.get(SavedPosting, (gid, posting.id)) is None and db.session.get(SavedFair, (gid, fair.id)) is None


@pytest.mark.parametrize("kind", ["closed", "expired", "missing"])
def test_cannot_save_inactive_posting(client, auth, graduate_user, make_posting, kind):
    if kind == "missing":
        pid = 999999
    else:
        pid = make_posting(**({"status": "closed"} if kind == "closed" else {"deadline": date(2020, 1, 1)})).id
    auth.login(graduate_user)
    response = client.post(f"/graduates/me/saved/postings/{pid}", data={"action": "save"}, follow_redirects=True)
    assert "该岗位已关闭或不存在。" in response.get_data(as_text=True)
    assert db.session.get(SavedPosting, (graduate_user.graduate_id, pid)) is None


def test_cannot_save_draft_fair(client, auth, graduate_user, make_fair):
    fair = make_fair(status="draft")
    auth.login(graduate_user)
    response = client.post(f"/graduates/me/saved/fairs/{fair.id}", data={"action": "save"}, follow_redirects=True)
    assert "该招聘会未发布或已结束。" in response.get_data(as_text=True)


def test_a_huge_expectation_gets_one_message(client, auth, graduate_user):
    auth.login(graduate_user)
    response = client.post("/graduates/me/intention", data=_with(salary_expectation="99999999999999999999"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "应在 0 到 200000 之间。" in html and "数值太大或太小。" not in html
    assert html.count('id="salary_expectation-err"') == 1
