"""Authority: identity verified once for the province, participation per university, postings
reviewed before graduates see them (one visibility predicate), business licences."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from recruit.core.audit import AuditEntry
from recruit.core.errors import ServiceError
from recruit.employers import services
from recruit.employers.models import Employer, Participation, Posting
from recruit.extensions import db
from recruit.matchmaking.index import _indexable_postings_query
from tests.conftest import is_postgres

POSTING = {
    "title": "Java后端开发工程师",
    "industry": "软件和信息技术服务",
    "city": "贵阳",
    "min_degree": "本科",
    "majors": "计算机科学与技术",
    "salary_min": "6000",
    "salary_max": "9000",
    "headcount": "3",
    "deadline": "2027-06-30",
    "description": "负责后端服务开发，熟悉Spring Boot。",
}
INTENTION = dict(
    positions=["Java开发"],
    cities=["贵阳"],
    industries=["软件和信息技术服务"],
    skills="Java、Spring Boot",
    statement="热爱后端开发",
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _matches(client, auth, user) -> str:
    auth.logout()
    auth.login(user)
    return client.get("/graduates/me/matches").get_data(as_text=True)


@time_machine.travel(date(2026, 11, 1))
def test_posting_review_publish_return_and_edit_back_to_review(client, auth, make_user, make_employer, make_graduate):
    graduate_user = make_user("graduate", graduate=make_graduate(intention=INTENTION))
    employer = make_employer()
    employer_user = make_user("employer", employer=employer)
    admin = make_user("admin")
    auth.login(employer_user)
    response = client.post("/employers/me/postings/new", data=POSTING, follow_redirects=True)
    assert "岗位已保存，审核通过后对毕业生公开。" in response.get_data(as_text=True)
    posting = db.session.scalar(sa.select(Posting))
    assert posting.review_status == "pending" and not posting.is_public()
    assert posting.id not in {p.id for p in db.session.scalars(_indexable_postings_query())}
    # returned with a reason: the employer sees it; graduates still do not
    auth.logout()
    auth.login(admin)
    assert "Java后端开发工程师" in client.get("/employers/reviews").get_data(as_text=True)
    no_reason = client.post(f"/employers/reviews/{posting.id}", data={"decision": "return"}, follow_redirects=True)
    assert "请填写退回的原因。" in no_reason.get_data(as_text=True)
    client.post(f"/employers/reviews/{posting.id}", data={"decision": "return", "reason": "薪资描述不清"})
    db.session.refresh(posting)
    assert posting.review_status == "returned" and posting.review_reason == "薪资描述不清"
    auth.logout()
    auth.login(employer_user)
    assert "退回原因：薪资描述不清" in client.get("/employers/me/postings").get_data(as_text=True)
    client.post(f"/employers/me/postings/{posting.id}/edit", data=dict(POSTING, salary_min="7000"))
    db.session.refresh(posting)
    assert posting.review_status == "pending"
    # published: graduates see it
    auth.logout()
    auth.login(admin)
    client.post(f"/employers/reviews/{posting.id}", data={"decision": "publish"})
    db.session.refresh(posting)
    assert posting.review_status == "published" and posting.is_public()
    assert "Java后端开发工程师" in _matches(client, auth, graduate_user)
    # an edit of a reviewed field sends it back; an edit of another field does not
    auth.logout()
    auth.login(employer_user)
    client.post(f"/employers/me/postings/{posting.id}/edit", data=dict(POSTING, salary_min="7000", headcount="5"))
    db.session.refresh(posting)
    assert posting.review_status == "published" and posting.headcount == 5
    client.post(
        f"/employers/me/postings/{posting.id}/edit", data=dict(POSTING, salary_min="7000", title="Go开发工程师")
    )
    db.session.refresh(posting)
    assert posting.review_status == "pending"
    html = _matches(client, auth, graduate_user)
    assert "Go开发工程师" not in html and "Java后端开发工程师" not in html
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["posting.return", "posting.publish"]


@pytest.mark.parametrize(
    "field, value", [("title", "新标题"), ("description", "新描述"), ("salary_max", "9500"), ("min_degree", "硕士")]
)
@time_machine.travel(date(2026, 11, 1))
def test_each_reviewed_field_sends_a_published_posting_back(app, make_employer, field, value):
    employer = make_employer()
    data = dict(POSTING, salary_min=6000, salary_max=9000, headcount=3, deadline=date(2027, 6, 30))
    posting = services.create_posting(employer, data)
    posting.review_status = "published"
    db.session.commit()
    changed = dict(data, **{field: int(value) if field == "salary_max" else value})
    services.update_posting(posting, changed)
    assert posting.review_status == "pending"


@time_machine.travel(date(2026, 11, 1))
def test_trusted_employer_publishes_at_once_and_review_can_be_off(app, make_employer):
    data = dict(POSTING, salary_min=6000, salary_max=9000, headcount=3, deadline=None)
    assert services.create_posting(make_employer(trusted=True), data).review_status == "published"
    app.config["POSTING_REVIEW"] = "off"
    assert services.create_posting(make_employer(), data).review_status == "published"


@time_machine.travel(date(2026, 11, 1))
def test_drafts_of_a_pending_employer_enter_review_on_approval(client, auth, make_user, make_employer):
    employer = make_employer(status="pending")
    employer_user = make_user("employer", employer=employer)
    auth.login(employer_user)
    client.post("/employers/me/postings/new", data=POSTING)
    posting = db.session.scalar(sa.select(Posting))
    assert posting.review_status == "draft"
    auth.logout()
    auth.login(make_user("admin"))
    client.post(f"/employers/{employer.id}/decide", data={"decision": "approve"})
    db.session.refresh(posting)
    assert posting.review_status == "pending"


def test_only_published_postings_reach_the_public_predicate_everywhere(app, make_posting, make_employer):
    """The one predicate: Python and SQL agree for every review state and employer status."""
    today = date(2026, 11, 1)
    for status in ("pending", "approved", "rejected", "suspended"):
        employer = make_employer(status=status)
        for review in ("draft", "pending", "published", "returned"):
            make_posting(employer=employer, review_status=review, title=f"{status}-{review}")
    public_sql = set(
        db.session.scalars(sa.select(Posting.title).join(Posting.employer).where(Posting.public_clause(today)))
    )
    public_py = {p.title for p in db.session.scalars(sa.select(Posting)) if p.is_public(today)}
    indexed = {p.title for p in db.session.scalars(_indexable_postings_query())}
    assert public_sql == public_py == indexed == {"approved-published"}


def test_public_counts_and_fair_pages_hide_unreviewed_postings(client, make_posting, make_employer, make_fair):
    from recruit.fairs.models import FairRegistration

    employer = make_employer()
    hidden = make_posting(employer=employer, review_status="pending", title="未审核岗位")
    fair = make_fair()
    registration = FairRegistration(fair=fair, employer=employer, status="approved", postings=[hidden])
    db.session.add(registration)
    db.session.commit()
    assert "未审核岗位" not in client.get(f"/fairs/{fair.id}").get_data(as_text=True)


# ------------------------------------------------------------------ identity (province) and participation (university)


def test_bulk_approve_skips_what_others_decided(client, auth, make_user, make_employer):
    pending = [make_employer(status="pending") for _ in range(3)]
    rejected = make_employer(status="rejected", status_reason="资料不全")
    auth.login(make_user("admin"))
    page = client.get("/employers/manage?status=pending").get_data(as_text=True)
    assert 'data-testid="bulk-approve"' in page and f'/employers/{pending[0].id}"' in page
    response = client.post(
        "/employers/bulk-approve",
        data={"employer_id": [str(e.id) for e in pending] + [str(rejected.id), "x", "99999999999"]},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "已通过 3 家单位的认证。" in text
    statuses = dict(db.session.execute(sa.select(Employer.id, Employer.status)).all())
    assert [statuses[e.id] for e in pending] == ["approved"] * 3 and statuses[rejected.id] == "rejected"
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "employer.approve")) == 3
    )


def test_organizer_cannot_bulk_approve_unless_delegated(app, client, auth, make_user, make_employer):
    employer = make_employer(status="pending")
    auth.login(make_user("organizer"))
    assert 'data-testid="bulk-approve"' not in client.get("/employers/manage").get_data(as_text=True)
    client.post("/employers/bulk-approve", data={"employer_id": [str(employer.id)]})
    db.session.refresh(employer)
    assert employer.status == "pending"
    app.config["EMPLOYER_VERIFICATION"] = "universities"
    client.post("/employers/bulk-approve", data={"employer_id": [str(employer.id)]})
    db.session.refresh(employer)
    assert employer.status == "approved"


def test_suspension_hides_postings_and_needs_a_reason(client, auth, make_user, make_employer, make_posting):
    employer = make_employer(trusted=True)
    posting = make_posting(employer=employer)
    assert posting.is_public(date(2026, 11, 1))
    auth.login(make_user("admin"))
    client.post(f"/employers/{employer.id}/decide", data={"decision": "suspend", "reason": ""})
    db.session.refresh(employer)
    assert employer.status == "approved"
    client.post(f"/employers/{employer.id}/decide", data={"decision": "suspend", "reason": "虚假招聘投诉"})
    db.session.refresh(employer)
    db.session.refresh(posting)
    assert employer.status == "suspended" and employer.trusted is False and not posting.is_public(date(2026, 11, 1))


def test_participation_is_each_universitys_own_decision(
    client, auth, make_user, make_university, make_employer, make_fair
):
    mine, other = make_university(), make_university()
    employer = make_employer()
    auth.login(make_user("organizer", university=mine))
    page = client.get(f"/employers/{employer.id}").get_data(as_text=True)
    assert "本校决定" in page
    response = client.post(
        f"/employers/{employer.id}/participation", data={"decision": "rejected", "reason": ""}, follow_redirects=True
    )
    assert "请填写原因。" in response.get_data(as_text=True)
    client.post(f"/employers/{employer.id}/participation", data={"decision": "rejected", "reason": "曾拖欠实习工资"})
    row = db.session.scalar(sa.select(Participation))
    assert (row.university_id, row.status) == (mine.id, "rejected")
    db.session.refresh(employer)
    assert employer.status == "approved"  # the province-wide status is untouched
    assert not services.may_participate(employer, mine.id) and services.may_participate(employer, other.id)
    from recruit.fairs import registrations

    with pytest.raises(ServiceError, match="暂不接受"):
        registrations.request_booth(make_fair(university=mine), employer, [])
    client.post(f"/employers/{employer.id}/participation", data={"decision": "approved"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Participation.id))) == 1
    assert services.may_participate(employer, mine.id)


def test_trusted_flag_only_for_verified_employers(client, auth, make_user, make_employer):
    pending = make_employer(status="pending")
    auth.login(make_user("admin"))
    client.post(f"/employers/{pending.id}/trust", data={"trusted": "1"})
    db.session.refresh(pending)
    assert pending.trusted is False
    verified = make_employer()
    client.post(f"/employers/{verified.id}/trust", data={"trusted": "1"})
    db.session.refresh(verified)
    assert verified.trusted is True


# ------------------------------------------------------------------ business licence


@pytest.mark.parametrize(
    "data, name, ok, message",
    [
        (b"%PDF-1.7\n...", "licence.pdf", True, None),
        (PNG, "licence.png", True, None),
        (b"\xff\xd8\xff\xe0JFIF", "licence.jpg", True, None),
        (b"<html><script>alert(1)</script>", "licence.pdf", False, "只接受 PDF、PNG 或 JPEG 格式的营业执照"),
        (b"MZ\x90\x00", "licence.png", False, "只接受 PDF、PNG 或 JPEG 格式的营业执照"),
        (b"", "licence.pdf", False, "上传的文件是空的。"),
    ],
)
def test_licence_upload_checks_the_content(app, client, auth, make_user, make_employer, data, name, ok, message):
    employer = make_employer(status="pending")
    auth.login(make_user("employer", employer=employer))
    response = client.post(
        "/employers/me/licence", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    db.session.refresh(employer)
    if ok:
        assert response.status_code == 302 and employer.licence_file and employer.licence_mime
        from pathlib import Path

        stored = Path(app.config["LICENCE_DIR"]) / employer.licence_file
        assert stored.read_bytes() == data and app.static_folder not in str(stored)
    else:
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert employer.licence_file is None


def test_licence_size_is_limited(app, client, auth, make_user, make_employer):
    app.config["LICENCE_MAX_BYTES"] = 100
    employer = make_employer(status="pending")
    auth.login(make_user("employer", employer=employer))
    response = client.post(
        "/employers/me/licence",
        data={"file": (io.BytesIO(PNG + b"\x00" * 200), "l.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "文件不能超过" in response.get_data(as_text=True)


def test_licence_is_served_only_to_reviewers(client, auth, make_user, make_employer):
    from recruit.employers import licences

    employer = make_employer(status="pending")
    owner = make_user("employer", employer=employer)
    licences.store(employer, PNG, owner)
    url = f"/employers/{employer.id}/licence"
    for role in ("admin", "organizer"):
        auth.login(make_user(role))
        response = client.get(url)
        assert response.status_code == 200 and response.data == PNG and response.mimetype == "image/png"
        assert (
            "no-store" in response.headers["Cache-Control"] and response.headers["X-Content-Type-Options"] == "nosniff"
        )
        auth.logout()
    for user in (owner, make_user("graduate")):
        auth.login(user)
        assert client.get(url).status_code == 403
        auth.logout()
    assert "/login" in client.get(url).headers.get("Location", "")


def test_replacing_a_licence_removes_the_old_file(app, make_employer, make_user):
    from pathlib import Path

    from recruit.employers import licences

    employer = make_employer(status="pending")
    licences.store(employer, PNG, None)
    first = Path(app.config["LICENCE_DIR"]) / employer.licence_file
    licences.store(employer, b"%PDF-1.4", None)
    assert not first.exists() and employer.licence_mime == "application/pdf"


# ------------------------------------------------------------------ races (PostgreSQL, threads)


@pytest.mark.skipif(not is_postgres(), reason="concurrency: PostgreSQL with threads")
def test_two_reviewers_deciding_at_once_one_wins(app, make_employer, make_user):
    employer_id = make_employer(status="pending").id
    admin_ids = [make_user("admin").id, make_user("admin").id]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(n: int) -> None:
        from recruit.auth.models import User

        with app.app_context():
            employer = db.session.get(Employer, employer_id)
            actor = db.session.get(User, admin_ids[n])
            barrier.wait()
            try:
                services.decide_employer(employer, n == 0, "" if n == 0 else "信息不符", actor)
                outcomes.append("ok")
            except ServiceError as error:
                outcomes.append(str(error.status))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["409", "ok"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 1


@pytest.mark.skipif(not is_postgres(), reason="concurrency: PostgreSQL with threads")
def test_an_invitation_accepted_twice_at_once_makes_one_account(app, make_university, make_user):
    from recruit.admin import services as admin_services
    from recruit.auth.models import User

    university = make_university()
    admin = make_user("admin")
    _invitation, token = admin_services.invite_organizer(university, "race@example.com", "", admin)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def accept(n: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                admin_services.accept_invitation(token, f"用户{n}", "long-enough-1", "long-enough-1")
                outcomes.append("ok")
            except ServiceError as error:
                outcomes.append(str(error.status))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("ok") == 1 and len(outcomes) == 3
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email == "race@example.com")) == 1


def test_nul_bytes_in_reasons_and_names_are_refused(client, auth, make_user, make_employer, make_university):
    """The app refuses a NUL anywhere in a request (recruit.core.inputs) before any view runs."""
    employer = make_employer(status="pending")
    auth.login(make_user("admin"))
    assert (
        client.post(
            f"/employers/{employer.id}/decide", data={"decision": "reject", "reason": "资料\x00不全"}
        ).status_code
        == 400
    )
    db.session.refresh(employer)
    assert employer.status == "pending"
    university = make_university()
    response = client.post(
        f"/admin/universities/{university.id}/venues/new",
        data={"name": "体育\x00馆", "capacity": "10", "setting": "indoor"},
    )
    assert response.status_code == 400
    assert client.get("/employers/manage?q=%00&status=all").status_code == 400


@time_machine.travel(date(2026, 11, 1))
def test_a_saved_posting_back_in_review_shows_no_unreviewed_text(client, auth, make_user, make_posting, make_graduate):
    from recruit.graduates.models import SavedPosting

    graduate = make_graduate()
    posting = make_posting(title="原岗位")
    db.session.add(SavedPosting(graduate_id=graduate.id, posting_id=posting.id))
    posting.title, posting.review_status = "未审核的新标题", "pending"
    db.session.commit()
    auth.login(make_user("graduate", graduate=graduate))
    page = client.get("/graduates/me/saved").get_data(as_text=True)
    assert "未审核的新标题" not in page and "正在重新审核" in page


@time_machine.travel(date(2026, 11, 1))
def test_a_universitys_refusal_hides_the_employer_from_its_own_graduates_only(
    app, make_university, make_employer, make_graduate, make_user
):
    from recruit.matchmaking import services as matching

    mine, other = make_university(), make_university()
    employer = make_employer(trusted=True)
    data = dict(POSTING, salary_min=6000, salary_max=9000, headcount=3, deadline=None)
    services.create_posting(employer, data)
    own = make_graduate(university=mine, intention=INTENTION)
    foreign = make_graduate(university=other, intention=INTENTION)
    assert [r.posting.employer_id for r in matching.matches_for_graduate(own)] == [employer.id]
    services.decide_participation(
        employer, mine.id, "rejected", "曾拖欠实习工资", make_user("organizer", university=mine)
    )
    assert matching.matches_for_graduate(own) == []
    assert [r.posting.employer_id for r in matching.matches_for_graduate(foreign)] == [employer.id]
