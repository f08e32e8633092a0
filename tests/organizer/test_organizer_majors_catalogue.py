"""Supply and demand by 专业类 and the majors outside the MoE catalogue (issue 18, part 2)."""

from __future__ import annotations

import io

import pytest

from recruit.organizer import services

INTENTION = dict(
    positions=["软件开发"],
    cities=["贵阳"],
    industries=["软件和信息技术服务"],
    skills="Java、Python",
    statement="想做软件开发",
)


@pytest.fixture
def school(make_university, make_user):
    university = make_university(code="CAT1", majors=["软件工程", "网络工程", "会计学"])
    return university, make_user("organizer", university=university)


def test_class_requirements_count_for_every_major_of_the_class(app, school, make_graduate, make_posting):
    university, _ = school
    make_graduate(university=university, major="软件工程", intention=INTENTION)
    make_graduate(university=university, major="网络工程", intention=INTENTION)
    make_graduate(university=university, major="会计学", intention=INTENTION)
    make_graduate(university=university, major="区块链金融创新", intention=INTENTION)
    make_posting(majors=["计算机类"], title="开发工程师")
    make_posting(majors=["软件工程专业"], title="后端开发")
    make_posting(majors=["会计学"], title="会计")
    rows = services.supply_demand(university, 0.3)
    by_major = {r.major: r for r in rows}
    assert (
        by_major["软件工程"].major_class,
        by_major["软件工程"].postings_for_major,
        by_major["软件工程"].postings_related,
    ) == ("计算机类", 1, 1)
    assert (by_major["网络工程"].postings_for_major, by_major["网络工程"].postings_related) == (0, 2)
    assert (by_major["会计学"].major_class, by_major["会计学"].postings_related) == ("工商管理类", 0)
    assert by_major["区块链金融创新"].major_class is None

    groups = {g.major_class: g for g in services.supply_demand_by_class(rows)}
    assert sorted(groups["计算机类"].majors) == sorted(["软件工程", "网络工程"])
    assert (groups["计算机类"].graduates, groups["计算机类"].postings_for_class) == (2, 2)
    assert (groups["工商管理类"].graduates, groups["工商管理类"].postings_for_class) == (1, 1)
    assert groups[""].majors == ["区块链金融创新"]
    assert [r.major for r in services.majors_outside_catalogue(rows)] == ["区块链金融创新"]


def test_pages_group_by_class_and_report_unknown_majors(app, client, auth, school, make_graduate, make_posting):
    university, organizer = school
    make_graduate(university=university, major="软件工程", intention=INTENTION)
    make_graduate(university=university, major="区块链金融创新", intention=INTENTION)
    make_posting(majors=["计算机相关专业"])
    auth.login(organizer)
    by_major = client.get("/org/supply-demand").get_data(as_text=True)
    assert 'data-testid="majors-outside-catalogue"' in by_major and "区块链金融创新" in by_major
    by_class = client.get("/org/supply-demand?group=class").get_data(as_text=True)
    assert 'data-testid="supply-demand-by-class"' in by_class and "计算机类" in by_class
    csv_text = client.get("/org/supply-demand.csv?group=class").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("专业类,专业,毕业生人数")
    # the university's catalogued majors 软件工程 and 网络工程 form one row; one graduate, one posting
    assert any(line.startswith("计算机类,软件工程、网络工程,1,1,") for line in csv_text.splitlines()), csv_text
    # anything but "class" is the per-major view
    assert 'data-testid="supply-demand-by-class"' not in client.get("/org/supply-demand?group=nonsense").get_data(
        as_text=True
    )


