"""Index lifecycle: changes reach matches without restart, restarts load the saved index, workers agree."""

from __future__ import annotations

import pytest

from config import TestConfig
from matching import Matcher
from recruit import create_app
from recruit.employers import services as employer_services
from recruit.extensions import db
from recruit.graduates import services as graduate_services
from recruit.matchmaking import services
from recruit.matchmaking.index import manager

INTENTION = dict(
    positions=["Java开发"], cities=["贵阳"], industries=["软件和信息技术服务"], skills="Java", statement="想做后端开发"
)
POSTING = dict(
    title="Java开发工程师",
    description="后端开发",
    industry="软件和信息技术服务",
    majors=["计算机科学与技术"],
    min_degree="本科",
    city="贵阳",
    salary_min=6000,
    salary_max=9000,
    headcount=1,
    deadline=None,
)


@pytest.fixture
def index_dir(tmp_path):
    return str(tmp_path / "index")


def _config(index_dir, refresh=0):
    return type("Cfg", (TestConfig,), {"MATCHING_INDEX_DIR": index_dir, "MATCHING_REFRESH_SECONDS": refresh})


@pytest.fixture
def fit_calls(monkeypatch):
    calls = []
    original = Matcher.fit

    def counting(self, *a, **kw):
        calls.append(1)
        return original(self, *a, **kw)

    monkeypatch.setattr(Matcher, "fit", counting)
    return calls


def _titles(graduate):
    return [r.posting.title for r in services.matches_for_graduate(graduate)]


def test_changes_reach_matches_without_restart(app, make_employer, make_graduate, fit_calls):
    employer = make_employer(trusted=True)  # publishes without review
    graduate = make_graduate(intention=INTENTION)
    assert _titles(graduate) == []
    posting = employer_services.create_posting(employer, dict(POSTING))
    assert _titles(graduate) == ["Java开发工程师"]
    accountant = dict(POSTING, title="会计", description="账务处理", industry="金融", majors=["会计学"], city="遵义")
    employer_services.update_posting(posting, accountant)
    assert _titles(graduate) == []  # nothing in common any more
    graduate_services.save_intention(
        graduate,
        industries=["金融"],
        cities=["遵义"],
        positions="会计",
        salary_expectation=0,
        skills="账务",
        statement="",
        visible_to_employers=True,
        share_contact=False,
    )
    assert _titles(graduate) == ["会计"]
    assert [g.id for g, _ in services.matched_graduates_for_posting(posting)] == [graduate.id]
    employer_services.decide_employer(employer, False, "资料不全")
    assert _titles(graduate) == []
    employer_services.decide_employer(employer, True)
    assert _titles(graduate) == ["会计"]
    employer_services.close_posting(posting)
    assert _titles(graduate) == []
    assert fit_calls == [1]  # one cold start; every change after it was incremental
    assert manager().stats["syncs"] >= 5


def test_refresh_interval_is_respected(make_employer, make_graduate, index_dir, _schema):
    """With a refresh interval a process keeps serving its state (no DB check per request)..."""
    app = create_app(_config(index_dir, refresh=3600))
    with app.app_context():
        try:
            employer = make_employer_in(app)
            graduate = graduate_in(app)
            mgr = manager()
            assert _titles(graduate) == []
            # a change made by another process: the version moves, this one has not looked yet
            from recruit.matchmaking.index import bump_version
            from recruit.employers.models import Posting

            db.session.add(Posting(employer=employer, **{k: v for k, v in POSTING.items()}))
            bump_version()
            db.session.commit()
            assert _titles(graduate) == []
            mgr._checked_at = float("-inf")  # the interval has passed
            assert _titles(graduate) == ["Java开发工程师"]
        finally:
            _cleanup(app)


def make_employer_in(app):
    from recruit.employers.models import Employer
    from tests.conftest import credit_code

    e = Employer(
        name="贵州测试公司",
        credit_code=credit_code(987654),
        industry="大数据电子信息",
        city="贵阳",
        status="approved",
        trusted=True,
    )  # publishes without review
    db.session.add(e)
    db.session.commit()
    return e


