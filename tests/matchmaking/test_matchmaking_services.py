"""The matchmaking services: degree rule, active postings only, opt-in graduates, batch scores."""

from __future__ import annotations

from datetime import date

import time_machine

from recruit.extensions import db
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


def _ids(rows):
    return [r.posting.id for r in rows]


def test_matches_rank_with_reasons(app, make_posting, make_graduate):
    java = make_posting(title="Java后端开发工程师")
    make_posting(title="会计", description="负责账务处理", industry="金融", majors=["会计学"], city="遵义")
    graduate = make_graduate(intention=INTENTION)
    rows = services.matches_for_graduate(graduate)
    assert rows[0].posting.id == java.id
    assert rows[0].score > 0
    assert any(r.code == "major" for r in rows[0].reasons)
    assert rows[0].terms


def test_degree_rule_end_to_end(app, make_posting, make_graduate):
    make_posting(title="Java后端开发工程师", min_degree="硕士")
    ok = make_posting(title="Java开发工程师", min_degree="专科")
    graduate = make_graduate(intention=INTENTION, degree="本科")
    assert _ids(services.matches_for_graduate(graduate)) == [ok.id]
    master = make_graduate(intention=INTENTION, degree="硕士")
    assert len(services.matches_for_graduate(master)) == 2


def test_expired_closed_and_unapproved_postings_never_appear(app, make_posting, make_employer, make_graduate):
    good = make_posting()
    make_posting(deadline=date(2020, 1, 1))
    make_posting(status="closed")
    make_posting(employer=make_employer(status="pending"))
    make_posting(employer=make_employer(status="rejected"))
    graduate = make_graduate(intention=INTENTION)
    assert _ids(services.matches_for_graduate(graduate)) == [good.id]


def test_deadline_passing_removes_a_posting_without_any_event(app, make_posting, make_graduate):
    p = make_posting(deadline=date(2027, 1, 10))
    graduate = make_graduate(intention=INTENTION)
    with time_machine.travel(date(2027, 1, 10)):
        assert _ids(services.matches_for_graduate(graduate)) == [p.id]
    with time_machine.travel(date(2027, 1, 11)):
        assert services.matches_for_graduate(graduate) == []


def test_filters_and_pagination(app, make_posting, make_graduate):
    gy = [make_posting(title=f"Java开发工程师{i}") for i in range(5)]
    zy = make_posting(title="Java开发工程师", city="遵义")
    graduate = make_graduate(intention=INTENTION)
    assert _ids(services.matches_for_graduate(graduate, city="遵义")) == [zy.id]
    assert services.matches_for_graduate(graduate, industry="金融") == []
    assert services.matches_for_graduate(graduate, min_score=1.0) == []
    rows, total = services.match_page(graduate, page=2, per_page=4)
    assert total == 6 and len(rows) == 2
    first, _ = services.match_page(graduate, page=1, per_page=4)
    assert set(_ids(first)) | set(_ids(rows)) == {p.id for p in gy} | {zy.id}


def test_no_intention_no_matches(app, make_posting, make_graduate):
    make_posting()
    assert services.matches_for_graduate(make_graduate()) == []


def test_school_recommendation_first_and_marked(app, make_posting, make_graduate):
    from recruit.graduates.models import SchoolRecommendation

    best = make_posting(title="Java后端开发工程师")
    other = make_posting(title="行政助理", description="文件管理", industry="公共管理", majors=[])
    graduate = make_graduate(intention=INTENTION)
    db.session.add(SchoolRecommendation(graduate_id=graduate.id, posting_id=other.id, note="适合你"))
    db.session.commit()
    rows = services.matches_for_graduate(graduate)
    assert rows[0].posting.id == other.id and rows[0].recommended
    assert rows[0].recommendation_note == "适合你"
    assert rows[1].posting.id == best.id and not rows[1].recommended


def test_matched_graduates_only_confirmed_opted_in(app, make_posting, make_graduate):
    posting = make_posting()
    shown = make_graduate(intention=INTENTION)
    make_graduate(intention=INTENTION, visible_to_employers=False)
    make_graduate(intention=INTENTION, confirmed=False)
    pairs = services.matched_graduates_for_posting(posting)
    assert [g.id for g, _ in pairs] == [shown.id]
    assert pairs[0][1].score > 0


def test_top_match_scores_and_employer_ids(app, make_posting, make_graduate):
    p = make_posting()
    g1 = make_graduate(intention=INTENTION)
    g2 = make_graduate()
    scores = services.top_match_scores([g1, g2])
    assert scores[g2.id] == 0.0 and scores[g1.id] > 0
    assert services.matched_employer_ids(g1) == {p.employer_id}


def test_refit_index_reports(app, make_posting, make_graduate):
    make_posting()
    make_graduate(intention=INTENTION)
    result = services.refit_index()
    assert result["postings"] == 1 and result["intentions"] == 1 and result["seconds"] >= 0
    assert manager().stats["fits"] == 1


def test_empty_database(app, make_graduate):
    graduate = make_graduate(intention=INTENTION)
    assert services.matches_for_graduate(graduate) == []
    assert services.top_match_scores([graduate]) == {graduate.id: 0.0}
