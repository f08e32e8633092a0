"""Employers invite matched, opted-in graduates; contact details follow the graduate's consent.
The university's view of its graduates' applications and outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.applications import services

from recruit.applications import resumes

from recruit.applications import outcomes

from recruit.applications import invitations
from recruit.applications.models import Application, Invitation
from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairs.models import FairRegistration
from recruit.timeutil import local, utcnow
from tests.applications.conftest import notifications_of


@pytest.fixture
def booth_fair(scene, make_fair):
    fair = make_fair(day=(local(utcnow()) + timedelta(days=5)).date(), title="春季双选会")
    db.session.add(FairRegistration(fair_id=fair.id, employer_id=scene.posting.employer_id, status="approved"))
    db.session.commit()
    return fair


def test_invite_to_apply_then_accept_applies(client, auth, scene):
    scene.graduate.share_contact = False
    db.session.commit()
    auth.login(scene.employer_user)
    html = client.get(f"/employers/me/postings/{scene.posting.id}").get_data(as_text=True)
    assert scene.graduate.name not in html  # contact not shared yet
    assert f"/invite/{scene.graduate.id}" in html
    response = client.post(
        f"/employer/postings/{scene.posting.id}/invite/{scene.graduate.id}",
        data={"kind": "apply", "fair_id": "0", "message": "欢迎投递"},
    )
    assert response.status_code == 302
    again = client.post(
        f"/employer/postings/{scene.posting.id}/invite/{scene.graduate.id}", data={"kind": "apply", "fair_id": "0"}
    )
    assert again.status_code == 409 and "已向该毕业生发出过同样的邀请" in again.get_data(as_text=True)
    assert scene.graduate.name not in client.get("/employer/invitations").get_data(as_text=True)
    auth.logout()
    [invitation] = db.session.scalars(sa.select(Invitation)).all()
    assert [n.kind for n in notifications_of(scene.graduate_user)] == ["invitation"]
    auth.login(scene.graduate_user)
    assert "欢迎投递" in client.get("/me/invitations").get_data(as_text=True)
    client.post(f"/me/invitations/{invitation.id}/respond", data={"answer": "accept"})
    [application] = db.session.scalars(sa.select(Application)).all()
    assert application.invitation_id == invitation.id and application.status == "submitted"
    assert client.post(f"/me/invitations/{invitation.id}/respond", data={"answer": "decline"}).status_code == 302
    db.session.refresh(invitation)
    assert invitation.status == "accepted"
    auth.logout()
    auth.login(scene.employer_user)
    assert scene.graduate.name in client.get("/employer/invitations").get_data(as_text=True)


def test_fair_invitation_declined_shares_nothing(client, auth, scene, booth_fair):
    scene.graduate.share_contact = False
    db.session.commit()
    invitation = invitations.invite(
        scene.employer_user, scene.graduate.id, scene.posting.id, "fair", fair_id=booth_fair.id, message="展位 A12 见"
    )
    assert invitation.fair_id == booth_fair.id
    invitations.respond(scene.graduate, invitation.id, scene.graduate_user, accept=False)
    assert not resumes.contact_shared(scene.graduate, scene.posting.employer_id)
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_fair_invitation_accepted_shares_contact(scene, booth_fair):
    scene.graduate.share_contact = False
    db.session.commit()
    invitation = invitations.invite(
        scene.employer_user, scene.graduate.id, scene.posting.id, "fair", fair_id=booth_fair.id
    )
    assert not resumes.contact_shared(scene.graduate, scene.posting.employer_id)
    invitations.respond(scene.graduate, invitation.id, scene.graduate_user, accept=True)
    assert resumes.contact_shared(scene.graduate, scene.posting.employer_id)


@pytest.mark.parametrize(
    "change, status",
    [
        ("not_visible", 404),
        ("unconfirmed", 404),
        ("no_intention", 404),
        ("not_matched", 409),
        ("fair_without_booth", 400),
        ("posting_closed", 409),
        ("other_employers_posting", 404),
    ],
)
def test_refused_invitations(scene, make_fair, make_posting, change, status):
    posting_id, kind, fair_id = scene.posting.id, "apply", None
    if change == "not_visible":
        scene.graduate.visible_to_employers = False
    elif change == "unconfirmed":
        scene.graduate.confirmed = False
    elif change == "no_intention":
        db.session.delete(scene.graduate.intention)
    elif change == "not_matched":
        posting_id = make_posting(
            employer=scene.posting.employer,
            title="护士",
            description="护理病人",
            industry="健康医药",
            majors=["护理学"],
            city="遵义",
        ).id
    elif change == "fair_without_booth":
        kind, fair_id = "fair", make_fair(day=(local(utcnow()) + timedelta(days=3)).date()).id
    elif change == "posting_closed":
        scene.posting.status = "closed"
    else:
        posting_id = make_posting().id
    db.session.commit()
    with pytest.raises(ServiceError) as info:
        invitations.invite(scene.employer_user, scene.graduate.id, posting_id, kind, fair_id=fair_id)
    assert info.value.status == status
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_another_graduate_cannot_answer(client, auth, scene, make_user):
    invitation = invitations.invite(scene.employer_user, scene.graduate.id, scene.posting.id, "apply")
    auth.login(make_user("graduate"))
    assert client.post(f"/me/invitations/{invitation.id}/respond", data={"answer": "accept"}).status_code == 404
    db.session.refresh(invitation)
    assert invitation.status == "pending"


def test_university_sees_outcomes_of_its_own_graduates(client, auth, scene, make_graduate, make_user):
    services.apply(scene.graduate, scene.posting, scene.graduate_user)
    outsider = make_graduate(major="外校专业", name="外校学生")
    resumes.save_resume(outsider, {"skills": "x"})
    services.apply(outsider, scene.posting, make_user("graduate", graduate=outsider))
    a = db.session.scalar(sa.select(Application).where(Application.graduate_id == scene.graduate.id))
    services.transition(a, "offered", scene.employer_user, actor="employer")
    services.answer_offer(scene.graduate, a, scene.graduate_user, accept=True)
    auth.login(scene.organizer)
    html = client.get("/org/applications").get_data(as_text=True)
    assert scene.graduate.name in html and "计算机科学与技术" in html
    assert "外校学生" not in html and "外校专业" not in html
    rows = outcomes.outcomes_by_major(scene.organizer)
    assert rows == [{"major": "计算机科学与技术", "total": 1, "accepted": 1, "offers": 1}]
    auth.logout()
    admin = make_user("admin")
    auth.login(admin)
    html = client.get("/org/applications").get_data(as_text=True)
    assert scene.graduate.university.name in html and outsider.university.name in html
    by_uni = {r["university"].id: r for r in outcomes.outcomes_by_university(admin)}
    assert by_uni[scene.graduate.university_id]["accepted"] == 1 and by_uni[outsider.university_id]["offers"] == 0
    assert client.get("/org/applications?university=99999999999999999999").status_code == 200


def test_key_group_case_record_lists_applications(client, auth, scene, make_user):
    scene.graduate.low_income = True
    db.session.commit()
    services.apply(scene.graduate, scene.posting, scene.graduate_user)
    auth.login(scene.organizer)
    html = client.get(f"/org/key-group/{scene.graduate.id}").get_data(as_text=True)
    assert "投递记录" in html and scene.posting.title in html
    auth.logout()
    auth.login(make_user("organizer"))  # another university: no case record, no applications
    assert client.get(f"/org/key-group/{scene.graduate.id}").status_code == 404
    assert outcomes.case_applications(make_user("employer"), scene.graduate) == []


def test_supply_and_demand_counts_applications_and_offers_per_major(client, auth, scene, make_graduate, make_user):
    from recruit.organizer import services as organizer

    services.apply(scene.graduate, scene.posting, scene.graduate_user)
    a = db.session.scalar(sa.select(Application))
    services.transition(a, "offered", scene.employer_user, actor="employer")
    other = make_graduate(university=scene.graduate.university, major="会计学")
    resumes.save_resume(other, {"skills": "Excel"})
    services.apply(other, scene.posting, make_user("graduate", graduate=other))
    rows = {r.major: r for r in organizer.supply_demand(scene.graduate.university)}
    assert (rows["计算机科学与技术"].applications, rows["计算机科学与技术"].offers) == (1, 1)
    assert (rows["会计学"].applications, rows["会计学"].offers) == (1, 0)
    auth.login(scene.organizer)
    html = client.get("/org/supply-demand").get_data(as_text=True)
    assert "投递数" in html and "录用数" in html
