"""Races through HTTP on PostgreSQL (issue 12, items 6, 7 and 11): threads, each with its own
test client and session, released together by a barrier placed just before the write.

- approve vs withdraw of one booth request: compare-and-set, the loser gets 409 and the truth;
- four identical postings imports: the rows once, every response a result, never a 500;
- the same booth request twice, the same recommendation twice, a fair saved twice: one row, the
  loser a clear 409 or the same outcome, never a 500;
- one credit code, one e-mail address or one graduate record registered by two links at once:
  one account, the loser the registration form back with a 409 on that field.
"""

from __future__ import annotations

import io
import re
import threading

import pytest
import sqlalchemy as sa

from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs import registrations
from recruit.fairs import services as fair_services
from recruit.fairs.models import FairRegistration
from recruit.graduates.models import SavedFair, SchoolRecommendation
from recruit.organizer import importers
from tests.conftest import PASSWORD, credit_code, is_postgres
from tests.organizer.test_organizer_import import P_HEADER, csv_bytes, prow

pytestmark = pytest.mark.skipif(
    not is_postgres(), reason="threads need PostgreSQL (SQLite in memory is one connection)"
)


def _client(app, user=None):
    """A client of its own, signed in as ``user`` (in a fresh app context: the test's context
    keeps ``g``, and with it the previous login's user, between requests)."""
    client = app.test_client()
    if user is not None:
        email = user.email
        with app.app_context():
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302 and "/login" not in response.headers["Location"]
    return client


def _race(calls):
    """Run each ``call()`` in its own thread; return their results in order."""
    results = [None] * len(calls)

    def run(i, call):
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001  reported by the assertion below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return results


def _gate(monkeypatch, target, name, parties):
    """Make ``target.name`` wait until ``parties`` callers have arrived (first call per thread)."""
    barrier = threading.Barrier(parties)
    original = getattr(target, name)
    seen = threading.local()

    def gated(*args, **kwargs):
        if not getattr(seen, "done", False):
            seen.done = True
            try:
                barrier.wait(15)
            except threading.BrokenBarrierError:
                pass
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, gated)


@pytest.fixture
def booth(make_fair, make_employer, make_posting, make_user):
    fair = make_fair()
    employer = make_employer()
    posting = make_posting(employer=employer)
    registration = FairRegistration(fair=fair, employer=employer, status="pending", postings=[posting])
    db.session.add(registration)
    db.session.commit()
    return {
        "fair": fair,
        "registration": registration,
        "posting": posting,
        "organizer": make_user("organizer", university=fair.university),
        "employer_user": make_user("employer", employer=employer),
    }


def test_approve_and_withdraw_at_once_one_wins_the_other_hears_it(app, booth, monkeypatch):
    reg_id = booth["registration"].id
    organizer, employer = _client(app, booth["organizer"]), _client(app, booth["employer_user"])
    _gate(monkeypatch, registrations, "_compare_and_set", 2)
    approve, withdraw = _race(
        [
            lambda: organizer.post(f"/fairs/registrations/{reg_id}/decide", data={"decision": "approve"}),
            lambda: employer.post(f"/fairs/registrations/{reg_id}/withdraw"),
        ]
    )
    assert sorted([approve.status_code, withdraw.status_code]) == [302, 409]
    db.session.expire_all()
    registration = db.session.get(FairRegistration, reg_id)
    if approve.status_code == 302:
        assert (registration.status, registration.booth_number) == ("approved", 1)
        assert "刚刚已被通过" in withdraw.get_data(as_text=True)
    else:
        assert (registration.status, registration.booth_number) == ("withdrawn", None)
        assert "单位刚刚已撤回该申请" in approve.get_data(as_text=True)