def graduate_in(app):
    from recruit.graduates.models import Graduate, Intention
    from recruit.universities.models import University

    u = University(code="UX", name="某大学", city="贵阳", graduates_count=10, majors=["计算机科学与技术"])
    g = Graduate(
        university=u,
        student_number="1",
        name="甲",
        major="计算机科学与技术",
        degree="本科",
        graduation_year=2027,
        confirmed=True,
        visible_to_employers=True,
    )
    db.session.add_all([u, g, Intention(graduate=g, **INTENTION)])
    db.session.commit()
    return g


def _cleanup(app):
    from tests.conftest import _clear_tables

    db.session.remove()
    _clear_tables()
    db.engine.dispose()


def test_restart_loads_the_saved_index_without_refit(make_posting, make_graduate, index_dir, fit_calls, _schema):
    first = create_app(_config(index_dir))
    with first.app_context():
        try:
            make_employer_in(first)
            graduate = graduate_in(first)
            from recruit.employers.models import Employer, Posting

            employer = db.session.scalar(db.select(Employer))
            db.session.add(Posting(employer=employer, **POSTING))
            db.session.commit()
            before = _titles(graduate)
            assert before == ["Java开发工程师"] and fit_calls == [1]
            assert manager().stats["saves"] == 1

            restarted = create_app(_config(index_dir))
            with restarted.app_context():
                g = db.session.get(type(graduate), graduate.id)
                assert _titles(g) == before
                assert manager().stats == {"fits": 0, "loads": 1, "syncs": 0, "saves": 0}
            assert fit_calls == [1]  # the restart loaded the file: no refit

            # a change while "down": the next start loads the file and applies only the change
            employer_services.create_posting(db.session.get(Employer, employer.id), dict(POSTING, title="Java实习生"))
            again = create_app(_config(index_dir))
            with again.app_context():
                g = db.session.get(type(graduate), graduate.id)
                assert set(_titles(g)) == {"Java开发工程师", "Java实习生"}
                assert manager().stats["fits"] == 0 and manager().stats["loads"] == 1
                assert manager().stats["syncs"] == 1
            assert fit_calls == [1]
        finally:
            _cleanup(first)


def test_two_workers_agree_after_a_change(index_dir, fit_calls, _schema):
    worker_a = create_app(_config(index_dir))
    worker_b = create_app(_config(index_dir))
    with worker_a.app_context():
        try:
            make_employer_in(worker_a)
            graduate = graduate_in(worker_a)
            gid = graduate.id
            assert _titles(graduate) == []
            with worker_b.app_context():
                assert _titles(db.session.get(type(graduate), gid)) == []
            from recruit.employers.models import Employer

            employer = db.session.scalar(db.select(Employer))
            employer_services.create_posting(employer, dict(POSTING))  # served by worker A
            with worker_b.app_context():  # worker B never saw the signal: only the data version
                assert _titles(db.session.get(type(graduate), gid)) == ["Java开发工程师"]
                assert manager().stats["fits"] == 0  # B loaded A's saved index, then synced
            assert _titles(graduate) == ["Java开发工程师"]
            assert len(fit_calls) == 1
        finally:
            _cleanup(worker_a)


def test_a_bad_saved_file_is_ignored(index_dir, _schema):
    import os

    app = create_app(_config(index_dir))
    with app.app_context():
        try:
            make_employer_in(app)
            graduate = graduate_in(app)
            _titles(graduate)
            for name in os.listdir(index_dir):
                if name.endswith(".zip"):
                    with open(os.path.join(index_dir, name), "wb") as f:
                        f.write(b"not a zip")
            other = create_app(_config(index_dir))
            with other.app_context():
                assert _titles(db.session.get(type(graduate), graduate.id)) == []
                assert manager().stats["fits"] == 1
        finally:
            _cleanup(app)
