"""The fitted matching index of one process, kept fresh from the database.

Lifecycle (see docs/matching-in-app.md):

- Each app object (one per gunicorn worker) holds an :class:`IndexManager` in
  ``app.extensions["matchmaking"]``. Its :class:`IndexState` (a fitted
  :class:`matching.Matcher` plus the few posting fields the app filters on) is immutable once
  published: changes build a new state and swap the reference, so readers never lock.
- Two rows of :class:`~recruit.core.models.AppState`: ``matching.epoch`` (a random id made once
  per database) and ``matching.data_version`` (an integer the signal handlers bump inside the
  sender's transaction whenever a posting, intention or employer changes).
- A process checks the version at most every ``MATCHING_REFRESH_SECONDS``. When it changed, it
  applies the rows updated since its last sync (``updated_at`` later than its watermark minus
  an overlap) incrementally: ``add_postings``/``remove_postings``/``add_intentions``.
- The fitted index is saved under ``MATCHING_INDEX_DIR`` as
  ``index-<epoch>-<version>.zip`` with a ``.json`` sidecar (watermark, posting fields). On
  start a process loads the newest file of the current epoch and only applies the changes made
  after it; it refits only when there is no usable file.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from flask import Flask, current_app

from matching import FormatError, Matcher
from matching.records import Intention as MIntention, Posting as MPosting
from recruit.core.models import AppState
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate, Intention
from recruit.timeutil import utcnow

log = logging.getLogger(__name__)

EPOCH_KEY = "matching.epoch"
VERSION_KEY = "matching.data_version"
#: Rows updated this long before the watermark are applied again (late commits, clock skew).
OVERLAP = timedelta(minutes=2)
#: A process saves its incrementally synced index at most this often.
SAVE_EVERY_SECONDS = 600
#: Saved files kept per epoch.
KEEP_FILES = 3


@dataclass(frozen=True)
class PostingMeta:
    """What the app filters on without touching the database."""

    employer_id: int
    city: str
    industry: str
    deadline: date | None


@dataclass
class StateCaches:
    """What the app computes from one published index state and reuses until the next one: the
    deadline masks per day, the city/industry filter masks, the graduates' ranked lists (an LRU
    built by recruit.matchmaking.services). Thread-safe: entries are whole values, replaced, never
    changed."""

    #: today -> boolean mask of the postings whose deadline has not passed
    deadline_masks: dict = field(default_factory=dict)
    #: (today, city, industry) -> boolean mask
    filter_masks: dict = field(default_factory=dict)
    #: the ranked-list memo (created on first use)
    ranked: Any = None


@dataclass
class IndexState:
    """One published, never mutated, fitted index (plus the caches computed from it)."""

    matcher: Matcher
    meta: dict[str, PostingMeta]
    epoch: str
    version: int
    watermark: datetime
    fitted_at: float = field(default_factory=time.time)
    caches: StateCaches = field(default_factory=StateCaches, compare=False, repr=False)


# ------------------------------------------------------------------ records from the models
def posting_record(p) -> MPosting:
    """A :class:`matching.Posting` from a :class:`recruit.employers.models.Posting`."""
    return MPosting.from_dict(
        {
            "id": str(p.id),
            "employer": p.employer.name if p.employer else None,
            "title": p.title,
            "industry": p.industry,
            "description": p.description,
            "majors": list(p.majors or []),
            "education": p.min_degree,
            "city": p.city,
            "salary_min": p.salary_min,
            "salary_max": p.salary_max,
            "headcount": p.headcount,
        }
    )


def intention_record(graduate, intention=None) -> MIntention:
    """A :class:`matching.Intention` keyed by the graduate id (major and degree from the graduate).

    The résumé's skills, projects and internships (when the graduate keeps one) are appended
    to the free-text statement, so they add words while the intention's positions and
    industries (their own, weighted fields) still steer the match.
    """
    i = intention if intention is not None else graduate.intention
    statement = (i.statement or "") if i else ""
    resume = graduate.resume
    extra = resume.matching_text() if resume is not None else ""
    if extra:
        statement = f"{statement}\n{extra}" if statement else extra
    return MIntention.from_dict(
        {
            "id": str(graduate.id),
            "major": graduate.major,
            "education": graduate.degree,
            "industries": list(i.industries or []) if i else [],
            "positions": list(i.positions or []) if i else [],
            "cities": list(i.cities or []) if i else [],
            "salary_expectation": (i.salary_expectation or None) if i else None,
            "skills": (i.skills or "") if i else "",
            "statement": statement,
        }
    )


def _meta(p) -> PostingMeta:
    return PostingMeta(employer_id=p.employer_id, city=p.city, industry=p.industry, deadline=p.deadline)


def _indexable_postings_query():
    """Postings graduates may see (``Posting.public_clause``; the deadline is checked at query time)."""
    return (
        sa.select(Posting)
        .join(Posting.employer)
        .where(Posting.public_clause(with_deadline=False))
        .options(sa.orm.contains_eager(Posting.employer))
    )


def _intentions_query():
    # the résumé feeds the record (see intention_record): load them together, not one by one
    return sa.select(Intention, Graduate).join(Intention.graduate).options(sa.orm.selectinload(Graduate.resume))


# ------------------------------------------------------------------ data version (AppState)
def bump_version(session=None) -> None:
    """Increment ``matching.data_version`` in the current transaction (signal handlers)."""
    session = session or db.session
    result = session.execute(
        sa.update(AppState)
        .where(AppState.key == VERSION_KEY)
        .values(value=sa.cast(sa.cast(AppState.value, sa.Integer) + 1, sa.String), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        if session.get(AppState, VERSION_KEY) is None:
            session.add(AppState(key=VERSION_KEY, value="1"))


def read_version() -> tuple[str, int]:
    """(epoch, version), creating the epoch row on first use on its own connection."""
    rows = dict(
        db.session.execute(
            sa.select(AppState.key, AppState.value).where(AppState.key.in_((EPOCH_KEY, VERSION_KEY)))
        ).all()
    )
    epoch = rows.get(EPOCH_KEY)
    if not epoch:
        epoch = uuid.uuid4().hex[:12]
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.insert(AppState).values(key=EPOCH_KEY, value=epoch, updated_at=utcnow()))
        except sa.exc.IntegrityError:
            with db.engine.connect() as conn:
                epoch = conn.scalar(sa.select(AppState.value).where(AppState.key == EPOCH_KEY))
    try:
        version = int(rows.get(VERSION_KEY) or 0)
    except ValueError:
        version = 0
    return epoch, version


# ------------------------------------------------------------------ the manager
class IndexManager:
    """Holds this process's :class:`IndexState`; see the module docstring."""

    def __init__(self, app: Flask):
        self.index_dir = Path(app.config["MATCHING_INDEX_DIR"])
        self.refresh_seconds = float(app.config["MATCHING_REFRESH_SECONDS"])
        self._state: IndexState | None = None
        self._lock = threading.RLock()
        self._checked_at = float("-inf")
        self._force_until = float("-inf")
        self._saved_at = float("-inf")
        #: Counters for tests and the admin: fits, loads, syncs, saves.
        self.stats = {"fits": 0, "loads": 0, "syncs": 0, "saves": 0}

    # -- reading -----------------------------------------------------------------------
    def state(self) -> IndexState:
        """The current state, refreshed when the data version moved (never refits per request)."""
        now = time.monotonic()
        st = self._state
        if st is None:
            with self._lock:
                if self._state is None:
                    self._start()
                    self._checked_at = time.monotonic()
                return self._state  # type: ignore[return-value]
        if now - self._checked_at >= self.refresh_seconds or now < self._force_until:
            self._refresh()
        return self._state  # type: ignore[return-value]

    def invalidate(self) -> None:
        """Check the version on every call for a while (this process just changed data)."""
        self._force_until = time.monotonic() + max(self.refresh_seconds, 1.0)

    def _refresh(self) -> None:
        if not self._lock.acquire(blocking=self._state is None):
            return  # another thread is syncing; keep serving the published state
        try:
            self._checked_at = time.monotonic()
            epoch, version = read_version()
            st = self._state
            if st is not None and st.epoch == epoch and st.version == version:
                return
            if st is None or st.epoch != epoch:
                self._start()
            else:
                self._publish(self._sync(st, epoch, version))
                self._maybe_save()
        finally:
            self._lock.release()

    # -- building ----------------------------------------------------------------------
    def _start(self) -> None:
        epoch, version = read_version()
        st = self._load(epoch, version)
        if st is None:
            self._publish(self._fit(epoch, version))
            self._save()
            return
        self.stats["loads"] += 1
        if st.version != version:
            st = self._sync(st, epoch, version)
            self._publish(st)
            self._save()
        else:
            self._publish(st)

    def _publish(self, st: IndexState) -> None:
        self._state = st  # one reference assignment: readers see the old or the new state

    def _fit(self, epoch: str, version: int) -> IndexState:
        started = utcnow()
        postings = db.session.scalars(_indexable_postings_query()).all()
        matcher = Matcher().fit([posting_record(p) for p in postings] or [_placeholder()])
        if not postings:
            matcher.remove_postings([_PLACEHOLDER_ID])
        matcher.fit_intentions([intention_record(g, i) for i, g in db.session.execute(_intentions_query()).all()])
        self.stats["fits"] += 1
        return IndexState(
            matcher=matcher,
            meta={str(p.id): _meta(p) for p in postings},
            epoch=epoch,
            version=version,
            watermark=started,
        )

    def _sync(self, st: IndexState, epoch: str, version: int) -> IndexState:
        """A new state: ``st`` plus the rows updated since its watermark."""
        started = utcnow()
        since = st.watermark - OVERLAP
        changed = db.session.scalars(
            sa.select(Posting)
            .join(Posting.employer)
            .where(sa.or_(Posting.updated_at > since, Employer.decided_at > since))
            .options(sa.orm.contains_eager(Posting.employer))
        ).all()
        add = [p for p in changed if p.is_indexable()]
        drop = [str(p.id) for p in changed if not p.is_indexable()]
        rows = db.session.execute(_intentions_query().where(Intention.updated_at > since)).all()
        if not (add or drop or rows):
            return IndexState(
                matcher=st.matcher,
                meta=st.meta,
                epoch=epoch,
                version=version,
                watermark=started,
                fitted_at=st.fitted_at,
            )
        matcher = st.matcher.copy()  # readers keep ranking with the published one
        meta = dict(st.meta)
        if drop:
            matcher.remove_postings(drop)
            for pid in drop:
                meta.pop(pid, None)
        if add:
            matcher.add_postings([posting_record(p) for p in add])
            meta.update({str(p.id): _meta(p) for p in add})
        if rows:
            matcher.add_intentions([intention_record(g, i) for i, g in rows])
        self.stats["syncs"] += 1
        return IndexState(
            matcher=matcher, meta=meta, epoch=epoch, version=version, watermark=started, fitted_at=st.fitted_at
        )

    def refit(self) -> dict[str, Any]:
        """Refit from the database, save, and swap (the nightly job)."""
        t0 = time.perf_counter()
        with self._lock:
            epoch, version = read_version()
            st = self._fit(epoch, version)
            self._publish(st)
            self._checked_at = time.monotonic()
            self._save()
        return {
            "postings": st.matcher.n_postings_,
            "intentions": st.matcher.n_intentions_,
            "seconds": round(time.perf_counter() - t0, 3),
        }

    # -- files -------------------------------------------------------------------------
    def _paths(self, epoch: str, version: int) -> tuple[Path, Path]:
        stem = f"index-{epoch}-{version:010d}"
        return self.index_dir / f"{stem}.zip", self.index_dir / f"{stem}.json"

    def _save(self) -> None:
        st = self._state
        if st is None:
            return
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            zpath, jpath = self._paths(st.epoch, st.version)
            part = f"{zpath}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
            st.matcher.save(part)
            os.replace(part, zpath)
            side = {
                "epoch": st.epoch,
                "version": st.version,
                "watermark": st.watermark.isoformat(),
                "meta": {
                    k: [m.employer_id, m.city, m.industry, m.deadline.isoformat() if m.deadline else None]
                    for k, m in st.meta.items()
                },
            }
            jpart = f"{jpath}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
            Path(jpart).write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")
            os.replace(jpart, jpath)  # the sidecar last: it marks the pair complete
            self._saved_at = time.monotonic()
            self.stats["saves"] += 1
            self._prune(st.epoch)
        except OSError:
            log.exception("could not save the matching index under %s", self.index_dir)

    def _maybe_save(self) -> None:
        if time.monotonic() - self._saved_at >= SAVE_EVERY_SECONDS:
            self._save()

    def _prune(self, epoch: str) -> None:
        sides = sorted(self.index_dir.glob(f"index-{epoch}-*.json"))
        for old in sides[:-KEEP_FILES]:
            for p in (old, old.with_suffix(".zip")):
                try:
                    p.unlink()
                except OSError:
                    pass
        for other in self.index_dir.glob("index-*.json"):
            if not other.name.startswith(f"index-{epoch}-"):
                for p in (other, other.with_suffix(".zip")):
                    try:
                        p.unlink()
                    except OSError:
                        pass

    def _load(self, epoch: str, version: int) -> IndexState | None:
        """The newest saved state of this epoch not newer than ``version``, or None."""
        if not self.index_dir.is_dir():
            return None
        for side in sorted(self.index_dir.glob(f"index-{epoch}-*.json"), reverse=True):
            try:
                data = json.loads(side.read_text(encoding="utf-8"))
                if data.get("epoch") != epoch or int(data["version"]) > version:
                    continue
                matcher = Matcher.load(side.with_suffix(".zip"))
                meta = {
                    k: PostingMeta(int(v[0]), v[1], v[2], date.fromisoformat(v[3]) if v[3] else None)
                    for k, v in data["meta"].items()
                }
                return IndexState(
                    matcher=matcher,
                    meta=meta,
                    epoch=epoch,
                    version=int(data["version"]),
                    watermark=datetime.fromisoformat(data["watermark"]),
                )
            except (OSError, ValueError, KeyError, TypeError, FormatError) as error:
                log.warning("ignoring saved matching index %s: %s", side, error)
        return None


_PLACEHOLDER_ID = "\x00placeholder"


def _placeholder() -> MPosting:
    return MPosting(id=_PLACEHOLDER_ID, title="占位")


def manager(app: Flask | None = None) -> IndexManager:
    app = app or current_app
    mgr = app.extensions.get("matchmaking")
    if mgr is None:
        mgr = app.extensions["matchmaking"] = IndexManager(app)
    return mgr


def current_state() -> IndexState:
    return manager().state()


def active_posting_ids(st: IndexState, today: date, ids: Iterable[str] | None = None) -> set[str]:
    """Indexed posting ids whose deadline has not passed."""
    src = st.meta.items() if ids is None else ((i, st.meta[i]) for i in ids if i in st.meta)
    return {pid for pid, m in src if m.deadline is None or m.deadline >= today}
