"""Employers wait for approval; graduates wait for their university's confirmation."""

from __future__ import annotations

from recruit.extensions import db


def test_organizer_approves_pending_employer_when_the_province_delegates(app, client, auth, make_user, make_employer):
    app.config["EMPLOYER_VERIFICATION"] = "universities"
    employer = make_employer(status="pending")
    auth.login(make_user("organizer"))
    page = client.get("/employers/manage").get_data(as_text=True)
    assert employer.name in page
    response = client.post(f"/employers/{employer.id}/decide", data={"decision": "approve"})
    assert response.status_code == 302
    db.session.refresh(employer)
    assert employer.status == "approved" and employer.decided_at is not None


def test_organizer_cannot_verify_identity_by_default(client, auth, make_user, make_employer):
    employer = make_employer(status="pending")
    auth.login(make_user("organizer"))
    response = client.post(f"/employers/{employer.id}/decide", data={"decision": "approve"}, follow_redirects=True)
    assert "单位身份认证由省教育厅负责" in response.get_data(as_text=True)
    db.session.refresh(employer)
    assert employer.status == "pending"


def test_rejection_needs_a_reason(client, auth, make_user, make_employer):
    employer = make_employer(status="pending")
    auth.login(make_user("admin"))
    response = client.post(
        f"/employers/{employer.id}/decide", data={"decision": "reject", "reason": " "}, follow_redirects=True
    )
    assert "请填写不通过的原因。" in response.get_data(as_text=True)
    db.session.refresh(employer)
    assert employer.status == "pending"
    client.post(f"/employers/{employer.id}/decide", data={"decision": "reject", "reason": "营业执照信息不符"})
    db.session.refresh(employer)
    assert employer.status == "rejected" and employer.status_reason == "营业执照信息不符"


def test_unknown_employer_is_404(client, auth, make_user):
    auth.login(make_user("admin"))
    assert client.post("/employers/99999/decide", data={"decision": "approve"}).status_code == 404


def test_organizer_confirms_own_graduate_only(client, auth, make_user, make_university, make_graduate):
    mine, other = make_university(), make_university()
    own = make_graduate(university=mine, confirmed=False)
    foreign = make_graduate(university=other, confirmed=False)
    auth.login(make_user("organizer", university=mine))
    page = client.get("/graduates/manage").get_data(as_text=True)
    assert own.name in page and foreign.name not in page
    assert client.post(f"/graduates/{foreign.id}/confirm").status_code == 404
    assert client.post(f"/graduates/{own.id}/confirm").status_code == 302
    db.session.refresh(own)
    db.session.refresh(foreign)
    assert own.confirmed is True and foreign.confirmed is False


def test_admin_sees_all_graduates_and_key_groups(client, auth, make_user, make_graduate):
    graduate = make_graduate(confirmed=False, low_income=True)
    auth.login(make_user("admin"))
    page = client.get("/graduates/manage").get_data(as_text=True)
    assert graduate.name in page and "低收入家庭" in page


def test_pending_employer_dashboard_explains(client, auth, make_user, make_employer):
    employer = make_employer(status="pending")
    auth.login(make_user("employer", employer=employer))
    page = client.get("/dashboard").get_data(as_text=True)
    assert page.count('data-testid="next-step"') == 1 and "下一步：等待省教育厅认证单位身份" in page
