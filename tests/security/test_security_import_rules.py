"""Whose postings an organizer may import (issue 12, item 5), employers told of every change,
imports idempotent (item 6), large imports as background jobs (item 9), NFKC 学号 (item 11)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.fairs.models import FairRegistration
from recruit.graduates.models import Graduate
from recruit.notifications.models import Notification
from recruit.organizer import import_jobs, importers
from recruit.organizer.models import ImportJob
from tests.organizer.test_organizer_import import G_HEADER, P_HEADER, csv_bytes, grow, prow


def upload(client, what, data, filename="p.csv"):
    return client.post(
        f"/org/imports/{what}", content_type="multipart/form-data", data={f"{what}-file": (io.BytesIO(data), filename)}
    )


@pytest.fixture
def scene(make_university, make_fair, make_employer, make_posting, make_user):
    """Organizer A; employer R registered at A's fair, employer X (a stranger) not."""
    university = make_university(code="RULE")
    fair = make_fair(university=university)
    registered, stranger = make_employer(name="报名单位"), make_employer(name="陌生单位")
    db.session.add(FairRegistration(fair=fair, employer=registered, status="pending"))
    db.session.commit()
    theirs = make_posting(employer=stranger, title="会计", salary_min=5000, salary_max=6000)
    return {
        "organizer": make_user("organizer", university=university),
        "admin": make_user("admin"),
        "registered": registered,
        "stranger": stranger,
        "theirs": theirs,
        "registered_user": make_user("employer", employer=registered),
        "stranger_user": make_user("employer", employer=stranger),
        "fair": fair,
    }


def test_organizer_cannot_overwrite_a_strangers_posting(client, auth, scene):
    """The attack: another employer's posting got a new salary and a fee-over-WeChat description."""
    auth.login(scene["organizer"])
    data = csv_bytes(
        P_HEADER,
        [
            prow(
                scene["stranger"].credit_code,
                "会计",
                **{"岗位描述": "报名费300元，加微信", "最低月薪": "20000", "最高月薪": "30000"},
            )
        ],
    )
    response = upload(client, "postings", data)
    assert response.status_code == 422
    assert "该单位未报名本校的招聘会，不能代其导入岗位" in response.get_data(as_text=True)
    db.session.expire_all()
    posting = db.session.get(Posting, scene["theirs"].id)
    assert (posting.salary_min, posting.description) == (5000, scene["theirs"].description)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


@pytest.mark.parametrize("status", ["withdrawn", "rejected"])
def test_a_withdrawn_or_rejected_registration_does_not_count(client, auth, scene, status):
    registration = db.session.scalar(
        sa.select(FairRegistration).where(FairRegistration.employer_id == scene["registered"].id)
    )
    registration.status = status
    db.session.commit()
    auth.login(scene["organizer"])
    response = upload(client, "postings", csv_bytes(P_HEADER, [prow(scene["registered"].credit_code, "新岗位")]))
    assert response.status_code == 422 and "未报名本校的招聘会" in response.get_data(as_text=True)


def test_registered_employer_is_notified_of_every_change(client, auth, scene):
    auth.login(scene["organizer"])
    code = scene["registered"].credit_code
    response = upload(client, "postings", csv_bytes(P_HEADER, [prow(code, "Java开发"), prow(code, "测试工程师")]))
    assert response.status_code == 200 and "新建 2" in response.get_data(as_text=True)
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == scene["registered_user"].id)).all()
    assert len(notes) == 1 and notes[0].kind == "postings_imported"
    assert "RULE" not in notes[0].body and "新建 2 个岗位" in notes[0].body and "「Java开发」" in notes[0].body
    # The same file again changes nothing and tells nobody anything new.
    response = upload(client, "postings", csv_bytes(P_HEADER, [prow(code, "Java开发"), prow(code, "测试工程师")]))
    assert "未变 2" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1
    # A change is a new notification naming the changed posting.
    upload(client, "postings", csv_bytes(P_HEADER, [prow(code, "Java开发", **{"最高月薪": "12000"})]))
    notes = db.session.scalars(sa.select(Notification).order_by(Notification.id)).all()
    assert len(notes) == 2 and "修改 1 个岗位：「Java开发」" in notes[1].body
    assert all(n.user_id == scene["registered_user"].id for n in notes)


