"""Shared fixtures (flaskr style): ``app``, ``client``, ``runner``, ``auth`` and factories.

The database is chosen by ``TEST_DATABASE_URL_ACTIVE`` (set by ``make test``): an SQLite
file by default, PostgreSQL in the second run. The schema is built once per run by the
real migrations; every test starts from empty tables.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from tests.workers import worker_environment

if not os.environ.get("TEST_DATABASE_URL_ACTIVE"):
    _tmp = tempfile.mkdtemp(prefix="recruit-test-")
    os.environ["TEST_DATABASE_URL_ACTIVE"] = f"sqlite:///{_tmp}/test.sqlite3"
os.environ.setdefault("RECRUIT_INSTANCE_DIR", tempfile.mkdtemp(prefix="recruit-instance-"))

# Under pytest-xdist (``-n 2``) each worker has its own database and instance folder (uploads,
# job locks, the matching index), so that workers never see each other's rows or files.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.update(worker_environment(os.environ))

from config import TestConfig
from recruit import create_app
from recruit.extensions import db
from recruit.timeutil import combine_local

PASSWORD = "password123"


def is_postgres() -> bool:
    return os.environ["TEST_DATABASE_URL_ACTIVE"].startswith("postgresql")


@pytest.fixture(scope="session")
def _schema():
    """Build the schema once with the migrations (proves they work on this engine)."""
    from flask_migrate import upgrade

    app = create_app(TestConfig)
    with app.app_context():
        if is_postgres():
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        db.engine.dispose()
    yield


@pytest.fixture(scope="session")
def password_hash():
    from werkzeug.security import generate_password_hash

    from recruit.auth.models import PASSWORD_METHOD

    return generate_password_hash(PASSWORD, method=PASSWORD_METHOD)


def _clear_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    # DELETE, not TRUNCATE: on the few rows a test leaves, it is several times faster on
    # PostgreSQL (TRUNCATE takes exclusive locks and rewrites files for every table).
    with db.engine.begin() as conn:
        for name in tables:
            conn.execute(sa.text(f"DELETE FROM {name}"))


@pytest.fixture
def app(_schema):
    app = create_app(TestConfig)
    with app.app_context():
        yield app
        db.session.remove()
        _clear_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


@pytest.fixture
def make_university(app):
    from recruit.universities.models import University

    def make(**kw) -> University:
        n = _n()
        values = dict(
            code=f"U{n}", name=f"测试大学{n}", city="贵阳", graduates_count=1000, majors=["计算机科学与技术", "会计学"]
        )
        values.update(kw)
        university = University(**values)
        db.session.add(university)
        db.session.commit()
        return university

    return make


@pytest.fixture
def make_venue(app, make_university):
    from recruit.universities.models import Venue

    def make(university=None, **kw) -> Venue:
        university = university or make_university()
        values = dict(name=f"场地{_n()}", capacity=100, address="贵阳市花溪区")
        values.update(kw)
        venue = Venue(university=university, **values)
        db.session.add(venue)
        db.session.commit()
        return venue

    return make


def credit_code(n: int) -> str:
    from recruit.validation import credit_code_check_char

    first = f"915201{n:011d}"[:17]
    return first + credit_code_check_char(first)


@pytest.fixture
def make_employer(app):
    from recruit.employers.models import Employer

    def make(**kw) -> Employer:
        n = _n()
        values = dict(
            name=f"贵州测试科技有限公司{n}",
            credit_code=credit_code(n),
            industry="大数据电子信息",
            city="贵阳",
            contact_name="王经理",
            contact_phone="0851-88888888",
            contact_email=f"hr{n}@example.com",
            status="approved",
        )
        values.update(kw)
        employer = Employer(**values)
        db.session.add(employer)
        db.session.commit()
        return employer

    return make


@pytest.fixture
def make_posting(app, make_employer):
    from recruit.employers.models import Posting

    def make(employer=None, **kw) -> Posting:
        employer = employer or make_employer()
        values = dict(
            title="Java后端开发工程师",
            description="负责后端服务开发，熟悉Spring Boot和MySQL。",
            industry="软件和信息技术服务",
            majors=["计算机科学与技术"],
            min_degree="本科",
            city="贵阳",
            salary_min=6000,
            salary_max=9000,
            headcount=2,
            deadline=date(2027, 6, 30),
            status="open",
        )
        values.update(kw)
        posting = Posting(employer=employer, **values)
        db.session.add(posting)
        db.session.commit()
        return posting

    return make


@pytest.fixture
def make_graduate(app, make_university):
    from recruit.graduates.models import Graduate, Intention

    def make(university=None, intention: dict | None = None, **kw) -> Graduate:
        university = university or make_university()
        n = _n()
        values = dict(
            student_number=f"2023{n:05d}",
            name=f"学生{n}",
            major="计算机科学与技术",
            degree="本科",
            graduation_year=2027,
            confirmed=True,
            visible_to_employers=True,
        )
        values.update(kw)
        graduate = Graduate(university=university, **values)
        db.session.add(graduate)
        if intention is not None:
            db.session.add(Intention(graduate=graduate, **intention))
        db.session.commit()
        return graduate

    return make


@pytest.fixture
def make_fair(app, make_university, make_venue):
    from recruit.fairs.models import Fair

    def make(
        university=None, venue=None, day: date = date(2026, 12, 8), start: time = time(14), hours: int = 3, **kw
    ) -> Fair:
        if venue is None and kw.get("format", "onsite") != "online":
            venue = make_venue(university=university) if university is not None else make_venue()
        university = university or venue.university
        starts_at = combine_local(day, start)
        values = dict(
            kind="special",
            title="专场招聘会",
            format="onsite",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            booth_capacity=30,
            status="scheduled",
            revision=1,
        )
        values.update(kw)
        if values["format"] != "onsite" and not values.get("online_url"):
            values["online_url"] = "https://meeting.example.com/fair"
        fair = Fair(university=university, venue=venue, **values)
        db.session.add(fair)
        db.session.commit()
        return fair

    return make


@pytest.fixture
def make_user(app, password_hash, make_university, make_employer, make_graduate):
    from recruit.auth.models import User

    def make(role: str = "admin", **kw) -> User:
        n = _n()
        links: dict = {}
        if role == "organizer":
            links["university"] = kw.pop("university", None) or make_university()
        elif role == "employer":
            links["employer"] = kw.pop("employer", None) or make_employer()
        elif role == "graduate":
            graduate = kw.pop("graduate", None) or make_graduate(university=kw.pop("university", None))
            links["graduate"] = graduate
            links["university_id"] = graduate.university_id
        values = dict(email=f"{role}{n}@example.com", display_name=f"{role}{n}", role=role, password_hash=password_hash)
        values.update(links)
        values.update(kw)
        user = User(**values)
        db.session.add(user)
        db.session.commit()
        return user

    return make