def test_four_identical_imports_at_once_create_each_posting_once(app, make_employer, make_user, monkeypatch):
    employer = make_employer()
    data = csv_bytes(P_HEADER, [prow(employer.credit_code, f"岗位{n}") for n in range(50)])
    admins = [_client(app, make_user("admin")) for _ in range(4)]
    _gate(monkeypatch, importers, "write_postings", 4)

    def post(client):
        return client.post(
            "/org/imports/postings",
            content_type="multipart/form-data",
            data={"postings-file": (io.BytesIO(data), "p.csv")},
        )

    responses = _race([lambda c=c: post(c) for c in admins])
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert [r.status_code for r in responses] == [200] * 4
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("新建 50" in p for p in pages) == 1 and sum("未变 50" in p for p in pages) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 50


def test_the_same_booth_request_twice(app, make_fair, make_employer, make_posting, make_user, monkeypatch):
    fair = make_fair()
    employer = make_employer()
    posting = make_posting(employer=employer)
    clients = [_client(app, make_user("employer", employer=employer)) for _ in range(2)]
    fair_id, posting_id = fair.id, posting.id
    _gate(monkeypatch, registrations, "flush", 2)  # both have passed the "already requested?" check
    responses = _race(
        [lambda c=c: c.post(f"/fairs/{fair_id}/register", data={"postings": [str(posting_id)]}) for c in clients]
    )
    assert sorted(r.status_code for r in responses) == [302, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert "已申请过该招聘会的展位" in loser.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FairRegistration)) == 1


def test_the_same_recommendation_twice(app, make_university, make_graduate, make_posting, make_user, monkeypatch):
    from recruit.organizer import services as organizer_services

    university = make_university()
    graduate = make_graduate(university=university, low_income=True)
    posting = make_posting()
    clients = [_client(app, make_user("organizer", university=university)) for _ in range(2)]
    graduate_id, posting_id = graduate.id, posting.id
    _gate(monkeypatch, organizer_services, "recommend", 2)
    responses = _race(
        [
            lambda c=c: c.post(
                f"/org/key-group/{graduate_id}/recommend", data={"posting_id": str(posting_id), "note": "优先"}
            )
            for c in clients
        ]
    )
    assert all(not isinstance(r, Exception) and r.status_code < 500 for r in responses), responses
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolRecommendation)) == 1


def test_a_fair_saved_twice(app, make_fair, make_user, monkeypatch):
    from recruit.graduates import services as graduate_services

    fair = make_fair()
    user = make_user("graduate")
    clients = [_client(app, user) for _ in range(2)]
    fair_id = fair.id
    _gate(monkeypatch, graduate_services, "set_saved_fair", 2)
    responses = _race(
        [lambda c=c: c.post(f"/graduates/me/saved/fairs/{fair_id}", data={"action": "save"}) for c in clients]
    )
    assert all(not isinstance(r, Exception) and r.status_code < 500 for r in responses), responses
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedFair)) == 1


def _pending_links(app, kind: str, forms: list[dict]) -> list[str]:
    """Pending self-registrations (as the form leaves them), one link token each."""
    from recruit.auth import services as auth_services
    from recruit.auth import sessions
    from recruit.auth.models import PendingRegistration

    tokens = []
    for n, data in enumerate(forms):
        with app.test_request_context():
            auth_services.start_registration(kind, data, "correct horse battery")
        token = f"race-token-{n}-" + "x" * 30
        known = [sessions.token_hash(t) for t in tokens]
        db.session.execute(
            sa.update(PendingRegistration)
            .where(PendingRegistration.email == data["email"], PendingRegistration.token_hash.not_in(known))
            .values(token_hash=sessions.token_hash(token))
        )
        tokens.append(token)
    db.session.commit()
    return tokens


def _one_wins_one_gets_the_form(responses, field: str, message: str) -> None:
    assert not any(isinstance(r, Exception) for r in responses), responses
    assert sorted(r.status_code for r in responses) == [302, 409], responses
    loser = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert re.findall(rf'<p class="error" id="{field}-err">([^<]*)</p>', loser) == [message]
    assert 'action="/register/' in loser