def test_admin_may_import_for_any_approved_employer(client, auth, scene):
    auth.login(scene["admin"])
    response = upload(client, "postings", csv_bytes(P_HEADER, [prow(scene["stranger"].credit_code, "会计")]))
    assert response.status_code == 200 and "更新 1" in response.get_data(as_text=True)
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == scene["stranger_user"].id))
    assert note is not None and "系统管理员" in note.body


def test_a_duplicate_title_in_the_database_is_impossible(app, scene):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Posting(employer_id=scene["stranger"].id, title="会计", industry="金融", city="贵阳"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_employer_form_duplicate_title_is_a_message(client, auth, scene):
    auth.login(scene["stranger_user"])
    response = client.post(
        "/employers/me/postings/new",
        data={
            "title": "会计",
            "description": "",
            "industry": "金融",
            "majors": "",
            "min_degree": "本科",
            "city": "贵阳",
            "salary_min": "5000",
            "salary_max": "6000",
            "headcount": "1",
            "deadline": "",
        },
    )
    assert response.status_code < 500 and "本单位已有同名岗位" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 1


def test_full_width_student_numbers_are_the_same_student(client, auth, make_university, make_user):
    university = make_university(code="NFKC")
    auth.login(make_user("organizer", university=university))
    response = upload(client, "graduates", csv_bytes(G_HEADER, [grow("２０２６００１"), grow("2026001")]), "g.csv")
    assert response.status_code == 422 and "与第 2 行的学号重复" in response.get_data(as_text=True)
    response = upload(client, "graduates", csv_bytes(G_HEADER, [grow("２０２６００１")]), "g.csv")
    assert response.status_code == 200
    assert db.session.scalars(sa.select(Graduate.student_number)).all() == ["2026001"]


# --- background jobs --------------------------------------------------------------------------


def test_large_import_runs_as_a_job_with_a_result_page(app, client, auth, scene):
    app.config.update(IMPORT_BACKGROUND_BYTES=100, IMPORT_JOBS_INLINE=True)
    auth.login(scene["organizer"])
    code = scene["registered"].credit_code
    response = upload(client, "postings", csv_bytes(P_HEADER, [prow(code, f"岗位{n}") for n in range(30)]))
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-status="succeeded"' in text and "新建 30" in text
    assert page.headers["Cache-Control"] == "no-store"
    job = db.session.scalar(sa.select(ImportJob))
    assert (job.rows, job.created, job.percent, job.user_id) == (30, 30, 100, scene["organizer"].id)
    assert 'data-testid="import-jobs"' in client.get("/org/imports").get_data(as_text=True)


def test_a_job_with_a_bad_row_writes_nothing(app, client, auth, scene):
    app.config.update(IMPORT_BACKGROUND_BYTES=100, IMPORT_JOBS_INLINE=True)
    auth.login(scene["organizer"])
    code = scene["registered"].credit_code
    rows = [prow(code, f"岗位{n}") for n in range(30)] + [prow(code, "坏", **{"最低学历": "高中"})]
    page = client.get(upload(client, "postings", csv_bytes(P_HEADER, rows)).headers["Location"]).get_data(as_text=True)
    assert 'data-status="failed"' in page and "第 32 行「最低学历」" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 1  # the stranger's only


def test_another_organizers_job_is_404(app, client, auth, scene, make_user, make_university):
    job = ImportJob(kind="postings", user_id=scene["organizer"].id, filename="p.csv", status="succeeded", errors=[])
    db.session.add(job)
    db.session.commit()
    auth.login(make_user("organizer", university=make_university(code="OTHR")))
    assert client.get(f"/org/imports/jobs/{job.id}").status_code == 404
    auth.logout()
    auth.login(scene["admin"])
    assert client.get(f"/org/imports/jobs/{job.id}").status_code == 200


def test_a_job_whose_process_died_says_so(app, client, auth, scene):
    import time_machine
    from datetime import timedelta

    from recruit.timeutil import utcnow

    job = ImportJob(
        kind="postings",
        user_id=scene["organizer"].id,
        filename="p.csv",
        status="running",
        errors=[],
        created_at=utcnow(),
        heartbeat_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    auth.login(scene["organizer"])
    assert "正在导入" in client.get(f"/org/imports/jobs/{job.id}").get_data(as_text=True)
    with time_machine.travel(utcnow() + timedelta(minutes=30)):
        assert "导入被中断" in client.get(f"/org/imports/jobs/{job.id}").get_data(as_text=True)


def test_worker_thread_runs_the_job(app, scene):
    """The real thread (not inline). SQLite in memory shares one connection: run it to the end."""
    app.config.update(IMPORT_JOBS_INLINE=False)
    code = scene["registered"].credit_code
    with app.test_request_context():
        job = import_jobs.start(
            "postings", csv_bytes(P_HEADER, [prow(code, "线程岗位")]), "t.csv", scene["organizer"], None
        )
    for thread in list(import_jobs.threads):
        thread.join(60)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert job.status == "succeeded" and job.created == 1


def test_progress_is_visible_while_the_import_writes(app, client, auth, scene, monkeypatch):
    """Another browser opens the job page while the import writes its rows (after each chunk of
    1,000): it sees the progress move past the checking half (on SQLite too, where the database
    is locked for writers until the import commits) and none of the rows yet."""
    app.config.update(IMPORT_BACKGROUND_BYTES=100, IMPORT_JOBS_INLINE=True)
    with app.app_context():  # a browser of its own, signed in before the import starts
        observer = app.test_client()
        observer.post("/login", data={"email": scene["organizer"].email, "password": "password123"})
    seen = []
    real = importers.import_graduates

    def observed(data, filename, university, *, progress=None):
        def spy(done, total):
            progress(done, total)
            if total < done * 2 < 2 * total:  # writing, not yet committed
                with app.app_context():
                    job_id = db.session.scalar(sa.select(sa.func.max(ImportJob.id)))
                    page = observer.get(f"/org/imports/jobs/{job_id}").get_data(as_text=True)
                    written = db.session.scalar(sa.select(sa.func.count()).select_from(Graduate))
                shown = re.findall(r'<progress max="100" value="(\d+)">', page)
                seen.append((100 * done // total, shown, written))

        return real(data, filename, university, progress=spy)

    monkeypatch.setattr(importers, "import_graduates", observed)
    auth.login(scene["organizer"])
    response = upload(client, "graduates", csv_bytes(G_HEADER, [grow(f"2026{n:04d}") for n in range(2500)]))
    assert response.status_code == 302
    assert seen == [(70, ["70"], 0), (90, ["90"], 0)]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Graduate)) == 2500
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="succeeded"' in page
    assert not list((Path(app.instance_path) / "import-progress").glob("*"))  # the progress file is gone


def test_an_unwritable_progress_folder_costs_the_display_not_the_import(
    app, client, auth, scene, tmp_path, monkeypatch
):
    blocked = tmp_path / "import-progress"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    import_jobs._note(app, 1, 3, 4)  # logs, does not raise
    app.config.update(IMPORT_BACKGROUND_BYTES=100, IMPORT_JOBS_INLINE=True)
    auth.login(scene["organizer"])
    response = upload(client, "graduates", csv_bytes(G_HEADER, [grow(f"2026{n:04d}") for n in range(30)]))
    assert 'data-status="succeeded"' in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Graduate)) == 30


def test_a_nul_in_the_uploaded_file_name_is_not_stored(app, client, auth, scene):
    app.config.update(IMPORT_BACKGROUND_BYTES=100, IMPORT_JOBS_INLINE=True)
    auth.login(scene["organizer"])
    code = scene["registered"].credit_code
    response = upload(client, "postings", csv_bytes(P_HEADER, [prow(code, f"岗位{n}") for n in range(5)]), "a\x00b.csv")
    assert response.status_code in (302, 400)
    assert all("\x00" not in name for name in db.session.scalars(sa.select(ImportJob.filename)))
