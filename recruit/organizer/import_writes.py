"""Applying a checked import: bulk upserts in one transaction, the employers told.

Called by :mod:`recruit.organizer.importers` once every row is valid. Each ``write_*``
function upserts by the natural key (graduates: university + 学号; postings: employer +
岗位名称, both unique constraints in the database) and commits once. Two identical imports at
the same moment: the loser's INSERT hits the unique constraint; the importer rolls back and
applies the file once more against what the winner wrote (all rows then ``unchanged``).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import current_app

from recruit.auth.models import User
from recruit.employers import services as posting_services
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate, Intention
from recruit.matchmaking.index import bump_version, manager
from recruit.notifications import services as notes
from recruit.timeutil import utcnow

GRADUATE_FIELDS = (
    "name",
    "major",
    "degree",
    "graduation_year",
    "phone",
    "email",
    "low_income",
    "ethnic_minority",
    "disability",
    "visible_to_employers",
)
INTENTION_FIELDS = ("industries", "positions", "cities", "salary_expectation", "skills", "statement")
#: The postings' fields an import row sets: all but the title, which is the row's key.
POSTING_FIELDS = tuple(f for f in posting_services.POSTING_FIELDS if f != "title")
CHUNK = 1000
#: Titles listed by name in the notification to an employer; the rest are counted.
NOTIFY_TITLES = 20


def _progress(progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _execute_in_chunks(statement, rows: list, progress=None, done: int = 0, total: int = 0) -> int:
    """Run ``statement`` for ``rows``, CHUNK parameter sets at a time, reporting progress after each
    chunk; returns ``done`` plus the rows written."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        db.session.execute(statement, chunk)
        done += len(chunk)
        _progress(progress, done, total)
    return done


# --------------------------------------------------------------------------- graduates


def write_graduates(rows, index, university, report, progress, total) -> None:
    grad_cols = [getattr(Graduate, f) for f in ("id", "student_number", "confirmed", *GRADUATE_FIELDS)]
    existing = {
        r.student_number: r
        for r in db.session.execute(sa.select(*grad_cols).where(Graduate.university_id == university.id))
    }
    int_cols = [Intention.id, Intention.graduate_id, *(getattr(Intention, f) for f in INTENTION_FIELDS)]
    intentions = {
        r.graduate_id: r
        for r in db.session.execute(
            sa.select(*int_cols)
            .join(Graduate, Graduate.id == Intention.graduate_id)
            .where(Graduate.university_id == university.id)
        )
    }
    given_grad = [f for f in GRADUATE_FIELDS if f in index]
    given_int = [f for f in INTENTION_FIELDS if f in index]
    defaults = {
        "phone": "",
        "email": "",
        "low_income": False,
        "ethnic_minority": False,
        "disability": False,
        "visible_to_employers": False,
    }
    int_defaults = {
        "industries": [],
        "positions": [],
        "cities": [],
        "salary_expectation": 0,
        "skills": "",
        "statement": "",
    }
    now = utcnow()
    new_grads: list[dict] = []
    new_grad_intentions: dict[str, dict] = {}
    grad_updates: list[dict] = []
    new_intentions: list[dict] = []
    int_updates: list[dict] = []
    changed_graduate_ids: list[int] = []
    touch_intentions: list[int] = []
    for _number, values, has_intention in rows:
        key = values["student_number"]
        old = existing.get(key)
        intention_values = {f: values[f] for f in given_int} if has_intention else None
        if old is None:
            row = {"university_id": university.id, "student_number": key, "confirmed": True, "created_at": now}
            row.update(defaults)
            row.update({f: values[f] for f in given_grad})
            new_grads.append(row)
            if intention_values is not None:
                new_grad_intentions[key] = intention_values
            report.created += 1
            continue
        changed = False
        diff = {f: values[f] for f in given_grad if getattr(old, f) != values[f]}
        if diff or not old.confirmed:
            grad_updates.append({"id": old.id, **{f: values[f] for f in given_grad}, "confirmed": True})
            changed = True
            if old.id in intentions:
                touch_intentions.append(old.id)
        if intention_values is not None:
            current = intentions.get(old.id)
            if current is None:
                row = dict(int_defaults)
                row.update(intention_values)
                new_intentions.append({"graduate_id": old.id, **row, "updated_at": now})
                changed = True
            elif any(getattr(current, f) != v for f, v in intention_values.items()):
                int_updates.append({"id": current.id, **intention_values, "updated_at": now})
                changed = True
            if changed:
                changed_graduate_ids.append(old.id)
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1

    done = len(rows)
    for start in range(0, len(new_grads), CHUNK):
        chunk = new_grads[start : start + CHUNK]
        result = db.session.execute(
            sa.insert(Graduate).returning(Graduate.id, Graduate.student_number, sort_by_parameter_order=True), chunk
        )
        for gid, key in result:
            if key in new_grad_intentions:
                row = dict(int_defaults)
                row.update(new_grad_intentions[key])
                new_intentions.append({"graduate_id": gid, **row, "updated_at": now})
                changed_graduate_ids.append(gid)
        done += len(chunk)
        _progress(progress, done, total)
    done = _execute_in_chunks(sa.update(Graduate), grad_updates, progress, done, total)
    _execute_in_chunks(sa.insert(Intention), new_intentions)
    _execute_in_chunks(sa.update(Intention), int_updates)
    touch = [gid for gid in touch_intentions if gid not in set(changed_graduate_ids)]
    for start in range(0, len(touch), CHUNK):
        # Degree, major or visibility changed: the intention's record in the index changes too.
        db.session.execute(
            sa.update(Intention)
            .where(Intention.graduate_id.in_(touch[start : start + CHUNK]))
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        )
    if changed_graduate_ids or touch:
        announce_matching()
    db.session.commit()
    _progress(progress, total, total)


