"""Issue 15's done-when test: from an empty database (migrations only) to a graduate's match.

The command line creates the administrator and imports the universities; everything after
that happens only through HTTP, as the people involved would do it.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
import time_machine

from recruit.extensions import db
from recruit.universities.models import University
from tests.conftest import credit_code
from tests.security.identity_helpers import mailbox, register  # noqa: F401,F811  (the mailbox fixture)

UNIVERSITIES = (
    "代码,院校名称,院校代码,所在地,办学层次,毕业生人数\n"
    "GZU,贵州大学,10657,贵阳,本科,28000\n"
    "GZJT,贵州交通职业技术学院,14223,贵阳,高职专科,6000\n"
)


def _login(client, email, password):
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@time_machine.travel(date(2026, 11, 2))
def test_from_an_empty_database_to_a_graduates_match(app, client, runner, tmp_path, monkeypatch, mailbox):  # noqa: F811
    tables = [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]
    assert all(db.session.scalar(sa.select(sa.func.count()).select_from(t)) == 0 for t in tables)

    # -- the operator, on the command line
    monkeypatch.setenv("RECRUIT_ADMIN_PASSWORD", "province-admin-1")
    assert runner.invoke(args=["accounts", "create-admin", "admin@edu.gz.gov.cn"]).exit_code == 0
    path = tmp_path / "universities.csv"
    path.write_bytes(UNIVERSITIES.encode("gb18030"))
    result = runner.invoke(args=["universities", "import", str(path)])
    assert result.exit_code == 0 and "新建 2" in result.output
    gzu = db.session.scalar(sa.select(University).where(University.code == "GZU"))

    # -- the administrator invites GZU's employment office
    _login(client, "admin@edu.gz.gov.cn", "province-admin-1")
    page = client.post(
        f"/admin/universities/{gzu.id}/organizers", data={"email": "jyc@gzu.edu.cn", "display_name": "王老师"}
    ).get_data(as_text=True)
    assert "jyc@gzu.edu.cn" in page
    link = mailbox.link("jyc@gzu.edu.cn", r"http://recruit\.test(/admin/invite/\S+)")  # e-mailed (mail is on)
    client.post("/logout")

    # -- the organizer accepts, adds a venue, books and publishes a fair
    response = client.post(
        link, data={"display_name": "王老师", "password": "organizer-pass-1", "password2": "organizer-pass-1"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/universities/{gzu.id}/venues/new",
        data={
            "name": "大学生活动中心",
            "campus": "花溪校区",
            "capacity": "80",
            "setting": "indoor",
            "address": "贵阳市花溪区",
            "online_url": "",
        },
    )
    assert response.status_code == 302
    venue_id = int(
        re.search(
            r'<option[^>]*value="(\d+)"[^>]*>大学生活动中心', client.get("/fairs/new").get_data(as_text=True)
        ).group(1)
    )
    response = client.post(
        "/fairs/new",
        data={
            "title": "贵州大学软件类专场招聘会",
            "kind": "special",
            "format": "onsite",
            "day": "2026-11-18",
            "start": "14:00",
            "end": "17:00",
            "venue_id": str(venue_id),
            "online_url": "",
            "booth_capacity": "40",
            "industry_focus": "软件和信息技术服务",
            "description": "",
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    fair_path = response.headers["Location"]
    assert "贵州大学软件类专场招聘会" in client.get("/fairs/").get_data(as_text=True)
    client.post("/logout")

    # -- an employer registers; it is told the one next step and prepares a draft
    # (self-registration confirms the e-mail address first: the link comes by e-mail)
    response = register(
        client,
        "employer",
        {
            "name": "贵州云数科技有限公司",
            "credit_code": credit_code(424242),
            "industry": "软件和信息技术服务",
            "city": "贵阳",
            "contact_name": "李经理",
            "contact_phone": "0851-86660000",
            "description": "",
            "email": "hr@yunshu.example.com",
            "password": "employer-pass-1",
            "password2": "employer-pass-1",
        },
        mailbox,
    )
    assert response.status_code == 302
    assert "下一步：等待省教育厅认证单位身份" in client.get("/dashboard").get_data(as_text=True)
    posting = {
        "title": "Java后端开发工程师",
        "industry": "软件和信息技术服务",
        "city": "贵阳",
        "min_degree": "本科",
        "majors": "软件工程",
        "salary_min": "7000",
        "salary_max": "10000",
        "headcount": "5",
        "deadline": "2027-06-30",
        "description": "参与政务云平台后端开发，使用Java与Spring Boot，熟悉MySQL。",
    }
    assert client.post("/employers/me/postings/new", data=posting).status_code == 302
    client.post("/logout")

    # -- the administrator verifies the employer; the draft goes to review; it passes
    _login(client, "admin@edu.gz.gov.cn", "province-admin-1")
    page = client.get("/employers/manage?status=pending").get_data(as_text=True)
    employer_id = int(re.search(r'/employers/(\d+)"', page).group(1))
    assert client.post("/employers/bulk-approve", data={"employer_id": [str(employer_id)]}).status_code == 302
    page = client.get("/employers/reviews").get_data(as_text=True)
    posting_id = int(re.search(r'/employers/reviews/(\d+)"', page).group(1))
    assert client.post(f"/employers/reviews/{posting_id}", data={"decision": "publish"}).status_code == 302
    audit = client.get("/admin/audit").get_data(as_text=True)
    for action in ("organizer.invite", "organizer.accept", "venue.create", "employer.approve", "posting.publish"):
        assert action in audit
    client.post("/logout")

    # -- a graduate registers, records an intention and sees the posting in the matches
    response = register(
        client,
        "graduate",
        {
            "university": str(gzu.id),
            "student_number": "2023010101",
            "name": "陈同学",
            "major": "软件工程",
            "degree": "本科",
            "graduation_year": "2027",
            "email": "chen@stu.gzu.edu.cn",
            "password": "graduate-pass-1",
            "password2": "graduate-pass-1",
        },
        mailbox,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post(
        "/graduates/me/intention",
        data={
            "industries": ["软件和信息技术服务"],
            "cities": ["贵阳"],
            "positions": "Java后端开发",
            "salary_expectation": "8000",
            "skills": "Java、Spring Boot、MySQL",
            "statement": "希望从事后端开发工作。",
            "visible_to_employers": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    matches = client.get("/graduates/me/matches").get_data(as_text=True)
    assert "Java后端开发工程师" in matches and "贵州云数科技有限公司" in matches
    assert client.get(fair_path).status_code == 200
