"""The organizer pages: upload, templates, exports, supply and demand, key-group case records, IDOR."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from tests.organizer.test_organizer_import import G_HEADER, csv_bytes, grow

INTENTION = dict(
    positions=["Java开发"],
    cities=["贵阳"],
    industries=["软件和信息技术服务"],
    skills="Java、Spring Boot、MySQL",
    statement="想做Java后端开发，熟悉Spring Boot和MySQL",
)


@pytest.fixture
def school(make_university, make_user):
    university = make_university(code="ORG1", majors=["计算机科学与技术", "会计学", "旅游管理"])
    organizer = make_user("organizer", university=university)
    return university, organizer


def upload(client, what, data, filename, **query):
    return client.post(
        f"/org/imports/{what}",
        query_string=query,
        content_type="multipart/form-data",
        data={f"{what}-file": (io.BytesIO(data), filename)},
    )


def test_upload_good_and_bad_files(app, client, auth, school):
    from recruit.graduates.models import Graduate

    university, organizer = school
    auth.login(organizer)
    bad = csv_bytes(G_HEADER, [grow("1"), grow("2", **{"学历": "初中"}), grow("3")])
    response = upload(client, "graduates", bad, "bad.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "未写入任何数据" in page and "学历" in page and "须为 专科、本科、硕士 或 博士" in page and "<td>3</td>" in page
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Graduate)) == 0
    response = upload(client, "graduates", csv_bytes(G_HEADER, [grow("1"), grow("2")]), "good.csv")
    assert response.status_code == 200 and "新建 2" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Graduate).where(Graduate.university_id == university.id)
        )
        == 2
    )


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("g.pdf", b"%PDF-1.4", "只能导入 .csv 或 .xlsx 文件"),
        ("g.xlsx", b"not a zip", "不是有效的 XLSX"),
        ("g.csv", b"", "上传的文件是空的"),
    ],
)
def test_upload_refuses_other_files(app, client, auth, school, filename, data, message):
    auth.login(school[1])
    response = upload(client, "graduates", data, filename)
    assert message in response.get_data(as_text=True)


def test_upload_too_large(app, client, auth, school):
    auth.login(school[1])
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(client, "postings", b"x" * 5000, "big.csv")
    assert response.status_code == 413 and "文件太大" in response.get_data(as_text=True)


def test_templates_and_exports(app, client, auth, school, make_graduate, make_posting):
    university, organizer = school
    make_graduate(university=university, name="出口甲", low_income=True, intention=INTENTION)
    make_posting()
    auth.login(organizer)
    response = client.get("/org/templates/graduates.csv")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert "学号,姓名,专业" in response.data.decode("utf-8-sig")
    assert client.get("/org/templates/postings.xlsx").data[:2] == b"PK"
    text = client.get("/org/exports/graduates.csv").data.decode("utf-8-sig")
    assert "出口甲" in text and "低收入家庭" in text
    postings = client.get("/org/exports/postings.csv")
    assert "no-store" in postings.headers["Cache-Control"]
    body = postings.data.decode("utf-8-sig")
    assert "Java后端开发工程师" in body and "低收入家庭" not in body and "出口甲" not in body
    assert client.get("/org/exports/graduates.pdf").status_code == 404
    assert client.get("/org/exports/secrets.csv").status_code == 404


def test_admin_chooses_the_university(app, client, auth, school, make_user, make_graduate):
    university, _organizer = school
    make_graduate(university=university, name="选校乙")
    auth.login(make_user("admin"))
    assert client.get("/org/exports/graduates.csv").status_code == 302
    assert "选校乙" in client.get("/org/exports/graduates.csv?university=ORG1").data.decode("utf-8-sig")
    page = client.get("/org/supply-demand").get_data(as_text=True)
    assert "请选择学校" in page


def test_organizer_cannot_pick_another_university(app, client, auth, school, make_university, make_graduate):
    other = make_university(code="OTH")
    make_graduate(university=other, name="别校丙", low_income=True)
    auth.login(school[1])
    assert "别校丙" not in client.get("/org/exports/graduates.csv?university=OTH").data.decode("utf-8-sig")
    assert "别校丙" not in client.get("/org/key-group?university=OTH").get_data(as_text=True)


def test_supply_demand(app, client, auth, school, make_graduate, make_posting):
    university, organizer = school
    for _ in range(2):
        make_graduate(university=university, major="计算机科学与技术", intention=INTENTION)
    make_graduate(
        university=university,
        major="会计学",
        intention=dict(positions=["出纳"], cities=["遵义"], industries=["金融"], skills="珠算", statement="想做出纳"),
    )
    make_posting(majors=["计算机科学与技术"])
    make_posting(majors=[], title="管培生", description="不限专业的管理培训生")
    from recruit.organizer import services

    from recruit.graduates.models import Graduate
    from recruit.matchmaking.services import top_match_scores

    scores = top_match_scores(db.session.scalars(sa.select(Graduate)).all())
    cs = [s for gid, s in scores.items() if db.session.get(Graduate, gid).major == "计算机科学与技术"]
    accounting = [s for gid, s in scores.items() if db.session.get(Graduate, gid).major == "会计学"]
    assert min(cs) > max(accounting), scores
    threshold = round((min(cs) + max(accounting)) / 2, 3)
    rows = services.supply_demand(university, threshold)
    by_major = {r.major: r for r in rows}
    assert (
        by_major["计算机科学与技术"].graduates,
        by_major["计算机科学与技术"].postings_for_major,
        by_major["计算机科学与技术"].postings_any_major,
    ) == (2, 1, 1)
    assert by_major["计算机科学与技术"].matched == 2 and by_major["会计学"].matched == 0
    assert rows[0].major == "会计学"  # worst match rate first (majors with graduates before empty ones)
    assert rows[-1].major == "旅游管理" and rows[-1].graduates == 0
    everyone = services.supply_demand(university, 1.0)
    assert all(r.matched == 0 for r in everyone)
    auth.login(organizer)
    page = client.get(f"/org/supply-demand?threshold={threshold}").get_data(as_text=True)
    assert "<svg" in page and 'class="sortable"' in page and "计算机科学与技术" in page and "100.0%" in page
    assert "<script" not in page.split("<svg")[1].split("</svg>")[0]
    assert "匹配阈值须为 0 到 1 之间的数字" in client.get("/org/supply-demand?threshold=abc").get_data(as_text=True)
    assert "匹配阈值须为 0 到 1 之间的数字" in client.get("/org/supply-demand?threshold=2").get_data(as_text=True)
    csv_text = client.get(f"/org/supply-demand.csv?threshold={threshold}").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("专业,专业类,毕业生人数") and "会计学" in csv_text
    assert client.get("/org/supply-demand.xlsx").data[:2] == b"PK"


def test_key_group_list_and_case_record(app, client, auth, school, make_graduate, make_posting):
    from recruit.graduates.models import CaseNote, SchoolRecommendation
    from recruit.matchmaking.services import matches_for_graduate

    university, organizer = school
    case = make_graduate(university=university, name="个案丁", ethnic_minority=True, intention=INTENTION)
    make_graduate(university=university, name="普通戊", intention=INTENTION)
    good = make_posting()
    other = make_posting(title="市场专员", description="负责市场推广", majors=[], industry="文化传媒", city="遵义")
    closed = make_posting(title="已关闭岗位", status="closed")
    phd = make_posting(title="研究员", min_degree="博士")
    auth.login(organizer)
    page = client.get("/org/key-group").get_data(as_text=True)
    assert "个案丁" in page and "普通戊" not in page and "少数民族" in page
    detail = client.get(f"/org/key-group/{case.id}").get_data(as_text=True)
    assert "个案丁" in detail and "Java后端开发工程师" in detail and "推荐此岗位" in detail
    response = client.post(f"/org/key-group/{case.id}/notes", data={"body": "已电话联系，下周参加专场招聘会。"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(CaseNote.body)) == "已电话联系，下周参加专场招聘会。"
    assert client.post(f"/org/key-group/{case.id}/notes", data={"body": "  "}).status_code == 422
    assert client.post(f"/org/key-group/{case.id}/notes", data={"body": "记" * 2001}).status_code == 422
    client.post(f"/org/key-group/{case.id}/recommend", data={"posting_id": other.id, "note": "适合你"})
    rec = db.session.scalar(sa.select(SchoolRecommendation))
    assert (rec.graduate_id, rec.posting_id, rec.note, rec.recommended_by_id) == (
        case.id,
        other.id,
        "适合你",
        organizer.id,
    )
    db.session.expire_all()
    first = matches_for_graduate(case)[0]
    assert first.posting.id == other.id and first.recommended
    assert "优先推荐" in client.get(f"/org/key-group/{case.id}").get_data(as_text=True)
    for posting_id, message in (
        (other.id, "已经向该毕业生推荐过"),
        (closed.id, "已关闭"),
        (phd.id, "学历高于"),
        (999999, "该岗位不存在"),
        ("x", "请选择要推荐的岗位"),
    ):
        page = client.post(
            f"/org/key-group/{case.id}/recommend", data={"posting_id": posting_id}, follow_redirects=True
        ).get_data(as_text=True)
        assert message in page, message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRecommendation)) == 1
    client.post(f"/org/key-group/{case.id}/recommendations/{other.id}/withdraw")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRecommendation)) == 0
    assert good  # the ranked match stays available


def test_idor_other_university_and_non_key_group_are_404(
    app, client, auth, school, make_university, make_graduate, make_posting
):
    university, organizer = school
    theirs = make_graduate(university=make_university(), name="外校己", disability=True, intention=INTENTION)
    ordinary = make_graduate(university=university, name="普通庚")
    posting = make_posting()
    auth.login(organizer)
    for graduate in (theirs, ordinary):
        assert client.get(f"/org/key-group/{graduate.id}").status_code == 404
        assert client.post(f"/org/key-group/{graduate.id}/notes", data={"body": "x"}).status_code == 404
        assert (
            client.post(f"/org/key-group/{graduate.id}/recommend", data={"posting_id": posting.id}).status_code == 404
        )
        assert client.post(f"/org/key-group/{graduate.id}/recommendations/{posting.id}/withdraw").status_code == 404
    assert client.get("/org/key-group/999999").status_code == 404
    from recruit.graduates.models import CaseNote, SchoolRecommendation

    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRecommendation)) == 0


def test_upload_needs_the_csrf_token(app, client, auth, school):
    import re

    auth.login(school[1])
    app.config["WTF_CSRF_ENABLED"] = True
    data = csv_bytes(G_HEADER, [grow("1")])
    assert upload(client, "graduates", data, "g.csv").status_code == 400
    page = client.get("/org/imports").get_data(as_text=True)
    token = re.search(r'name="graduates-csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(
        "/org/imports/graduates",
        content_type="multipart/form-data",
        data={"graduates-file": (io.BytesIO(data), "g.csv"), "graduates-csrf_token": token},
    )
    assert response.status_code == 200 and "新建 1" in response.get_data(as_text=True)