def test_forms_offer_the_catalogue_and_store_its_spelling(app, client, auth, make_employer, make_user):
    from recruit.employers.models import Posting
    from recruit.extensions import db
    import sqlalchemy as sa

    employer = make_employer()
    auth.login(make_user("employer", employer=employer))
    page = client.get("/employers/me/postings/new").get_data(as_text=True)
    assert '<datalist id="majors-catalogue" data-src="/majors.json">' in page
    assert 'data-majors-catalogue="majors-catalogue"' in page and "js/majors.js" in page
    response = client.post(
        "/employers/me/postings/new",
        data=dict(
            title="后端开发",
            industry="软件和信息技术服务",
            city="贵阳",
            min_degree="本科",
            majors="软件工程专业、计算机类、软件工程",
            salary_min=6000,
            salary_max=9000,
            headcount=2,
            description="开发",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    posting = db.session.scalar(sa.select(Posting).where(Posting.title == "后端开发"))
    assert posting.majors == ["软件工程", "计算机类"]
    client.post("/logout")
    assert '<datalist id="majors-catalogue"' in client.get("/register/graduate").get_data(as_text=True)
    served = client.get("/majors.json")
    assert served.headers["Cache-Control"] == "public, max-age=86400"
    assert {"计算机类", "软件工程", "软件技术"} <= set(served.get_json()["names"])
    assert set(served.get_json()["editions"]) == {"本科", "专科"}


def test_import_reports_majors_outside_the_catalogue(app, client, auth, school, make_employer):
    """Imported as written (nothing refused), but each unknown major is named with its rows."""
    from recruit.organizer import importers
    from tests.organizer.test_organizer_import import G_HEADER, P_HEADER, csv_bytes, grow, prow

    university, organizer = school
    data = csv_bytes(
        G_HEADER,
        [
            grow("1", 专业="软件工程专业"),
            grow("2", 专业="区块链金融创新"),
            grow("3", 专业="数学与应用数学（师范）"),
            grow("4", 专业="区块链金融创新"),
        ],
    )
    report = importers.import_graduates(data, "g.csv", university)
    assert report.ok and report.created == 4
    assert report.notices == ["第 3、5 行的专业「区块链金融创新」不在教育部专业目录中，已按原文导入，请核对。"]
    assert report.notices[0] in report.lines()

    employer = make_employer()
    data = csv_bytes(
        P_HEADER,
        [
            prow(employer.credit_code, "岗位一", 专业要求="计算机类、计算机相关专业、不限"),
            prow(employer.credit_code, "岗位二", 专业要求="软件工程、量子烹饪学"),
        ],
    )
    report = importers.import_postings(data, "p.csv")
    assert report.ok and report.notices == [
        "第 3 行的专业要求「量子烹饪学」不在教育部专业目录中，已按原文导入，请核对。"
    ]

    auth.login(organizer)
    page = client.post(
        "/org/imports/graduates",
        data={"graduates-file": (io.BytesIO(csv_bytes(G_HEADER, [grow("9", 专业="宇航服设计")])), "g.csv")},
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="import-notices"' in html and "宇航服设计" in html


def test_a_failed_import_lists_no_notices(app, school):
    from recruit.organizer import importers
    from tests.organizer.test_organizer_import import G_HEADER, csv_bytes, grow

    university, _ = school
    report = importers.import_graduates(
        csv_bytes(G_HEADER, [grow("1", 专业="区块链金融创新", 学历="高中")]), "g.csv", university
    )
    assert not report.ok and report.notices == [] and not any("专业目录" in line for line in report.lines())


def test_many_unknown_majors_are_listed_up_to_the_limit(app, school, monkeypatch):
    from recruit.organizer import importers
    from tests.organizer.test_organizer_import import G_HEADER, csv_bytes, grow

    monkeypatch.setattr(importers, "MAX_NOTICES", 2)
    university, _ = school
    rows = [grow(str(n), 专业=f"未知专业{n}") for n in range(1, 5)]
    report = importers.import_graduates(csv_bytes(G_HEADER, rows), "g.csv", university)
    assert report.ok and len(report.notices) == 3
    assert report.notices[-1] == "另有 2 个不在专业目录中的专业未列出。"
