"""A registration link whose data another registration took meanwhile (issue 12): the e-mail
address, the employer's credit code or the claimed graduate record. The loser gets the
registration form back, filled in (never the password), with the message on the field that
clashed, in the user's language, status 409, and nothing is written.

Both interleavings, deterministic and on both databases: the other registration committed
before this one's check ("checked"), or between this one's check and its write ("lost race":
the check is made to pass as it did then, and the database's unique constraint refuses the
write). The threaded versions through HTTP are in test_security_races.py (PostgreSQL).
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from recruit.auth import claims, sessions
from recruit.auth import services as auth_services
from recruit.auth.models import PendingRegistration, User
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.graduates.models import Graduate
from tests.conftest import credit_code

STRONG = "Huaxi-park-lantern-77"
CODE = "ABCD-EFGH-JKMN"
MESSAGES = {
    "email": (
        "该邮箱刚刚已完成注册（可能是另一个注册链接），请直接登录；忘记密码可以通过邮件重设。",
        "This e-mail address has just been registered (perhaps through another registration link). "
        "Please sign in; if you have forgotten the password, you can reset it by e-mail.",
    ),
    "credit_code": (
        "该统一社会信用代码已注册，请联系单位已有的账号。",
        "This unified social credit code is already registered. Please contact the existing account of your organisation.",
    ),
    "activation_code": (
        "该毕业生记录刚刚已被另一个账号关联。如果那不是您本人，请联系学校就业部门。",
        "This graduate record has just been linked to another account. If that was not you, "
        "please contact your university's career office.",
    ),
}


def _pending(app, kind: str, data: dict, token: str) -> None:
    """A pending self-registration (as the form leaves it) whose link carries ``token``."""
    with app.test_request_context():
        auth_services.start_registration(kind, data, STRONG)
    db.session.execute(
        sa.update(PendingRegistration)
        .where(PendingRegistration.email == data["email"], PendingRegistration.token_hash != sessions.token_hash(token))
        .values(token_hash=sessions.token_hash(token))
    )
    db.session.commit()


def _employer(email: str) -> dict:
    return {
        "name": "重复注册科技有限公司",
        "credit_code": credit_code(515151),
        "industry": "金融",
        "city": "贵阳",
        "contact_name": "王五",
        "contact_phone": "13800000000",
        "description": "",
        "email": email,
    }


def _graduate(university_id: int, email: str, activation_code: str = CODE) -> dict:
    return {
        "university": university_id,
        "student_number": "2023001",
        "name": "张三",
        "major": "软件工程",
        "degree": "本科",
        "graduation_year": 2027,
        "email": email,
        "activation_code": activation_code,
    }


def _field_errors(page: str, field: str) -> list[str]:
    return [html.unescape(e) for e in re.findall(rf'<p class="error" id="{field}-err">([^<]*)</p>', page)]


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (User, Employer, Graduate)
    )


def _confirm(app, token: str, lang: str):
    """Follow the link in a browser of its own, in a fresh app context (the test's context would
    keep the previous request's user and language)."""
    with app.app_context():
        browser = app.test_client()
        browser.post(f"/lang/{lang}")
        return browser.post(f"/register/confirm/{token}")


def _once(monkeypatch, name: str, value) -> None:
    """``auth_services.name`` answers ``value`` on its first call (the check made before the other
    registration committed), then as usual."""
    real = getattr(auth_services, name)
    calls = []

    def patched(*args, **kwargs):
        calls.append(args)
        return value(*args, **kwargs) if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(auth_services, name, patched)


@pytest.fixture
def record(make_university, make_graduate):
    graduate = make_graduate(university=make_university(), student_number="2023001", name="张三")
    graduate.activation_code_hash = claims.code_hash(claims.normalise_code(CODE))
    db.session.commit()
    return graduate


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("interleaving", ["checked", "lost race"])
def test_credit_code_taken_by_another_registration(app, monkeypatch, lang, interleaving):
    _pending(app, "employer", _employer("first@example.com"), "first-token-" + "x" * 30)
    _pending(app, "employer", _employer("second@example.com"), "second-token-" + "x" * 30)
    assert _confirm(app, "first-token-" + "x" * 30, "zh").status_code == 302
    before = _counts()
    if interleaving == "lost race":  # the second checked the code before the first committed
        _once(monkeypatch, "_free_credit_code", lambda value: value.strip().upper())
    response = _confirm(app, "second-token-" + "x" * 30, lang)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _field_errors(page, "credit_code") == [MESSAGES["credit_code"][lang == "en"]]
    assert 'action="/register/employer"' in page and 'value="second@example.com"' in page
    assert 'value="重复注册科技有限公司"' in page and STRONG not in page
    assert (response.headers["Cache-Control"], response.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    db.session.expire_all()
    assert _counts() == before
    assert db.session.scalar(sa.select(User.id).where(User.email == "second@example.com")) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_email_taken_by_another_registration(app, monkeypatch, make_user, lang):
    """Two links for one address followed at once: the other one's account exists by the time
    this one writes (its check had passed)."""
    _pending(app, "employer", _employer("same@example.com"), "mine-token-" + "x" * 30)
    make_user("employer", email="same@example.com")
    before = _counts()
    _once(monkeypatch, "email_taken", lambda email: False)
    response = _confirm(app, "mine-token-" + "x" * 30, lang)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _field_errors(page, "email") == [MESSAGES["email"][lang == "en"]]
    assert 'value="same@example.com"' in page and STRONG not in page
    db.session.expire_all()
    assert _counts() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == 1  # the other's only


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("interleaving", ["checked", "lost race"])
def test_graduate_record_claimed_by_another_registration(app, monkeypatch, record, lang, interleaving):
    _pending(app, "graduate", _graduate(record.university_id, "first@example.com"), "first-token-" + "x" * 30)
    _pending(app, "graduate", _graduate(record.university_id, "second@example.com"), "second-token-" + "x" * 30)
    assert _confirm(app, "first-token-" + "x" * 30, "zh").status_code == 302
    record_id = record.id
    before = _counts()
    if interleaving == "lost race":  # the second found the code unused before the first committed
        _once(monkeypatch, "_claim_with_code", lambda *args, **kwargs: db.session.get(Graduate, record_id))
    response = _confirm(app, "second-token-" + "x" * 30, lang)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _field_errors(page, "activation_code") == [MESSAGES["activation_code"][lang == "en"]]
    assert 'action="/register/graduate"' in page and 'value="second@example.com"' in page and STRONG not in page
    db.session.expire_all()
    assert _counts() == before
    assert db.session.scalar(sa.select(User.email).where(User.graduate_id == record_id)) == "first@example.com"


def test_a_replaced_code_gives_the_form_back_too(app, record):
    """Not a race: the organizer issued a new code after the link was sent."""
    _pending(app, "graduate", _graduate(record.university_id, "late@example.com"), "late-token-" + "x" * 30)
    record.activation_code_hash = claims.code_hash(claims.normalise_code("WXYZ-WXYZ-WXYZ"))
    db.session.commit()
    before = _counts()
    response = _confirm(app, "late-token-" + "x" * 30, "zh")
    assert response.status_code == 409
    assert _field_errors(response.get_data(as_text=True), "activation_code") == [auth_services.CLAIM_WRONG]
    db.session.expire_all()
    assert _counts() == before
