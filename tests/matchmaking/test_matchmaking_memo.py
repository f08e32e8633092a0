"""The per-process memo of ranked lists: rank once, explain only the shown page, never stale."""

from __future__ import annotations

import pytest

from matching import Matcher
from recruit.matchmaking import services
from recruit.matchmaking.index import manager

INTENTION = dict(
    positions=["Java开发"],
    cities=["贵阳"],
    industries=["软件和信息技术服务"],
    skills="Java、Spring Boot、MySQL",
    statement="想做后端开发",
    salary_expectation=6000,
)
POSTING = dict(
    title="Java开发工程师",
    description="后端开发",
    industry="软件和信息技术服务",
    majors=["计算机科学与技术"],
    min_degree="本科",
    city="贵阳",
    salary_min=6000,
    salary_max=9000,
    headcount=1,
    deadline=None,
)


@pytest.fixture
def rank_calls(monkeypatch):
    calls = []
    original = Matcher.rank

    def spy(self, intention, top_k=10, allowed=None, explain=True):
        calls.append((explain, None if allowed is None or hasattr(allowed, "dtype") else len(set(allowed))))
        return original(self, intention, top_k=top_k, allowed=allowed, explain=explain)

    monkeypatch.setattr(Matcher, "rank", spy)
    return calls


def _snapshot(rows):
    return [(r.posting.id, r.score, r.reasons, r.terms, r.rules, r.recommended) for r in rows]


def test_pages_rank_once_and_explain_only_their_rows(app, make_posting, make_graduate, rank_calls):
    for i in range(8):
        make_posting(title=f"Java开发工程师{i}", description="Spring Boot、MySQL" * (i + 1))
    graduate = make_graduate(intention=INTENTION)

    first, total = services.match_page(graduate, page=1, per_page=3)
    assert total == 8 and len(first) == 3
    assert rank_calls == [(False, None), (True, 3)]

    rank_calls.clear()
    second, _ = services.match_page(graduate, page=2, per_page=3)
    assert rank_calls == [(True, 3)]  # the ranking is reused; only page 2's rows are explained

    rank_calls.clear()
    again, _ = services.match_page(graduate, page=1, per_page=3)
    assert rank_calls == []  # a repeat visit touches the matcher not at all
    assert _snapshot(again) == _snapshot(first)

    # exactly what a fresh computation gives
    manager().state().caches.ranked = None
    assert _snapshot(services.match_page(graduate, page=1, per_page=3)[0]) == _snapshot(first)
    assert _snapshot(services.match_page(graduate, page=2, per_page=3)[0]) == _snapshot(second)
    assert all(r.reasons for r in first + second)


def test_an_edited_intention_is_ranked_afresh(app, make_posting, make_graduate):
    from recruit.graduates.services import save_intention

    java = make_posting(title="Java后端开发工程师")
    acct = make_posting(title="会计", description="负责账务处理、财务报表", industry="金融", majors=["会计学"])
    graduate = make_graduate(intention=INTENTION)
    assert services.matches_for_graduate(graduate)[0].posting.id == java.id
    save_intention(
        graduate,
        industries=["金融"],
        cities=["贵阳"],
        positions="会计",
        salary_expectation=0,
        skills="账务处理、财务报表",
        statement="想做会计",
        visible_to_employers=True,
        share_contact=False,
    )
    assert services.matches_for_graduate(graduate)[0].posting.id == acct.id


def test_posting_changes_reach_a_memoised_list(app, make_employer, make_graduate):
    from recruit.employers import services as employer_services

    employer = make_employer(trusted=True)  # publishes without review
    graduate = make_graduate(intention=dict(INTENTION, salary_expectation=0))  # no salary bonus
    first = employer_services.create_posting(employer, dict(POSTING))
    assert [r.posting.id for r in services.matches_for_graduate(graduate)] == [first.id]
    second = employer_services.create_posting(employer, dict(POSTING, title="Java后端开发工程师"))
    before = {r.posting.id: r for r in services.matches_for_graduate(graduate)}
    assert set(before) == {first.id, second.id}
    employer_services.update_posting(
        first, dict(POSTING, title="会计", description="账务处理", industry="金融", majors=["会计学"], city="遵义")
    )
    after = services.matches_for_graduate(graduate)
    assert after[0].posting.id == second.id
    # the edited posting (now 会计 in 遵义) shares too little with the Java intention: it leaves the list
    assert [r.posting.id for r in after] == [second.id]
    manager().state().caches.ranked = None
    assert _snapshot(services.matches_for_graduate(graduate)) == _snapshot(after)
