"""The public job board: who sees what, filters, pagination, match scores, privacy."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine

from recruit.board import services
from recruit.employers.models import EMPLOYER_STATUSES, POSTING_STATUSES, Posting
from recruit.extensions import db
from recruit.timeutil import today_local


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-posting-id="(\d+)"', html)]


def test_anonymous_sees_public_postings_newest_first(client, make_posting, make_employer):
    old = make_posting(title="旧岗位")
    new = make_posting(title="新岗位")
    make_posting(title="已关闭岗位", status="closed")
    make_posting(title="过期岗位", deadline=today_local() - timedelta(days=1))
    make_posting(title="待审单位岗位", employer=make_employer(status="pending"))
    make_posting(title="未通过单位岗位", employer=make_employer(status="rejected"))
    response = client.get("/postings")
    assert response.status_code == 200
    assert _ids(response.get_data(as_text=True)) == [new.id, old.id]
    assert "共 2 个在招岗位" in response.get_data(as_text=True)


@pytest.mark.parametrize("posting_status", POSTING_STATUSES)
@pytest.mark.parametrize("employer_status", EMPLOYER_STATUSES)
@pytest.mark.parametrize("days", [-1, 0, None])
def test_board_clause_agrees_with_the_domain_predicate(
    app, make_employer, make_posting, posting_status, employer_status, days
):
    """The SQL form used to paginate says exactly what Posting.is_active says (all statuses)."""
    deadline = None if days is None else today_local() + timedelta(days=days)
    posting = make_posting(employer=make_employer(status=employer_status), status=posting_status, deadline=deadline)
    in_sql = db.session.scalar(services.visible_query().where(Posting.id == posting.id)) is not None
    assert in_sql == posting.is_active()
    assert (services.public_posting(posting.id) is not None) == posting.is_active()


@pytest.mark.parametrize(
    "q, found",
    [
        ("后端", True),  # a part of 后端开发工程师 (Chinese has no spaces)
        ("开发工程", True),
        ("星辰科技", True),  # the employer's name
        ("Spring", True),  # the description, any case
        ("spring boot", True),  # two words, both present
        ("软件工程", True),  # a major (stored as JSON)
        ("前端", False),
        ("%", False),  # LIKE wildcards are literal
        ("_", False),
        ("后端 前端", False),  # every word must match
    ],
)
def test_keyword_search(client, make_employer, make_posting, q, found):
    employer = make_employer(name="贵州星辰科技有限公司")
    posting = make_posting(
        employer=employer, title="后端开发工程师", description="使用Spring Boot开发服务。", majors=["软件工程"]
    )
    make_posting(title="会计", description="做账", majors=["会计学"])
    ids = _ids(client.get("/postings", query_string={"q": q}).get_data(as_text=True))
    assert (posting.id in ids) is found
    if q in ("后端", "星辰科技", "软件工程"):
        assert len(ids) == 1


def test_percent_and_underscore_match_themselves(client, make_posting):
    literal = make_posting(title="提成10%_销售")
    make_posting(title="提成10X销售")
    assert _ids(client.get("/postings?q=10%25_").get_data(as_text=True)) == [literal.id]


@pytest.mark.parametrize(
    "args, expect",
    [
        ({"city": "遵义"}, {"zunyi"}),
        ({"industry": "金融"}, {"bank"}),
        ({"degree": "本科"}, {"zunyi", "bank"}),  # open to a bachelor: not the master's post
        ({"degree": "硕士"}, {"zunyi", "bank", "master"}),
        ({"salary": "12000"}, {"master"}),
        ({"city": "不存在的城市"}, {"zunyi", "bank", "master"}),  # unknown values are ignored, not errors
    ],
)
def test_filters(client, make_posting, args, expect):
    made = {
        "zunyi": make_posting(city="遵义", salary_max=8000),
        "bank": make_posting(industry="金融", salary_max=9000),
        "master": make_posting(min_degree="硕士", salary_max=15000),
    }
    ids = set(_ids(client.get("/postings", query_string=args).get_data(as_text=True)))
    assert ids == {made[k].id for k in expect}


def test_university_filter_keeps_employers_with_a_booth_at_its_fairs(client, make_posting, make_fair, make_university):
    from recruit.fairs.models import FairRegistration

    uni, other = make_university(), make_university()
    at_fair = make_posting(title="在招聘会")
    make_posting(title="不在")
    pending = make_posting(title="待审展位")
    fair = make_fair(university=uni, day=today_local() + timedelta(days=5))
    db.session.add_all(
        [
            FairRegistration(fair_id=fair.id, employer_id=at_fair.employer_id, status="approved"),
            FairRegistration(fair_id=fair.id, employer_id=pending.employer_id, status="pending"),
        ]
    )
    db.session.commit()
    html = client.get("/postings", query_string={"university": uni.id}).get_data(as_text=True)
    assert _ids(html) == [at_fair.id]
    assert fair.title in html  # the fairs where the employer will be
    assert _ids(client.get("/postings", query_string={"university": other.id}).get_data(as_text=True)) == []


def test_pagination(client, make_employer, make_posting):
    employer = make_employer()
    made = [make_posting(employer=employer, title=f"岗位{i}") for i in range(services.PER_PAGE + 3)]
    first = _ids(client.get("/postings").get_data(as_text=True))
    second = _ids(client.get("/postings?page=2").get_data(as_text=True))
    assert len(first) == services.PER_PAGE and len(second) == 3
    assert set(first) | set(second) == {p.id for p in made}
    assert client.get("/postings?page=999999").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "q=%00后端",
        "page=-1",
        "page=abc",
        "page=99999999999999999999",
        "salary=99999999999999999999",
        "salary=-5",
        "university=99999999999999999999",
        "university=abc",
        "sort=match",
        "degree=%00",
        "q=" + "长" * 5000,
    ],
)
def test_bad_input_never_fails(client, make_posting, query):
    make_posting()
    assert client.get(f"/postings?{query}").status_code == (400 if "%00" in query else 200)  # NUL: refused app-wide


def test_detail_is_public_for_an_active_posting(client, make_posting):
    posting = make_posting(title="后端开发工程师")
    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "后端开发工程师" in html and posting.employer.name in html
    assert "登录投递" in html


@pytest.mark.parametrize("change", ["closed", "expired", "employer_pending", "employer_rejected"])
def test_hidden_posting_is_404_to_public_and_explained_to_its_employer(
    client, auth, make_posting, make_employer, make_user, change
):
    employer = make_employer(
        status={"employer_pending": "pending", "employer_rejected": "rejected"}.get(change, "approved")
    )
    posting = make_posting(
        employer=employer,
        status="closed" if change == "closed" else "open",
        deadline=today_local() - timedelta(days=1) if change == "expired" else None,
    )
    assert client.get(f"/postings/{posting.id}").status_code == 404
    other = make_user("employer")
    auth.login(other)
    response = client.get(f"/postings/{posting.id}")
    assert response.status_code == 404 and "not-public" not in response.get_data(as_text=True)
    auth.logout()
    auth.login(make_user("employer", employer=employer))
    response = client.get(f"/postings/{posting.id}")
    assert response.status_code == 404
    assert 'data-testid="not-public"' in response.get_data(as_text=True)


def test_graduate_sees_match_score_and_can_sort_by_match(client, auth, make_posting, make_graduate, make_user):
    graduate = make_graduate(
        intention=dict(
            positions=["Java后端开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java、Spring Boot",
            statement="想做后端开发",
        )
    )
    java = make_posting(title="Java后端开发工程师")
    nurse = make_posting(title="护士", description="护理病人", industry="健康医药", majors=["护理学"])
    auth.login(make_user("graduate", graduate=graduate))
    html = client.get(f"/postings/{java.id}").get_data(as_text=True)
    assert "与我的匹配度" in html
    newest = _ids(client.get("/postings").get_data(as_text=True))
    assert newest == [nurse.id, java.id]
    by_match = _ids(client.get("/postings?sort=match").get_data(as_text=True))
    assert by_match == [java.id, nurse.id]
    assert 'class="score"' in client.get("/postings").get_data(as_text=True)


def test_board_never_shows_graduates_or_key_groups(client, auth, make_posting, make_graduate, make_user):
    graduate = make_graduate(
        name="保密的名字",
        low_income=True,
        ethnic_minority=True,
        disability=True,
        intention=dict(positions=["Java开发"], cities=["贵阳"], industries=["软件和信息技术服务"]),
    )
    posting = make_posting()
    for user in (None, make_user("employer", employer=posting.employer), make_user("graduate", graduate=graduate)):
        if user:
            auth.login(user)
        for url in ("/postings", f"/postings/{posting.id}"):
            html = client.get(url).get_data(as_text=True)
            for secret in ("保密的名字", "低收入", "少数民族", "残疾"):
                assert secret not in html, (url, secret)
        if user:
            auth.logout()


def test_home_page_counts_and_links_the_board(client, make_posting):
    make_posting()
    make_posting(status="closed")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/postings"' in html
    assert "<strong>1</strong>个在招岗位" in html


def test_expired_at_midnight_shanghai(client, make_posting):
    posting = make_posting(deadline=date(2026, 12, 1))
    with time_machine.travel("2026-12-01T15:59:00+00:00", tick=False):  # 23:59 in Shanghai
        assert client.get(f"/postings/{posting.id}").status_code == 200
    with time_machine.travel("2026-12-01T16:01:00+00:00", tick=False):  # the next day
        assert client.get(f"/postings/{posting.id}").status_code == 404
        assert posting.id not in _ids(client.get("/postings").get_data(as_text=True))
