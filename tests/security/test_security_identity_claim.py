"""Taking over an imported graduate record at registration (issue 12 item 1)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.graduates.models import Graduate
from tests.security.identity_helpers import Browser, errors, mailbox, register  # noqa: F401

STRONG = "Huaxi-park-lantern-77"


def _form(university_id, **kw):
    form = dict(
        university=str(university_id),
        student_number="2023001",
        name="张三",
        major="软件工程",
        degree="本科",
        graduation_year="2027",
        email="attacker@example.com",
        password=STRONG,
        password2=STRONG,
    )
    form.update(kw)
    return form


@pytest.fixture
def imported(make_university, make_graduate):
    university = make_university()
    record = make_graduate(
        university=university,
        student_number="2023001",
        name="张三",
        phone="13800000000",
        email="zhangsan@school.example",
        visible_to_employers=False,
        share_contact=False,
        intention=dict(
            positions=["数据分析"], cities=["贵阳"], industries=["大数据电子信息"], skills="Python", statement="本人"
        ),
    )
    return university, record


def _codes_page(client, university=None, **data):
    return client.post("/graduates/activation", data=data or {"mode": "missing"})


def _code(page: str) -> str:
    return re.findall(r'data-testid="code">([A-Z0-9-]+)<', page)[0]


def test_name_and_number_no_longer_take_over_the_record(app, imported, mailbox):  # noqa: F811
    """The attack: university + student number + a guessed name linked the account."""
    university, record = imported
    attacker = Browser(app)
    response = register(attacker, "graduate", _form(university.id), mailbox)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "attacker@example.com"))
    assert user.graduate_id != record.id
    page = attacker.get("/graduates/me/intention").get_data(as_text=True)
    assert "本人" not in page and "13800000000" not in page
    db.session.refresh(record)
    assert record.visible_to_employers is False


def test_the_answer_is_the_same_whether_or_not_the_number_exists(app, imported, mailbox):  # noqa: F811
    university, _record = imported
    known = register(Browser(app), "graduate", _form(university.id), mailbox, follow_redirects=True)
    unknown = register(
        Browser(app),
        "graduate",
        _form(university.id, student_number="2099999", email="other@example.com"),
        mailbox,
        follow_redirects=True,
    )
    assert known.status_code == unknown.status_code == 200
    flash = "注册成功。学校就业部门确认您的身份后，用人单位才能看到您的求职意愿。"
    assert flash in known.get_data(as_text=True) and flash in unknown.get_data(as_text=True)


def test_wrong_codes_are_refused_and_throttled_per_record(app, imported, make_user):
    university, record = imported
    organizer = Browser(app)
    organizer.post(
        "/login", data={"email": make_user("organizer", university=university).email, "password": "password123"}
    )
    code = _code(_codes_page(organizer).get_data(as_text=True))
    app.config["CLAIM_MAX_PER_RECORD"] = 3
    for n in range(3):
        attacker = Browser(app)
        response = attacker.post(
            "/register/graduate",
            data=_form(university.id, activation_code=f"AAAA-BBBB-CCC{n}", email=f"a{n}@example.com"),
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        )
        assert "学号或激活码不正确。请核对学校发放的激活码；没有激活码可以留空，由学校就业部门确认身份。" in errors(
            response
        )
    # Even the right code waits now: the record is protected from guessing from many addresses.
    response = Browser(app).post(
        "/register/graduate", data=_form(university.id, activation_code=code, email="z@example.com")
    )
    assert response.status_code == 429
    assert db.session.scalar(sa.select(User.id).where(User.graduate_id == record.id)) is None


def test_the_activation_code_claims_the_record_once(app, imported, make_user, mailbox):  # noqa: F811
    university, record = imported
    organizer = Browser(app)
    organizer.post(
        "/login", data={"email": make_user("organizer", university=university).email, "password": "password123"}
    )
    response = _codes_page(organizer)
    assert response.headers["Cache-Control"] == "no-store"
    code = _code(response.get_data(as_text=True))
    assert code in mailbox.bodies("zhangsan@school.example")[0]  # e-mailed to the imported address
    assert db.session.get(Graduate, record.id).activation_code_hash != code  # only a digest is kept
    # Full-width digits (NFKC) and a lower-case code with spaces still match.
    owner = Browser(app)
    response = register(
        owner,
        "graduate",
        _form(
            university.id,
            student_number="２０２３００１",
            activation_code=code.lower().replace("-", " "),
            email="zhangsan@example.com",
        ),
        mailbox,
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "zhangsan@example.com"))
    assert user.graduate_id == record.id
    replay = Browser(app).post("/register/graduate", data=_form(university.id, activation_code=code))
    assert "学号或激活码不正确。请核对学校发放的激活码；没有激活码可以留空，由学校就业部门确认身份。" in errors(replay)


def test_organizers_issue_codes_only_for_their_own_university(app, imported, make_university, make_user):
    _university, record = imported
    stranger = Browser(app)
    stranger.post(
        "/login", data={"email": make_user("organizer", university=make_university()).email, "password": "password123"}
    )
    assert stranger.post("/graduates/activation", data={"graduate_id": str(record.id)}).status_code == 404
    response = stranger.post("/graduates/activation", data={"mode": "all"}, follow_redirects=True)
    assert "张三" not in response.get_data(as_text=True)
    assert db.session.get(Graduate, record.id).activation_code_hash is None
    assert Browser(app).post("/graduates/activation", data={"mode": "all"}).status_code == 302  # anonymous: login


def test_organizer_confirmation_links_the_pending_account_to_the_record(app, imported, make_user, mailbox):  # noqa: F811
    university, record = imported
    graduate = Browser(app)
    register(graduate, "graduate", _form(university.id, email="zhangsan@example.com"), mailbox)
    pending_id = db.session.scalar(sa.select(Graduate.id).where(Graduate.claimed_student_number == "2023001"))
    organizer = Browser(app)
    organizer.post(
        "/login", data={"email": make_user("organizer", university=university).email, "password": "password123"}
    )
    page = organizer.get("/graduates/manage").get_data(as_text=True)
    assert 'data-testid="claimed-record"' in page
    assert organizer.post(f"/graduates/{pending_id}/confirm").status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "zhangsan@example.com"))
    assert user.graduate_id == record.id
    assert db.session.get(Graduate, pending_id) is None


def test_one_slip_from_the_graduates_page(app, imported, make_user):
    university, record = imported
    organizer = Browser(app)
    organizer.post(
        "/login", data={"email": make_user("organizer", university=university).email, "password": "password123"}
    )
    page = organizer.get("/graduates/manage?show=all").get_data(as_text=True)
    assert f'name="graduate_id" value="{record.id}"' in page
    response = organizer.post("/graduates/activation", data={"graduate_id": str(record.id)})
    assert response.status_code == 200 and response.get_data(as_text=True).count('data-testid="slip"') == 1
    assert db.session.get(Graduate, record.id).activation_code_hash is not None


def test_confirming_a_claim_on_a_record_with_an_account_is_refused(app, imported, make_user, mailbox):  # noqa: F811
    university, record = imported
    make_user("graduate", graduate=record)  # the real owner already claimed it
    register(Browser(app), "graduate", _form(university.id, email="late@example.com"), mailbox)
    pending_id = db.session.scalar(sa.select(Graduate.id).where(Graduate.claimed_student_number == "2023001"))
    organizer = Browser(app)
    organizer.post(
        "/login", data={"email": make_user("organizer", university=university).email, "password": "password123"}
    )
    response = organizer.post(f"/graduates/{pending_id}/confirm", follow_redirects=True)
    assert "该学号的学校记录已关联其他账号，无法确认；请核实后联系该毕业生。" in response.get_data(as_text=True)
    late = db.session.scalar(sa.select(User).where(User.email == "late@example.com"))
    assert late.graduate_id == pending_id and db.session.get(Graduate, pending_id).confirmed is False


def test_a_pending_registration_keeps_only_the_codes_digest(app, imported, make_user, mailbox):  # noqa: F811
    """Between the form and the e-mailed link the code is stored as the record stores it: a digest."""
    import json

    from recruit.auth import claims
    from recruit.auth.models import PendingRegistration

    university, record = imported
    organizer = Browser(app)
    organizer.post(
        "/login", data={"email": make_user("organizer", university=university).email, "password": "password123"}
    )
    code = _code(_codes_page(organizer).get_data(as_text=True))
    response = Browser(app).post(
        "/register/graduate", data=_form(university.id, activation_code=code, email="zhangsan@example.com")
    )
    assert response.status_code in (200, 302)
    (pending,) = db.session.scalars(sa.select(PendingRegistration)).all()
    stored = json.dumps(pending.payload, ensure_ascii=False)
    assert code not in stored and claims.normalise_code(code) not in stored
    assert pending.payload["activation_code_hash"] == claims.code_hash(code)