def _employer_form(email: str) -> dict:
    return {
        "name": "重复注册科技有限公司",
        "credit_code": credit_code(424242),
        "industry": "金融",
        "city": "贵阳",
        "contact_name": "王五",
        "contact_phone": "13800000000",
        "description": "",
        "email": email,
    }


def test_the_same_employer_registered_twice(app, monkeypatch):
    from recruit.auth import services as auth_services
    from recruit.auth.models import User

    # Self-registration completes by an e-mailed link: two pending registrations (two addresses)
    # of one credit code are confirmed at the same moment.
    tokens = _pending_links(app, "employer", [_employer_form("dup1@example.com"), _employer_form("dup2@example.com")])
    clients = [app.test_client() for _ in range(2)]
    _gate(monkeypatch, auth_services, "_create_employer", 2)
    responses = _race([lambda c=c, t=t: c.post(f"/register/confirm/{t}") for c, t in zip(clients, tokens)])
    _one_wins_one_gets_the_form(responses, "credit_code", "该统一社会信用代码已注册，请联系单位已有的账号。")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_one_address_registered_by_two_links_at_once(app, monkeypatch):
    from recruit.auth import services as auth_services
    from recruit.auth.models import User

    tokens = _pending_links(
        app,
        "employer",
        [_employer_form("same@example.com"), dict(_employer_form("same@example.com"), credit_code=credit_code(434343))],
    )
    clients = [app.test_client() for _ in range(2)]
    _gate(monkeypatch, auth_services, "_create_employer", 2)
    responses = _race([lambda c=c, t=t: c.post(f"/register/confirm/{t}") for c, t in zip(clients, tokens)])
    _one_wins_one_gets_the_form(
        responses, "email", "该邮箱刚刚已完成注册（可能是另一个注册链接），请直接登录；忘记密码可以通过邮件重设。"
    )
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_one_graduate_record_claimed_by_two_links_at_once(app, monkeypatch, make_university, make_graduate):
    from recruit.auth import claims
    from recruit.auth import services as auth_services
    from recruit.auth.models import User
    from recruit.graduates.models import Graduate

    record = make_graduate(university=make_university(), student_number="2023001", name="张三")
    record.activation_code_hash = claims.code_hash(claims.normalise_code("ABCD-EFGH-JKMN"))
    db.session.commit()
    forms = [
        {
            "university": record.university_id,
            "student_number": "2023001",
            "name": "张三",
            "major": "软件工程",
            "degree": "本科",
            "graduation_year": 2027,
            "email": email,
            "activation_code": "ABCD-EFGH-JKMN",
        }
        for email in ("one@example.com", "two@example.com")
    ]
    tokens = _pending_links(app, "graduate", forms)
    clients = [app.test_client() for _ in range(2)]
    _gate(monkeypatch, auth_services, "_create_graduate", 2)
    responses = _race([lambda c=c, t=t: c.post(f"/register/confirm/{t}") for c, t in zip(clients, tokens)])
    _one_wins_one_gets_the_form(
        responses, "activation_code", "该毕业生记录刚刚已被另一个账号关联。如果那不是您本人，请联系学校就业部门。"
    )
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Graduate)) == 1


def test_an_online_fair_saved_twice_at_once(app, make_university, make_user, monkeypatch):
    from recruit.fairs.models import Fair
    from tests.security.test_security_bad_input import ONLINE_FAIR

    university = make_university()
    clients = [_client(app, make_user("organizer", university=university)) for _ in range(2)]
    _gate(monkeypatch, fair_services, "_refuse_duplicate", 2)
    responses = _race([lambda c=c: c.post("/fairs/new", data=ONLINE_FAIR) for c in clients])
    assert all(not isinstance(r, Exception) and r.status_code < 500 for r in responses), responses
    assert sum("刚刚已保存过完全相同的招聘会" in r.get_data(as_text=True) for r in responses) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Fair)) == 1
