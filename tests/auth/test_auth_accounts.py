"""Login, throttling, registration and account settings."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.validation import credit_code_check_char, is_valid_credit_code
from tests.conftest import PASSWORD, credit_code
from tests.security.identity_helpers import mailbox, register  # noqa: F401


def errors(response) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def test_login_and_logout(client, auth, make_user):
    user = make_user("admin")
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_is_refused_in_chinese(client, auth, make_user):
    user = make_user("admin")
    response = auth.login(user, "wrong-password")
    assert response.status_code == 200
    assert "邮箱或密码错误。" in errors(response)
    assert client.get("/dashboard").status_code == 302


def test_login_ignores_case_of_email(client, auth, make_user):
    user = make_user("organizer")
    assert auth.login(user.email.upper()).status_code == 302


def test_next_parameter_only_redirects_inside_the_site(client, make_user):
    user = make_user("admin")
    response = client.post("/login?next=https://evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/dashboard")


def test_disabled_account_cannot_log_in(client, auth, make_user):
    user = make_user("employer", active=False)
    response = auth.login(user)
    assert "该账号已停用，请联系管理员。" in errors(response)


def test_throttled_per_account_after_repeated_failures(client, auth, make_user, app):
    # A slow-down, not a lock-out (issue 12): the owner waits LOGIN_DELAY_SECONDS (doubling
    # with further failures) or resets the password by e-mail.
    import time_machine

    user = make_user("admin")
    with time_machine.travel("2026-11-27 10:00 +0000", tick=False):  # the wait is counted from now
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            auth.login(user, "nope")
        response = auth.login(user)  # even the right password waits now
    assert response.status_code == 429
    assert "该账号最近登录失败次数较多，为保护账号，请 30 秒后再试；忘记密码可以通过邮件重设。" in errors(response)
    assert 'data-testid="offer-reset"' in response.get_data(as_text=True)


def test_throttled_per_address_across_accounts(client, auth, make_user, app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for i in range(3):
        auth.login(f"nobody{i}@example.com", "nope")
    user = make_user("admin")
    response = auth.login(user)
    assert response.status_code == 429
    assert "此网络地址在 15 分钟内的登录失败次数过多，请 15 分钟后再试。" in errors(response)


def test_throttle_window_passes(client, auth, make_user, app):
    import time_machine

    user = make_user("admin")
    with time_machine.travel("2026-11-27 10:00 +0000", tick=False):
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            auth.login(user, "nope")
        assert auth.login(user).status_code == 429
    with time_machine.travel("2026-11-27 10:00:31 +0000", tick=False):
        assert auth.login(user).status_code == 302


def test_passwords_are_hashed_with_scrypt(make_user):
    user = make_user("admin")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    user.set_password("another-password")
    assert user.check_password("another-password") and not user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "code,valid",
    [
        ("91520100MA6DJ3XK1T", None),  # checked against the algorithm below
        ("915201000000000001", None),
        ("ABC", False),
        ("91520100MA6DJ3XK1", False),
        ("91520100MA6DJ3XKIO", False),  # I and O are not in the alphabet
    ],
)
def test_credit_code_validation(code, valid):
    if valid is None:
        expected = len(code) == 18 and credit_code_check_char(code[:17]) == code[17]
        assert is_valid_credit_code(code) is expected
    else:
        assert is_valid_credit_code(code) is valid


def test_credit_code_known_good_and_one_digit_off():
    good = credit_code(42)
    assert is_valid_credit_code(good)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not is_valid_credit_code(wrong_check)


EMPLOYER_FORM = dict(
    name="贵州云上数据科技有限公司",
    credit_code="",
    industry="大数据电子信息",
    city="贵阳",
    contact_name="李女士",
    contact_phone="0851-12345678",
    description="",
    email="hr@yunshang.example",
    password="secret-pass",
    password2="secret-pass",
)


def test_employer_registers_and_stays_pending(client, mailbox):  # noqa: F811
    form = dict(EMPLOYER_FORM, credit_code=credit_code(7))
    response = register(client, "employer", form, mailbox)
    assert response.status_code == 302
    employer = db.session.scalar(sa.select(Employer))
    assert employer.status == "pending" and employer.credit_code == credit_code(7)
    user = db.session.scalar(sa.select(User).where(User.email == "hr@yunshang.example"))
    assert user.role == "employer" and user.employer_id == employer.id


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name", "", "此项必填。"),
        ("name", "公" * 101, "长度应在 2 到 100 个字符之间。"),
        ("credit_code", "91520100MA6DJ3XK10", "统一社会信用代码无效：应为 18 位，且校验位正确。"),
        ("credit_code", "", "此项必填。"),
        ("industry", "不存在的行业", "不是有效的选择。"),
        ("email", "not-an-email", "请输入有效的电子邮箱地址。"),
        ("password", "short", "密码长度应在 8 到 128 个字符之间。"),
        ("password2", "different-pass", "两次输入的密码不一致。"),
        ("contact_phone", "1" * 31, "不能超过 30 个字符。"),
        ("contact_phone", "abc", "请填写有效的电话号码（手机号或带区号的固话）。"),
        ("contact_phone", "-----", "请填写有效的电话号码（手机号或带区号的固话）。"),
        ("contact_phone", "12345", "请填写有效的电话号码（手机号或带区号的固话）。"),
        ("contact_phone", "0851-8612345a", "请填写有效的电话号码（手机号或带区号的固话）。"),
    ],
)
def test_employer_registration_messages(client, field, value, message):
    form = dict(EMPLOYER_FORM, credit_code=credit_code(8))
    form[field] = value
    response = client.post("/register/employer", data=form)
    assert response.status_code == 200
    assert message in errors(response)
    assert db.session.scalar(sa.select(sa.func.count(Employer.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_duplicate_credit_code_and_email_refused(client, make_employer, make_user, mailbox):  # noqa: F811
    existing = make_employer()
    response = client.post("/register/employer", data=dict(EMPLOYER_FORM, credit_code=existing.credit_code))
    assert "该统一社会信用代码已注册，请联系单位已有的账号。" in errors(response)
    # A taken e-mail is not told to the stranger (issue 12): the owner gets a notice instead.
    user = make_user("admin")
    response = client.post("/register/employer", data=dict(EMPLOYER_FORM, credit_code=credit_code(9), email=user.email))
    assert "该邮箱已注册。" not in response.get_data(as_text=True)
    assert 'data-testid="check-email"' in response.get_data(as_text=True)
    assert "已经有账号" in mailbox.bodies(user.email)[0]
    assert db.session.scalar(sa.select(sa.func.count(Employer.id))) == 1


def _graduate_form(university_id, **kw):
    form = dict(
        university=str(university_id),
        student_number="2023001",
        name="张三",
        major="软件工程",
        degree="本科",
        graduation_year="2027",
        email="zhangsan@example.com",
        password="secret-pass",
        password2="secret-pass",
    )
    form.update(kw)
    return form


def test_graduate_registers_unconfirmed(client, make_university, mailbox):  # noqa: F811
    # Without an activation code the record waits for the organizer; the typed number is kept
    # aside (a placeholder number until confirmed), so an import cannot confirm a squatter.
    university = make_university()
    response = register(client, "graduate", _graduate_form(university.id), mailbox)
    assert response.status_code == 302
    graduate = db.session.scalar(sa.select(Graduate))
    assert graduate.confirmed is False and graduate.university_id == university.id
    assert graduate.claimed_student_number == "2023001" and graduate.student_number.startswith("待确认-")


def test_graduate_claims_imported_record(client, make_university, make_graduate, make_user, mailbox):  # noqa: F811
    # Claiming an imported record takes the activation code the university issued (issue 12).
    from recruit.auth import claims

    university = make_university()
    imported = make_graduate(university=university, student_number="2023001", name="张三", confirmed=True)
    organizer = make_user("organizer", university=university)
    with client.application.test_request_context():
        [slip] = claims.issue_activation_codes(organizer, university, "missing")
    response = register(client, "graduate", _graduate_form(university.id, activation_code=slip.code.lower()), mailbox)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.role == "graduate"))
    assert user.graduate_id == imported.id
    assert db.session.scalar(sa.select(sa.func.count(Graduate.id))) == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("student_number", "", "此项必填。"),
        ("graduation_year", "abc", "不是有效的整数。"),
        ("graduation_year", "1990", "应在 2000 到 2100 之间。"),
        ("degree", "小学", "不是有效的选择。"),
        ("university", "99999", "不是有效的选择。"),
        ("name", "", "此项必填。"),
    ],
)
def test_graduate_registration_messages(client, make_university, field, value, message):
    university = make_university()
    response = client.post("/register/graduate", data=_graduate_form(university.id, **{field: value}))
    assert message in errors(response)
    assert db.session.scalar(sa.select(sa.func.count(Graduate.id))) == 0


def test_graduate_cannot_claim_someone_elses_number(client, make_university, make_graduate, mailbox):  # noqa: F811
    # Without the code the account is not linked to the imported record, and the answer is the
    # same as for a number the school never imported (no enumeration).
    university = make_university()
    imported = make_graduate(university=university, student_number="2023001", name="李四")
    response = register(client, "graduate", _graduate_form(university.id), mailbox)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.role == "graduate"))
    assert user.graduate_id != imported.id and user.graduate.confirmed is False


def test_account_language_switch_to_english(client, auth, make_user):
    user = make_user("admin")
    auth.login(user)
    response = client.post("/account", data={"a-display_name": "Admin", "a-locale": "en", "a-submit": "1"})
    assert response.status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'lang="en"' in page


def test_language_switch_for_anonymous(client):
    client.post("/lang/en", data={"next": "/"})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    client.post("/lang/zh", data={"next": "/"})
    assert 'lang="zh-CN"' in client.get("/").get_data(as_text=True)


def test_change_password_requires_current(client, auth, make_user):
    user = make_user("employer")
    auth.login(user)
    response = client.post(
        "/account",
        data={
            "p-current_password": "wrong",
            "p-password": "new-password-1",
            "p-password2": "new-password-1",
            "p-submit_password": "1",
        },
    )
    assert "当前密码不正确。" in errors(response)
    response = client.post(
        "/account",
        data={
            "p-current_password": PASSWORD,
            "p-password": "new-password-1",
            "p-password2": "new-password-1",
            "p-submit_password": "1",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("new-password-1")