# --------------------------------------------------------------------------- postings


def write_postings(rows, index, report, progress, total, actor: str = "") -> None:
    """Upsert postings; each employer whose postings changed is notified (``actor`` did it)."""
    employer_ids = sorted({e for _n, _v, e in rows})
    cols = [Posting.id, Posting.employer_id, Posting.title, *(getattr(Posting, f) for f in POSTING_FIELDS)]
    existing: dict[tuple[int, str], sa.Row] = {}
    for start in range(0, len(employer_ids), CHUNK):
        for r in db.session.execute(
            sa.select(*cols).where(Posting.employer_id.in_(employer_ids[start : start + CHUNK])).order_by(Posting.id)
        ):
            existing[(r.employer_id, r.title)] = r
    given = [f for f in POSTING_FIELDS if f in index]
    defaults = {
        "description": "",
        "majors": [],
        "min_degree": "本科",
        "salary_min": 0,
        "salary_max": 0,
        "headcount": 1,
        "deadline": None,
    }
    now = utcnow()
    inserts: list[dict] = []
    updates: list[dict] = []
    changes: dict[int, dict[str, list[str]]] = {}
    for _number, values, employer_id in rows:
        old = existing.get((employer_id, values["title"]))
        if old is None:
            row = {
                "employer_id": employer_id,
                "title": values["title"],
                "status": "open",
                "created_at": now,
                "updated_at": now,
            }
            row.update(defaults)
            row.update({f: values[f] for f in given})
            if row["salary_max"] < row["salary_min"]:
                row["salary_max"] = row["salary_min"]
            inserts.append(row)
            report.created += 1
            changes.setdefault(employer_id, {"created": [], "updated": []})["created"].append(values["title"])
            continue
        new = {f: values[f] for f in given}
        merged = {f: new.get(f, getattr(old, f)) for f in ("salary_min", "salary_max")}
        if merged["salary_max"] < merged["salary_min"]:
            new["salary_max"] = merged["salary_min"]
        if any(getattr(old, f) != v for f, v in new.items()):
            updates.append({"id": old.id, **new, "updated_at": now})
            report.updated += 1
            changes.setdefault(employer_id, {"created": [], "updated": []})["updated"].append(values["title"])
        else:
            report.unchanged += 1
    done = len(rows)
    done = _execute_in_chunks(sa.insert(Posting), inserts, progress, done, total)
    _execute_in_chunks(sa.update(Posting), updates, progress, done, total)
    if inserts or updates:
        announce_matching()
        notify_employers(changes, actor)
    db.session.commit()
    _progress(progress, total, total)


def _titles(titles: list[str]) -> str:
    shown = "、".join(f"「{t}」" for t in titles[:NOTIFY_TITLES])
    return shown + (f" 等 {len(titles)} 个" if len(titles) > NOTIFY_TITLES else "")


def notify_employers(changes: dict[int, dict[str, list[str]]], actor: str) -> None:
    """One notification per employer whose postings this import created or changed."""
    if not changes:
        return
    batch = uuid.uuid4().hex
    users = db.session.scalars(
        sa.select(User).where(User.role == "employer", User.employer_id.in_(sorted(changes))).order_by(User.id)
    ).all()
    by_employer: dict[int, list[User]] = {}
    for user in users:
        by_employer.setdefault(user.employer_id, []).append(user)
    link = notes.path_for("employers.my_postings")
    for employer_id, change in changes.items():
        parts = []
        if change["created"]:
            parts.append(f"新建 {len(change['created'])} 个岗位：{_titles(change['created'])}")
        if change["updated"]:
            parts.append(f"修改 {len(change['updated'])} 个岗位：{_titles(change['updated'])}")
        body = (
            f"{actor or '管理员'}通过批量导入代贵单位"
            + "；".join(parts)
            + "。如非贵单位委托，请检查岗位内容并联系该校就业部门。"
        )
        notes.notify(
            by_employer.get(employer_id, []),
            "postings_imported",
            f"postings-import:{batch}:{employer_id}",
            "岗位被代为导入或修改",
            body,
            link,
        )


# --------------------------------------------------------------------------- matching refresh


def announce_matching() -> None:
    """Tell every process's matching index that data changed (inside the transaction).

    The written rows already carry ``updated_at = now``, so the index's incremental sync picks
    them up; one version bump for the whole import replaces one signal per row.
    """
    bump_version()
    try:
        manager(current_app._get_current_object()).invalidate()
    except RuntimeError:  # pragma: no cover - no app context
        pass
