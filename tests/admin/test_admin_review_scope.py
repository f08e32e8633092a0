"""Posting review delegated to universities (POSTING_REVIEW = "universities"): an organizer
reviews only the postings of employers their own university accepted; publishing is
province-wide, so no university publishes for an employer it has not accepted, and a delegated
reviewer cannot make an employer "trusted" (province-wide) either."""

from __future__ import annotations

import pytest

from recruit.core.errors import ServiceError
from recruit.employers import services
from recruit.employers.models import Employer, Posting
from recruit.extensions import db


@pytest.fixture
def delegated(app, make_university, make_user, make_employer, make_posting):
    app.config["POSTING_REVIEW"] = "universities"
    mine, other = make_university(), make_university()
    organizer = make_user("organizer", university=mine)
    accepted, elsewhere, undecided = make_employer(), make_employer(), make_employer()
    admin = make_user("admin")
    services.decide_participation(accepted, mine.id, "approved", "", organizer)
    services.decide_participation(elsewhere, other.id, "approved", "", make_user("organizer", university=other))
    postings = {}
    for name, employer in (("accepted", accepted), ("elsewhere", elsewhere), ("undecided", undecided)):
        posting = make_posting(employer=employer, title=f"{name}岗位")
        posting.review_status = "pending"
        postings[name] = posting
    db.session.commit()
    return organizer, admin, postings


def _listed(client) -> list[str]:
    page = client.get("/employers/reviews").get_data(as_text=True)
    return sorted(t for t in ("accepted岗位", "elsewhere岗位", "undecided岗位") if t in page)


def test_an_organizer_lists_and_reviews_only_the_employers_their_university_accepted(client, auth, delegated):
    organizer, _admin, postings = delegated
    auth.login(organizer)
    assert _listed(client) == ["accepted岗位"]
    assert 'data-testid="review-scope"' in client.get("/employers/reviews").get_data(as_text=True)
    for name in ("elsewhere", "undecided"):
        response = client.post(
            f"/employers/reviews/{postings[name].id}", data={"decision": "publish"}, follow_redirects=True
        )
        assert "其岗位由省级管理员审核" in response.get_data(as_text=True)
        assert db.session.get(Posting, postings[name].id).review_status == "pending"
    client.post(f"/employers/reviews/{postings['accepted'].id}", data={"decision": "publish"})
    assert db.session.get(Posting, postings["accepted"].id).review_status == "published"


def test_the_province_reviews_every_employer(client, auth, delegated):
    _organizer, admin, postings = delegated
    auth.login(admin)
    assert _listed(client) == ["accepted岗位", "elsewhere岗位", "undecided岗位"]
    client.post(f"/employers/reviews/{postings['undecided'].id}", data={"decision": "publish"})
    assert db.session.get(Posting, postings["undecided"].id).review_status == "published"


def test_a_refusal_or_suspension_takes_the_review_away(app, delegated):
    organizer, _admin, postings = delegated
    employer = db.session.get(Employer, postings["accepted"].employer_id)
    services.decide_participation(employer, organizer.university_id, "suspended", "核实中", organizer)
    with pytest.raises(ServiceError) as error:
        services.review_posting(postings["accepted"], True, "", organizer)
    assert error.value.status == 403
    assert db.session.scalars(services.pending_postings_query(organizer)).all() == []


def test_a_delegated_reviewer_cannot_make_an_employer_trusted(client, auth, delegated, app):
    organizer, admin, postings = delegated
    employer_id = postings["accepted"].employer_id
    auth.login(organizer)
    client.post(f"/employers/{employer_id}/trust", data={"trusted": "1"})
    assert db.session.get(Employer, employer_id).trusted is False
    assert "岗位免审" not in client.get(f"/employers/{employer_id}").get_data(as_text=True)
    app.config["EMPLOYER_VERIFICATION"] = "universities"  # identity verification delegated: province-wide authority
    client.post(f"/employers/{employer_id}/trust", data={"trusted": "1"})
    db.session.expire_all()
    assert db.session.get(Employer, employer_id).trusted is True
