"""Applying, withdrawing, the employer's pipeline, bulk actions, exports and the .ics, via HTTP."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.applications import services

from recruit.applications import resumes
from recruit.applications.models import Application
from recruit.extensions import db
from recruit.timeutil import local, utcnow
from tests.applications.conftest import notifications_of


def _local_input(days: int = 2) -> str:
    return f"{local(utcnow() + timedelta(days=days)):%Y-%m-%dT%H:%M}"


def test_graduate_applies_once(client, auth, scene):
    auth.login(scene.graduate_user)
    response = client.post(f"/postings/{scene.posting.id}/apply", data={"cover_note": "期待加入"})
    assert response.status_code == 302
    [application] = db.session.scalars(sa.select(Application)).all()
    assert response.headers["Location"].endswith(f"/me/applications/{application.id}")
    assert application.status == "submitted" and application.cover_note == "期待加入"
    again = client.post(f"/postings/{scene.posting.id}/apply", data={"cover_note": "再投一次"})
    assert again.status_code == 409
    assert "您已投递过该岗位" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 1
    html = client.get(f"/postings/{scene.posting.id}").get_data(as_text=True)
    assert 'data-testid="application-status"' in html and "已投递" in html


def test_applying_needs_a_resume(client, auth, make_posting, make_graduate, make_user):
    posting = make_posting()
    user = make_user("graduate", graduate=make_graduate())
    auth.login(user)
    response = client.post(f"/postings/{posting.id}/apply")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/resume")
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0
    assert "投递前请先填写简历" in client.get(f"/postings/{posting.id}").get_data(as_text=True)


@pytest.mark.parametrize("change, code", [("closed", 404), ("unconfirmed", 403), ("missing", 404)])
def test_refused_applications(client, auth, scene, change, code):
    posting_id = scene.posting.id
    if change == "closed":
        scene.posting.status = "closed"
    elif change == "unconfirmed":
        scene.graduate.confirmed = False
    else:
        posting_id = 999999
    db.session.commit()
    auth.login(scene.graduate_user)
    assert client.post(f"/postings/{posting_id}/apply").status_code == code
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_application_made_at_a_fair_keeps_the_fair(client, auth, scene, make_fair):
    from recruit.fairs.models import FairRegistration

    fair = make_fair(day=(local(utcnow()) + timedelta(days=3)).date())
    other_fair = make_fair(day=(local(utcnow()) + timedelta(days=4)).date())
    db.session.add(FairRegistration(fair_id=fair.id, employer_id=scene.posting.employer_id, status="approved"))
    db.session.commit()
    auth.login(scene.graduate_user)
    client.post(f"/postings/{scene.posting.id}/apply", data={"fair_id": str(fair.id)})
    assert db.session.scalar(sa.select(Application.fair_id)) == fair.id
    # a fair where the employer has no booth is not recorded
    db.session.execute(sa.delete(Application))
    db.session.commit()
    client.post(f"/postings/{scene.posting.id}/apply", data={"fair_id": str(other_fair.id)})
    assert db.session.scalar(sa.select(Application.fair_id)) is None


def test_withdraw_while_undecided_only(client, auth, scene, application):
    auth.login(scene.graduate_user)
    assert client.post(f"/me/applications/{application.id}/withdraw").status_code == 302
    db.session.refresh(application)
    assert application.status == "withdrawn"
    client.post(f"/me/applications/{application.id}/withdraw")
    db.session.refresh(application)
    assert application.version == 2  # the second withdrawal changed nothing


def test_graduate_follows_status_and_records_an_accepted_offer(client, auth, scene, application):
    auth.login(scene.employer_user)
    client.get(f"/employer/applications/{application.id}")  # opening it marks it viewed
    db.session.refresh(application)
    assert application.status == "viewed"
    response = client.post(
        f"/employer/applications/{application.id}/decide",
        data={
            "action": "interview",
            "interview_at": _local_input(),
            "interview_minutes": "30",
            "interview_place": "",
            "interview_url": "https://meeting.example.com/abc",
            "message": "线上面试",
            "version": application.version,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post(f"/employer/applications/{application.id}/decide", data={"action": "offered", "message": "欢迎"})
    auth.logout()
    auth.login(scene.graduate_user)
    html = client.get(f"/me/applications/{application.id}").get_data(as_text=True)
    assert "录用" in html and "欢迎" in html and "线上面试" in html
    mine = client.get("/me/applications").get_data(as_text=True)
    assert scene.posting.title in mine and "录用" in mine
    client.post(f"/me/applications/{application.id}/offer", data={"answer": "accept"})
    db.session.refresh(application)
    assert application.status == "accepted"
    assert [e.to_status for e in application.events] == ["submitted", "viewed", "interview", "offered", "accepted"]


def test_interview_calendar_download(client, auth, scene, application):
    services.transition(
        application,
        "interview",
        scene.employer_user,
        actor="employer",
        interview=services.Interview(at=utcnow() + timedelta(days=1), place="XX大厦"),
    )
    auth.login(scene.graduate_user)
    response = client.get(f"/me/applications/{application.id}/interview.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "LOCATION:XX大厦" in body and "BEGIN:VTIMEZONE" in body


@pytest.mark.parametrize(
    "data, field_error",
    [
        ({"action": "interview", "interview_at": "", "interview_place": "A"}, "请填写面试时间"),
        ({"action": "interview", "interview_at": "明天下午", "interview_place": "A"}, "请输入有效的日期和时间"),
        ({"action": "interview", "interview_at": "2020-01-01T10:00", "interview_place": "A"}, "面试时间不能早于现在"),
        ({"action": "interview", "interview_at": "TOMORROW", "interview_minutes": "x"}, "请输入有效的日期和时间"),
        ({"action": "interview", "interview_at": "NEXT", "interview_minutes": "99999999999999"}, "请输入整数"),
        ({"action": "interview", "interview_at": "NEXT"}, "请填写面试地点或线上会议链接"),
        ({"action": "accepted"}, "Not a valid choice"),
        ({"action": "offered", "message": "长" * 1001}, "不能超过 1000 个字符"),
    ],
)
def test_decide_validation(client, auth, scene, application, data, field_error):
    data = dict(data)
    if data.get("interview_at") == "NEXT":
        data["interview_at"] = _local_input()
    if data.get("interview_at") == "TOMORROW":
        data["interview_at"] = "2099-13-40T99:99"
    auth.login(scene.employer_user)
    response = client.post(f"/employer/applications/{application.id}/decide", data=data)
    assert response.status_code in (409, 422)
    assert field_error in response.get_data(as_text=True) or field_error == "Not a valid choice"
    db.session.refresh(application)
    assert application.status in ("submitted", "viewed")


def test_decide_on_a_stale_page_is_409(client, auth, scene, application):
    services.transition(application, "rejected", scene.employer_user, actor="employer")
    auth.login(scene.employer_user)
    response = client.post(
        f"/employer/applications/{application.id}/decide", data={"action": "offered", "version": "1"}
    )
    assert response.status_code == 409
    db.session.refresh(application)
    assert application.status == "rejected"


def test_pipeline_filters_bulk_and_export(client, auth, scene, make_graduate, make_user):
    others = []
    for major, degree in (("会计学", "本科"), ("=cmd|' /C calc'!A0", "硕士")):
        g = make_graduate(major=major, degree=degree, name=f"{major}同学")
        resumes.save_resume(g, {"skills": "@SUM(1+1)"})
        others.append(services.apply(g, scene.posting, make_user("graduate", graduate=g)))
    mine = services.apply(scene.graduate, scene.posting, scene.graduate_user)
    auth.login(scene.employer_user)
    html = client.get(f"/employer/postings/{scene.posting.id}/applications").get_data(as_text=True)
    assert html.count('name="ids"') == 3
    html = client.get(f"/employer/postings/{scene.posting.id}/applications?degree=硕士").get_data(as_text=True)
    assert html.count('name="ids"') == 1
    html = client.get(f"/employer/postings/{scene.posting.id}/applications?q=会计").get_data(as_text=True)
    assert html.count('name="ids"') == 1
    response = client.post(
        f"/employer/postings/{scene.posting.id}/applications/bulk",
        data={
            "ids": [str(a.id) for a in others] + ["abc", "99999999999999999"],
            "action": "rejected",
            "message": "感谢关注",
        },
    )
    assert response.status_code == 302
    assert {db.session.get(Application, a.id).status for a in others} == {"rejected"}
    assert db.session.get(Application, mine.id).status == "submitted"
    client.post(
        f"/employer/postings/{scene.posting.id}/applications/bulk",
        data={"ids": [str(others[0].id), str(mine.id)], "action": "offered"},
    )
    db.session.expire_all()
    assert db.session.get(Application, others[0].id).status == "rejected"  # not allowed from rejected: skipped
    assert db.session.get(Application, mine.id).status == "offered"
    response = client.get(f"/employer/postings/{scene.posting.id}/applications/export/csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["投递编号", "姓名", "学校"] and len(rows) == 4
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells
    assert not any("低收入" in c or "少数民族" in c for c in cells)
    xlsx = client.get(f"/employer/postings/{scene.posting.id}/applications/export/xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get(f"/employer/postings/{scene.posting.id}/applications/export/pdf").status_code == 404


def test_employer_of_another_posting_sees_nothing(client, auth, scene, application, make_user):
    auth.login(make_user("employer"))
    assert client.get(f"/employer/applications/{application.id}").status_code == 404
    assert client.get(f"/employer/postings/{scene.posting.id}/applications").status_code == 404
    assert client.post(f"/employer/applications/{application.id}/decide", data={"action": "offered"}).status_code == 404
    db.session.refresh(application)
    assert application.status == "submitted"


def test_employer_never_sees_key_group_flags(client, auth, scene, application):
    scene.graduate.low_income = scene.graduate.ethnic_minority = scene.graduate.disability = True
    db.session.commit()
    auth.login(scene.employer_user)
    for url in (
        f"/employer/applications/{application.id}",
        f"/employer/postings/{scene.posting.id}/applications",
        f"/resumes/{scene.graduate.id}",
        f"/employers/me/postings/{scene.posting.id}",
    ):
        html = client.get(url).get_data(as_text=True)
        for label in ("低收入", "少数民族", "残疾"):
            assert label not in html, (url, label)


def test_new_application_notifies_the_employer_once(scene, application):
    notes = notifications_of(scene.employer_user)
    assert [n.event_key for n in notes] == [f"application_new:{application.id}"]


@pytest.mark.parametrize(
    "query",
    [
        "fmt=x&posting_id=3",
        "page=-5",
        "page=99999999999999999999",
        "status=%00",
        "q=" + "%25" * 100,
        "degree=博士&status=offered",
    ],
)
def test_pipeline_odd_query_strings(client, auth, scene, application, query):
    auth.login(scene.employer_user)
    expected = 400 if "%00" in query else 200  # a NUL is refused app-wide (recruit.core.inputs)
    assert client.get(f"/employer/postings/{scene.posting.id}/applications?{query}").status_code == expected


def test_my_postings_counts_applications(client, auth, scene, application):
    auth.login(scene.employer_user)
    html = client.get("/employers/me/postings").get_data(as_text=True)
    assert f"/employer/postings/{scene.posting.id}/applications" in html and "投递管理（1）" in html
