"""Large imports run as background jobs: a job record, a worker thread, the page polls.

A file larger than ``IMPORT_BACKGROUND_BYTES`` is not imported inside the request (two
100,000-row imports outlived gunicorn's 30 s timeout and died with a bare 500). Instead
:func:`start` records an :class:`~recruit.organizer.models.ImportJob` and hands the bytes to a
worker thread of this process; the page ``organizer.import_job`` shows its progress and then
its result. The import itself is the same all-or-nothing transaction as a small one: a
failed or interrupted job (the process restarted) has written nothing.

At most ``IMPORT_MAX_RUNNING_JOBS`` jobs run at once per process; the others wait, queued.
With ``IMPORT_JOBS_INLINE`` (tests) the job runs in the request, through the same code.
Progress is written on a connection of its own so that the page sees it before the import
commits. On SQLite only while reading and checking rows: once the import writes, its
transaction holds the database's single write lock until it commits, and any other writer
(the progress too) would wait for it. So on SQLite the writing phase's progress (and the
heartbeat) go to a small file in the instance folder, ``import-progress/<job id>.json``,
replaced atomically, which every process of the server reads (SQLite means one machine);
:func:`live` combines it with the job's row. The file is removed when the job ends; it only
ever holds two counters and a time, and nothing of it is imported.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

from recruit.auth.models import User
from recruit.extensions import db
from recruit.organizer import importers
from recruit.organizer.models import ImportJob
from recruit.timeutil import utcnow
from recruit.universities.models import University

log = logging.getLogger(__name__)
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()
#: Threads started by this process (tests join them).
threads: list[threading.Thread] = []


def is_large(data: bytes) -> bool:
    return len(data) > int(current_app.config.get("IMPORT_BACKGROUND_BYTES", 256 * 1024))


def _slot(app: Flask) -> threading.BoundedSemaphore:
    with _slots_lock:
        key = id(app)
        if key not in _slots:
            _slots[key] = threading.BoundedSemaphore(int(app.config["IMPORT_MAX_RUNNING_JOBS"]))
        return _slots[key]


def start(kind: str, data: bytes, filename: str, user, university) -> ImportJob:
    """Record a job for ``data`` and start it (in a thread, or inline when configured)."""
    shown_name = "".join(c for c in (filename or "") if c.isprintable())[:255]  # no NUL reaches the database
    job = ImportJob(
        kind=kind,
        user_id=user.id,
        university_id=getattr(university, "id", None) or user.university_id,
        filename=shown_name,
        status="queued",
        created_at=utcnow(),
        heartbeat_at=utcnow(),
        errors=[],
    )
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()
    if app.config["IMPORT_JOBS_INLINE"]:
        run(app, job.id, data)
        db.session.expire_all()
    else:
        thread = threading.Thread(target=run, args=(app, job.id, data), name=f"import-job-{job.id}", daemon=True)
        threads.append(thread)
        thread.start()
    return db.session.get(ImportJob, job.id)


def _note_path(app: Flask, job_id: int) -> Path:
    return Path(app.instance_path) / "import-progress" / f"{int(job_id)}.json"


def _note(app: Flask, job_id: int, done: int, total: int) -> None:
    """SQLite, while the import writes: the progress and the heartbeat in the job's file. A
    file that cannot be written costs the progress display, never the import."""
    path = _note_path(app, job_id)
    temporary = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"done": done, "total": total, "at": utcnow().isoformat()}))
        os.replace(temporary, path)
    except OSError as error:
        log.warning("import job %s: progress file %s not written: %s", job_id, path, error)


def _forget_note(app: Flask, job_id: int) -> None:
    try:
        _note_path(app, job_id).unlink(missing_ok=True)
    except OSError as error:
        log.warning("import job %s: progress file not removed: %s", job_id, error)


@dataclass(frozen=True)
class Live:
    """A job's progress as the page shows it."""

    percent: int
    interrupted: bool


def live(job: ImportJob) -> Live:
    """The job's row, with the progress file of a SQLite import that is writing (if any)."""
    if not job.finished:
        try:
            note = json.loads(_note_path(current_app, job.id).read_text())
            done, total, heard = int(note["done"]), int(note["total"]), datetime.fromisoformat(note["at"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no file (reading rows, PostgreSQL, finished) or one being replaced: the row says it
        else:
            return Live(job.percent_of(done, total), job.interrupted(heard=heard))
    return Live(job.percent, job.interrupted())


def _set(job_id: int, **values) -> None:
    """Update the job on a connection of its own (visible before the import commits)."""
    with db.engine.begin() as conn:
        conn.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=utcnow(), **values))


def run(app: Flask, job_id: int, data: bytes) -> None:
    """The worker: wait for a slot, import, record the result. Never raises."""
    with _slot(app), app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        try:
            job = db.session.get(ImportJob, job_id)
            user = db.session.get(User, job.user_id) if job.user_id else None
            university = db.session.get(University, job.university_id) if job.university_id else None
            kind, filename = job.kind, job.filename
            db.session.rollback()  # end the read transaction before the progress writes
            _set(job_id, status="running")

            def progress(done: int, total: int) -> None:
                if sqlite and done * 2 > total:  # writing: the database is locked until the commit
                    _note(app, job_id, done, total)
                else:
                    _set(job_id, done=done, total=total)

            if kind == "graduates":
                report = importers.import_graduates(data, filename, university, progress=progress)
            else:
                report = importers.import_postings(data, filename, user=user, progress=progress)
            _set(
                job_id,
                status="succeeded" if report.ok else "failed",
                done=2 * report.rows,
                total=2 * report.rows,
                rows=report.rows,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
                summary=report.summary(),
                errors=report.lines()[1:],
                finished_at=utcnow(),
            )
        except Exception as exc:  # noqa: BLE001  recorded for the user; the thread must end cleanly
            db.session.rollback()
            log.error("import job %s failed:\n%s", job_id, "".join(traceback.format_exception(exc)))
            _set(
                job_id,
                status="failed",
                summary="导入失败：处理文件时出错，未写入任何数据。请稍后重试或联系管理员。",
                finished_at=utcnow(),
            )
        finally:
            db.session.remove()
            if sqlite:
                _forget_note(app, job_id)


def visible_job(job_id: int, user) -> ImportJob | None:
    """The job if ``user`` started it (admins: any job); else None (the page answers 404)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or (user.role != "admin" and job.user_id != user.id):
        return None
    return job


def recent_jobs(user, limit: int = 5) -> list[ImportJob]:
    return list(
        db.session.scalars(
            sa.select(ImportJob).where(ImportJob.user_id == user.id).order_by(ImportJob.id.desc()).limit(limit)
        )
    )
