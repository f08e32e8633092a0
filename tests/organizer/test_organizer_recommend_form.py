"""The key-group 推荐此岗位 form as the browser submits it (issue 14, item 1)."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from recruit.extensions import db
from tests.htmlforms import forms
from tests.organizer.test_organizer_pages import INTENTION


def test_the_rendered_recommend_form_recommends(
    app, client, auth, make_university, make_user, make_graduate, make_posting
):
    from recruit.graduates.models import SchoolRecommendation

    university = make_university(code="REC1")
    organizer = make_user("organizer", university=university)
    case = make_graduate(university=university, name="个案丙", low_income=True, intention=INTENTION)
    make_posting()
    make_posting(title="数据分析师", description="Java、MySQL 数据分析", city="贵阳")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        auth_page = client.get("/login").get_data(as_text=True)
        login = next(f for f in forms(auth_page) if "email" in dict(f["fields"]))
        data = MultiDict(login["fields"])
        data["email"], data["password"] = organizer.email, "password123"
        assert client.post("/login", data=data).status_code == 302
        page = client.get(f"/org/key-group/{case.id}").get_data(as_text=True)
        recommend_forms = [f for f in forms(page) if f["action"].endswith("/recommend")]
        assert recommend_forms
        fields = recommend_forms[0]["fields"]
        assert [name for name, _v in fields].count("posting_id") == 1, fields
        posting_id = int(dict(fields)["posting_id"])
        data = MultiDict(fields)
        data["note"] = "适合你的专业"
        result = client.post(recommend_forms[0]["action"], data=data, follow_redirects=True).get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert "请选择要推荐的岗位" not in result and "优先推荐" in result
    rec = db.session.scalar(sa.select(SchoolRecommendation))
    assert (rec.graduate_id, rec.posting_id, rec.note) == (case.id, posting_id, "适合你的专业")
    # Shown under 学校推荐 on the case page and first in the graduate's matches.
    section = result.split("学校推荐（优先推荐）", 1)[1]
    assert "适合你的专业" in section
    graduate_user = make_user("graduate", graduate=case)
    auth.logout()
    auth.login(graduate_user)
    matches = client.get("/graduates/me/matches").get_data(as_text=True)
    first = matches.split('data-posting-id="', 2)[1].split('"', 1)[0]
    assert int(first) == posting_id


def test_a_double_submit_makes_one_recommendation_and_one_notification(
    app, client, auth, make_university, make_user, make_graduate, make_posting, monkeypatch
):
    from recruit.graduates.models import SchoolRecommendation
    from recruit.notifications.models import Notification
    from recruit.organizer import services

    university = make_university(code="REC2")
    organizer = make_user("organizer", university=university)
    case = make_graduate(university=university, low_income=True, intention=INTENTION)
    make_user("graduate", graduate=case)
    posting = make_posting()
    # Both submits pass the Python check (as two simultaneous requests would): the database decides.
    monkeypatch.setattr(services, "already_recommended", lambda *a: False)
    auth.login(organizer)
    first = client.post(f"/org/key-group/{case.id}/recommend", data={"posting_id": posting.id})
    second = client.post(f"/org/key-group/{case.id}/recommend", data={"posting_id": posting.id}, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "已经向该毕业生推荐过这个岗位" in second.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRecommendation)) == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Notification).where(Notification.kind == "school_recommendation")
        )
        == 1
    )
