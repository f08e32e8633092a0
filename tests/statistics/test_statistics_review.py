"""Destination records: the three-level review (§15), its permissions and the scope rule."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.statistics import services
from recruit.statistics.models import DestinationRecord
from recruit.universities.models import College
from tests.conftest import is_postgres

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def school(make_university, make_user, make_graduate):
    university = make_university(code="STA")
    cs = College(university=university, name="计算机学院")
    econ = College(university=university, name="经济学院")
    db.session.add_all([cs, econ])
    db.session.commit()
    graduate = make_graduate(university=university, college_id=cs.id, name="去向甲")
    people = {
        "office": make_user("organizer", university=university),
        "office2": make_user("organizer", university=university),
        "cs": make_user("organizer", university=university, college_id=cs.id),
        "econ": make_user("organizer", university=university, college_id=econ.id),
        "other": make_user("organizer", university=make_university(code="OTH")),
        "graduate": make_user("graduate", graduate=graduate),
        "admin": make_user("admin"),
        "employer": make_user("employer"),
    }
    return university, graduate, people


def _fill(client, category="contract", **extra):
    data = {
        "category": category,
        "organisation": "贵州大数据公司",
        "city": "贵阳",
        "industry": "软件",
        "destination_date": "2026-11-01",
        **extra,
    }
    return client.post("/statistics/me", data=data, content_type="multipart/form-data")


def _step(client, record, step):
    return client.post(f"/statistics/records/{record.id}/{step}")


def _record(graduate) -> DestinationRecord:
    db.session.expire_all()
    return db.session.scalar(sa.select(DestinationRecord).where(DestinationRecord.graduate_id == graduate.id))


def test_three_levels_through_http(app, client, auth, school):
    _, graduate, p = school
    auth.login(p["graduate"])
    assert _fill(client, evidence=(io.BytesIO(PDF), "offer.pdf")).status_code == 302
    record = _record(graduate)
    assert (record.status, record.evidence_type) == ("pending", "application/pdf")
    auth.logout()

    auth.login(p["office"])
    assert _step(client, record, "collect").status_code == 302
    assert _record(graduate).status == "collected"
    assert _step(client, record, "review").status_code == 302  # the office is not the college reviewer
    assert _record(graduate).status == "collected"
    auth.logout()

    auth.login(p["econ"])  # another college's reviewer does not even see the record
    assert client.get(f"/statistics/graduates/{graduate.id}").status_code == 404
    assert _step(client, record, "review").status_code == 404
    auth.logout()

    auth.login(p["cs"])
    assert _step(client, record, "review").status_code == 302
    record = _record(graduate)
    assert (record.status, record.reviewed_by_id) == ("reviewed", p["cs"].id)
    assert _step(client, record, "verify").status_code == 302  # a college reviewer cannot re-review
    assert _record(graduate).status == "reviewed"
    auth.logout()

    auth.login(p["office"])
    assert _step(client, record, "verify").status_code == 302
    record = _record(graduate)
    assert (record.status, record.verified_by_id) == ("verified", p["office"].id)
    assert [e.action for e in record.events] == ["filled", "collected", "reviewed", "verified"]
    assert all(e.at is not None for e in record.events)
    page = client.get(f"/statistics/graduates/{graduate.id}")
    assert "学校已复核" in page.get_data(as_text=True) and page.headers["Cache-Control"] == "no-store"


def test_a_returned_record_carries_its_reason_and_goes_back(app, client, auth, school):
    _, graduate, p = school
    auth.login(p["graduate"])
    _fill(client)
    auth.logout()
    record = _record(graduate)
    services.advance(record, "collect", p["office"])
    auth.login(p["cs"])
    assert client.post(f"/statistics/records/{record.id}/return", data={"reason": ""}).status_code == 302
    assert _record(graduate).status == "collected"  # no reason, no return
    client.post(f"/statistics/records/{record.id}/return", data={"reason": "合同缺少单位盖章"})
    record = _record(graduate)
    assert (record.status, record.returned_reason, record.collected_by_id) == ("returned", "合同缺少单位盖章", None)
    assert record.events[-1].action == "returned" and record.events[-1].note == "合同缺少单位盖章"
    from recruit.notifications.models import Notification

    told = db.session.scalars(sa.select(Notification).where(Notification.kind == "destination_returned")).all()
    assert [(n.user_id, "合同缺少单位盖章" in n.body) for n in told] == [(p["graduate"].id, True)]
    auth.logout()
    auth.login(p["graduate"])
    assert "合同缺少单位盖章" in client.get("/statistics/me").get_data(as_text=True)
    _fill(client, organisation="贵州大数据有限公司")
    assert _record(graduate).status == "pending"


def test_the_graduate_cannot_change_a_record_under_review(app, client, auth, school):
    _, graduate, p = school
    auth.login(p["graduate"])
    _fill(client)
    services.advance(_record(graduate), "collect", p["office"])
    response = _fill(client, category="seeking", organisation="")
    assert response.status_code == 200
    assert _record(graduate).category == "contract"


def test_the_reviewer_cannot_also_re_review(app, school):
    _, graduate, p = school
    record = services.fill(graduate, {"category": "further_study", "organisation": "贵州大学"}, p["office"])
    assert record.status == "collected"  # the office's own entry is its collection
    graduate.college_id = None  # no college: the office reviews, so another office member re-reviews
    db.session.commit()
    services.advance(record, "review", p["office"])
    with pytest.raises(ServiceError, match="审核人以外"):
        services.advance(record, "verify", p["office"])
    assert services.advance(record, "verify", p["office2"]).status == "verified"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"category": ""}, "请选择毕业去向类别"),
        ({"category": "astronaut"}, "请选择毕业去向类别"),
        ({"category": "contract", "organisation": ""}, "请填写就业单位或升学院校"),
        ({"category": "contract", "organisation": "甲" * 101}, "不能超过 100"),
        ({"category": "contract", "organisation": "甲", "city": "贵" * 61}, "城市不能超过 60"),
        ({"category": "contract", "organisation": "甲", "destination_date": date(2099, 1, 1)}, "不能晚于今天"),
    ],
)
def test_bad_entries_are_refused(app, school, data, message):
    _, graduate, p = school
    with pytest.raises(ServiceError, match=message):
        services.fill(graduate, data, p["office"])
    assert _record(graduate) is None


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"MZ\x90\x00 not a pdf", "offer.pdf", "文件类型不符合要求"),
        (b"", "empty.pdf", "请选择要上传的文件|空的"),
        (PDF + b"0" * (5 * 1024 * 1024), "huge.pdf", "超过允许的大小"),
    ],
)
def test_evidence_is_checked_by_content_and_size(app, client, auth, school, content, name, message):
    _, graduate, p = school
    auth.login(p["graduate"])
    page = _fill(client, evidence=(io.BytesIO(content), name)).get_data(as_text=True)
    assert any(m in page for m in message.split("|")), page[:500]
    assert _record(graduate) is None  # nothing half written


def test_evidence_is_served_only_to_those_who_may_see_the_record(app, client, auth, school):
    _, graduate, p = school
    auth.login(p["graduate"])
    _fill(client, evidence=(io.BytesIO(PDF), "offer.pdf"))
    record = _record(graduate)
    url = f"/statistics/records/{record.id}/evidence"
    got = client.get(url)
    assert got.data == PDF and got.headers["Cache-Control"] == "no-store"
    assert "attachment" in got.headers["Content-Disposition"]
    auth.logout()
    for who, code in (("office", 200), ("cs", 200), ("admin", 200), ("econ", 404), ("other", 404), ("employer", 403)):
        auth.login(p[who])
        assert client.get(url).status_code == code, who
        auth.logout()


def test_another_university_gets_404_everywhere(app, client, auth, school):
    _, graduate, p = school
    record = services.fill(graduate, {"category": "contract", "organisation": "甲"}, p["office"])
    auth.login(p["other"])
    assert client.get(f"/statistics/graduates/{graduate.id}").status_code == 404
    for step in ("collect", "review", "verify", "return"):
        assert client.post(f"/statistics/records/{record.id}/{step}", data={"reason": "x"}).status_code == 404
    assert client.post(f"/statistics/graduates/{graduate.id}/college", data={"college": "1"}).status_code == 404
    assert "去向甲" not in client.get("/statistics/records?university=STA").get_data(as_text=True)
    assert client.get("/statistics/university/STA").status_code == 404
    assert _record(graduate).status == "collected"


def test_college_scope_in_the_list(app, client, auth, school, make_graduate):
    university, graduate, p = school
    econ = db.session.scalar(sa.select(College).where(College.name == "经济学院"))
    make_graduate(university=university, college_id=econ.id, name="经济乙")
    auth.login(p["cs"])
    page = client.get("/statistics/records").get_data(as_text=True)
    assert "去向甲" in page and "经济乙" not in page
    auth.logout()
    auth.login(p["office"])
    page = client.get("/statistics/records").get_data(as_text=True)
    assert "去向甲" in page and "经济乙" in page
    assert "去向甲" not in client.get(f"/statistics/records?college={econ.id}").get_data(as_text=True)
    assert "去向甲" in client.get("/statistics/records?status=missing").get_data(as_text=True)
    assert client.get("/statistics/records?page=99999999999999999999&college=abc").status_code == 200


@pytest.mark.skipif(not is_postgres(), reason="row-level races need PostgreSQL's concurrent writers")
def test_simultaneous_steps_exactly_one_wins(app, school):
    _, graduate, p = school
    record = services.fill(graduate, {"category": "contract", "organisation": "甲"}, p["office"])
    record_id, cs_id, office_id = record.id, p["cs"].id, p["office"].id
    from recruit.auth.models import User

    outcomes = []
    barrier = threading.Barrier(2)

    def act(kind):
        with app.app_context():
            rec = db.session.get(DestinationRecord, record_id)
            barrier.wait()
            try:
                if kind == "review":
                    services.advance(rec, "review", db.session.get(User, cs_id))
                else:
                    services.return_record(rec, db.session.get(User, cs_id), "信息有误")
                outcomes.append(kind)
            except ServiceError as error:
                outcomes.append(error.status)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=(k,)) for k in ("review", "return")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, outcomes)) in (["409", "review"], ["409", "return"])
    final = _record(graduate)
    assert final.status == ("reviewed" if "review" in outcomes else "returned")
    assert office_id  # the office's collection stayed recorded in the history
    assert [e.action for e in final.events][0] == "collected"


def test_the_office_scopes_a_colleague_to_a_college(app, client, auth, school):
    university, graduate, p = school
    econ = db.session.scalar(sa.select(College).where(College.name == "经济学院"))
    auth.login(p["office"])
    assert (
        client.post(f"/statistics/colleges/organizers/{p['office2'].id}", data={"college": str(econ.id)}).status_code
        == 302
    )
    db.session.expire_all()
    assert p["office2"].college_id == econ.id
    # another university's organizer or college cannot be the target
    assert client.post(f"/statistics/colleges/organizers/{p['other'].id}", data={"college": ""}).status_code == 404
    auth.logout()
    auth.login(p["cs"])  # a college reviewer cannot re-scope anybody
    client.post(f"/statistics/colleges/organizers/{p['office2'].id}", data={"college": ""})
    db.session.expire_all()
    assert p["office2"].college_id == econ.id


def test_an_accepted_offer_prefills_the_first_entry(app, client, auth, school, make_posting):
    from recruit.applications.models import Application

    _, graduate, p = school
    posting = make_posting(city="遵义")
    db.session.add(Application(graduate_id=graduate.id, posting_id=posting.id, status="accepted", version=3))
    db.session.commit()
    auth.login(p["graduate"])
    page = client.get("/statistics/me").get_data(as_text=True)
    assert f'value="{posting.employer.name}"' in page and 'value="遵义"' in page
    assert '<option selected value="contract">' in page or 'value="contract" selected' in page
    assert _record(graduate) is None  # a suggestion only: nothing is written until the graduate saves
