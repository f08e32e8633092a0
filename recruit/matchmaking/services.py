"""Matches for graduates and employers, served from the per-process index (never refitted per request).

Other domains call these functions (organizer supply-and-demand, iCal feeds, the nightly job).
Only active postings (open, approved employer, deadline not passed: ``Posting.is_active``) ever
appear in a graduate's matches; only confirmed graduates who opted in are shown to employers.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, NamedTuple

import numpy as np
import sqlalchemy as sa
from flask import current_app, g, has_request_context

from matching import Match, Reason
from recruit.core.cache import LRU
from recruit.employers.models import Employer, Posting
from recruit.matchmaking import reasons as match_reasons
from recruit.employers.services import refused_employer_ids
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.graduates.models import Graduate, Intention, SavedFair, SchoolRecommendation
from recruit.matchmaking.index import (
    IndexState,
    current_state,
    intention_record,
    manager,
    posting_record,
)
from recruit.timeutil import today_local, utcnow
from recruit.validation import DEGREE_RANK

#: At most this many ranked postings are considered for one graduate's list.
MAX_RESULTS = 500


def min_match_score() -> float:
    """The floor below which a similarity is noise (a shared character or two), never a match.

    Configurable as ``MATCHING_MIN_SCORE`` (default 0.1); applies to every list in the app.
    """
    return float(current_app.config["MATCHING_MIN_SCORE"])


@dataclass
class MatchRow:
    """One line of a graduate's matches."""

    posting: object  # recruit.employers.models.Posting
    score: float
    #: codes plus data (:class:`matching.Reason`), rendered by the ``match_reason`` template filter
    reasons: list[Reason] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    recommended: bool = False
    recommendation_note: str = ""


# ------------------------------------------------------------------ helpers
def _base_mask(st: IndexState, today: date) -> np.ndarray:
    """Boolean mask over the index: postings whose deadline has not passed (cached per day)."""
    cache = st.caches.deadline_masks
    mask = cache.get(today)
    if mask is None:
        ids = [pid for pid, m in st.meta.items() if m.deadline is None or m.deadline >= today]
        mask = st.matcher.posting_mask(ids)
        cache.clear()
        cache[today] = mask
    return mask


def _filtered_mask(st: IndexState, today: date, city: str | None, industry: str | None) -> np.ndarray:
    mask = _base_mask(st, today)
    if not city and not industry:
        return mask
    cache = st.caches.filter_masks
    key = (today, city, industry)
    filtered = cache.get(key)
    if filtered is None:
        ids = [
            pid
            for pid, m in st.meta.items()
            if (not city or m.city == city) and (not industry or m.industry == industry)
        ]
        filtered = mask & st.matcher.posting_mask(ids)
        if len(cache) > 512:
            cache.clear()
        cache[key] = filtered
    return filtered


def _load_postings(ids: Iterable[int]) -> dict[int, object]:
    ids = list(ids)
    if not ids:
        return {}
    rows = (
        db.session.scalars(sa.select(Posting).where(Posting.id.in_(ids)).options(sa.orm.joinedload(Posting.employer)))
        .unique()
        .all()
    )
    return {p.id: p for p in rows}


def _degree_ok(posting, graduate) -> bool:
    return DEGREE_RANK.get(posting.min_degree, 0) <= DEGREE_RANK.get(graduate.degree, 0)


def _recommendations(graduate) -> list[tuple[object, str]]:
    """The school's recommended postings (优先推荐) for a graduate, newest first: (posting, note)."""
    rows = db.session.execute(
        sa.select(SchoolRecommendation, Posting)
        .join(Posting, Posting.id == SchoolRecommendation.posting_id)
        .where(SchoolRecommendation.graduate_id == graduate.id)
        .order_by(SchoolRecommendation.created_at.desc(), SchoolRecommendation.id.desc())
        .options(sa.orm.joinedload(Posting.employer))  # the page shows each one's employer
    ).all()
    return [(p, r.note or "") for r, p in rows]


_LRU_CREATION = threading.Lock()


@dataclass
class _Memo:
    """What one index state has computed for one intention record (see :func:`_memo`)."""

    #: (today, city, industry, floor) -> (posting ids, scores), best first, unexplained.
    ranked: dict = field(default_factory=dict)
    #: posting id -> explained Match, or None when the pair does not score.
    explained: dict = field(default_factory=dict)


def rank_cache_size() -> int:
    """How many graduates' ranked lists one process keeps per index state (``MATCHING_RANK_CACHE_SIZE``)."""
    return int(current_app.config["MATCHING_RANK_CACHE_SIZE"])


def _memo(st: IndexState, record) -> _Memo:
    """The memo of ``record`` (a graduate's intention record) on this published index state.

    The LRU hangs on the state, which is never mutated and is replaced whenever the data
    version moves (or the index is refitted), so a memo never outlives the index it was
    computed on; the key is the whole record (intention, major, degree), so an edited intention
    is a different key. Results are exactly those of a fresh ``Matcher.rank``.
    """
    cache = st.caches.ranked
    if cache is None:
        with _LRU_CREATION:
            if st.caches.ranked is None:
                st.caches.ranked = LRU(rank_cache_size())
            cache = st.caches.ranked
    key = repr(record)
    memo = cache.get(key)
    if memo is None:
        memo = cache.put(key, _Memo())
    return memo


def _ranked(
    record, memo: _Memo, city: str | None, industry: str | None, min_score: float, st: IndexState, today: date
) -> tuple[Sequence[str], Sequence[float]]:
    """Unexplained ranked matches (best first): (posting ids, scores), memoised per index state."""
    floor = max(float(min_score or 0.0), min_match_score())
    key = (today, city, industry, floor)
    got = memo.ranked.get(key)
    if got is None:
        mask = _filtered_mask(st, today, city, industry)
        matches = st.matcher.rank(record, top_k=MAX_RESULTS, allowed=mask, explain=False)
        kept = [m for m in matches if m.score >= floor]
        got = (tuple(m.posting_id for m in kept), array("d", (m.score for m in kept)))
        if len(memo.ranked) >= 16:
            memo.ranked.clear()
        memo.ranked[key] = got
    return got


class _Plan(NamedTuple):
    """What a graduate's match list is built from."""

    state: IndexState
    today: date
    #: The school's recommendations still open to the graduate: [(posting, note)].
    recommended: list
    #: Ranked (posting id, score) pairs, best first, without the recommended postings.
    ranked: Sequence[tuple[str, float]]
    #: The graduate's intention record and its memo (None without an intention).
    record: object | None
    memo: "_Memo | None"


def _plan(graduate, *, city=None, industry=None, min_score=0.0) -> _Plan:
    """The :class:`_Plan` of a graduate's match list.

    Memoised for the current request (a page asks for the list and for the top employers); the
    ranking itself is memoised per process and index state (:func:`_memo`).
    """
    key = (
        "matchmaking.plan",
        graduate.id,
        graduate.intention.updated_at if graduate.intention else None,
        city,
        industry,
        float(min_score or 0.0),
    )
    cache = g.setdefault("matchmaking_plans", {}) if has_request_context() else {}
    if key not in cache:
        cache[key] = _compute_plan(graduate, city=city, industry=industry, min_score=min_score)
    return cache[key]


def _compute_plan(graduate, *, city=None, industry=None, min_score=0.0) -> _Plan:
    st = current_state()
    today = today_local()
    recs = [
        (p, note)
        for p, note in _recommendations(graduate)
        if p.is_active(today)
        and _degree_ok(p, graduate)
        and (not city or p.city == city)
        and (not industry or p.industry == industry)
    ]
    if graduate.intention is None:
        return _Plan(st, today, recs, [], None, None)
    record = intention_record(graduate)
    memo = _memo(st, record)
    ids, scores = _ranked(record, memo, city, industry, min_score or 0.0, st, today)
    rec_ids = {str(p.id) for p, _ in recs}
    # Employers the graduate's own university refused or suspended (its participation decision).
    refused = refused_employer_ids(graduate.university_id)
    if rec_ids or refused:
        ranked = [
            (pid, s) for pid, s in zip(ids, scores) if pid not in rec_ids and st.meta[pid].employer_id not in refused
        ]
    else:
        ranked = _Pairs(ids, scores)
    return _Plan(st, today, recs, ranked, record, memo)


class _Pairs(Sequence):
    """(posting id, score) pairs over two parallel sequences, without building them all."""

    def __init__(self, ids: Sequence[str], scores: Sequence[float]):
        self.ids, self.scores = ids, scores

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return list(zip(self.ids[k], self.scores[k]))
        return self.ids[k], self.scores[k]


def _explain(st: IndexState, record, memo: _Memo | None, want: list[str]) -> dict[str, Match]:
    """Explained matches of the given posting ids only (memoised per index state and record)."""
    if record is None or memo is None or not want:
        return {}
    missing = [pid for pid in want if pid not in memo.explained]
    if missing:
        got = {m.posting_id: m for m in st.matcher.rank(record, top_k=len(missing), allowed=set(missing))}
        if len(memo.explained) > 1000:
            memo.explained.clear()
        for pid in missing:
            memo.explained[pid] = got.get(pid)
    return {pid: memo.explained.get(pid) for pid in want}


def _rows(graduate, plan: _Plan, recs, ranked: Sequence[tuple[str, float]]) -> list[MatchRow]:
    """Explain and load the given slice of ``plan`` (recommended first)."""
    today = plan.today
    want = [str(p.id) for p, _ in recs] + [pid for pid, _ in ranked]
    explained = _explain(plan.state, plan.record, plan.memo, want)
    postings = _load_postings(int(pid) for pid, _ in ranked)
    out: list[MatchRow] = []
    for p, note in recs:
        m = explained.get(str(p.id))
        reasons = [match_reasons.recommended(note)] + (list(m.reasons) if m else [])
        out.append(
            MatchRow(
                posting=p,
                score=m.score if m else 0.0,
                reasons=reasons,
                terms=list(m.terms) if m else [],
                rules=list(m.rules) if m else [],
                recommended=True,
                recommendation_note=note,
            )
        )
    for pid, score in ranked:
        p = postings.get(int(pid))
        if p is None or not p.is_active(today):
            continue  # removed or expired since the last sync: never shown
        e = explained.get(pid)
        out.append(
            MatchRow(
                posting=p,
                score=score,
                reasons=list(e.reasons) if e else [],
                terms=list(e.terms) if e else [],
                rules=list(e.rules) if e else [],
            )
        )
    return out


# ------------------------------------------------------------------ graduates
def matches_for_graduate(
    graduate,
    *,
    city: str | None = None,
    industry: str | None = None,
    min_score: float = 0.0,
    limit: int | None = None,
    offset: int = 0,
) -> list[MatchRow]:
    """Ranked active postings for a graduate: school recommendations first, then by score.

    A graduate without an intention gets only the school's recommendations (usually none).
    """
    plan = _plan(graduate, city=city, industry=industry, min_score=min_score)
    recs, ranked = plan.recommended, plan.ranked
    n_rec = len(recs)
    end = None if limit is None else offset + limit
    page_recs = recs[offset:end]
    r_from = max(offset - n_rec, 0)
    r_to = None if end is None else max(end - n_rec, 0)
    return _rows(graduate, plan, page_recs, ranked[r_from:r_to])


def match_page(
    graduate,
    *,
    city: str | None = None,
    industry: str | None = None,
    min_score: float = 0.0,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[MatchRow], int]:
    """One page of :func:`matches_for_graduate` and the total number of matches."""
    plan = _plan(graduate, city=city, industry=industry, min_score=min_score)
    recs, ranked = plan.recommended, plan.ranked
    total = len(recs) + len(ranked)
    offset = (max(page, 1) - 1) * per_page
    end = offset + per_page
    n_rec = len(recs)
    rows = _rows(graduate, plan, recs[offset:end], ranked[max(offset - n_rec, 0) : max(end - n_rec, 0)])
    return rows, total


def matched_employer_ids(graduate, top: int = 10) -> set[int]:
    """Employers of the graduate's top ``top`` matches (school recommendations included)."""
    plan = _plan(graduate)
    ids = {p.employer_id for p, _ in plan.recommended}
    for pid, _score in plan.ranked[: max(top - len(plan.recommended), 0)]:
        meta = plan.state.meta.get(pid)
        if meta is not None:
            ids.add(meta.employer_id)
    return ids


def top_match_scores(graduates: Iterable) -> dict[int, float]:
    """Best score per graduate id over the active postings (0.0 without intention or match). Batch."""
    graduates = list(graduates)
    out = {g.id: 0.0 for g in graduates}
    if not graduates:
        return out
    intentions: dict[int, object] = {}
    ids = [g.id for g in graduates]
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for i in db.session.scalars(sa.select(Intention).where(Intention.graduate_id.in_(chunk))):
            intentions[i.graduate_id] = i
        # the résumés feed the records (intention_record): one query per chunk, not one per graduate
        db.session.scalars(
            sa.select(Graduate).where(Graduate.id.in_(chunk)).options(sa.orm.selectinload(Graduate.resume))
        ).all()
    recs = [intention_record(g, intentions[g.id]) for g in graduates if g.id in intentions]
    if not recs:
        return out
    st = current_state()
    best = st.matcher.rank_batch(recs, top_k=1, allowed=_base_mask(st, today_local()), explain=False)
    for gid, ms in best.items():
        if ms:
            out[int(gid)] = ms[0].score
    return out


# ------------------------------------------------------------------ employers
def matched_graduates_for_posting(posting, *, limit: int = 50) -> list[tuple[object, Match]]:
    """Confirmed graduates who opted in (``visible_to_employers``), best match first."""
    st = current_state()
    record = posting_record(posting)
    n = st.matcher.n_intentions_
    top_k: int | None = max(limit * 4, 200)
    floor = min_match_score()
    while True:
        cands = [m for m in st.matcher.rank_intentions(record, top_k=top_k, explain=False) if m.score >= floor]
        ids = [int(m.intention_id) for m in cands]
        visible: dict[int, object] = {}
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            visible.update(
                (g.id, g)
                for g in db.session.scalars(
                    sa.select(Graduate)
                    .where(
                        Graduate.id.in_(chunk),
                        Graduate.confirmed.is_(True),
                        Graduate.visible_to_employers.is_(True),
                        Graduate.intention.has(),
                    )
                    .options(sa.orm.joinedload(Graduate.university), sa.orm.joinedload(Graduate.intention))
                ).unique()
            )
        chosen = [m for m in cands if int(m.intention_id) in visible][:limit]
        # fewer than asked for: the ranking ran out, or reached the floor (only lower scores follow)
        if len(chosen) >= limit or top_k is None or top_k >= n or len(cands) < top_k:
            break
        top_k = None
    if not chosen:
        return []
    explained = {
        m.intention_id: m
        for m in st.matcher.rank_intentions(record, top_k=len(chosen), allowed={m.intention_id for m in chosen})
    }
    return [(visible[int(m.intention_id)], explained.get(m.intention_id, m)) for m in chosen]


def match_counts_by_university(pairs: Sequence[tuple[object, Match]]) -> list[tuple[str, int]]:
    """(university name, number of matched graduates), most first."""
    counts: dict[str, int] = {}
    for grad, _ in pairs:
        name = grad.university.name if grad.university else "—"
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ------------------------------------------------------------------ fairs
def fairs_for_graduate(graduate, *, top: int = 10, limit: int = 20) -> list[tuple[object, list[object]]]:
    """Upcoming published fairs where employers of the graduate's top matches have approved booths.

    Returns (fair, [employers]) pairs, soonest first.
    """
    employer_ids = matched_employer_ids(graduate, top=top)
    if not employer_ids:
        return []
    rows = db.session.execute(
        sa.select(Fair, Employer)
        .join(FairRegistration, FairRegistration.fair_id == Fair.id)
        .join(Employer, Employer.id == FairRegistration.employer_id)
        .where(
            FairRegistration.status == "approved",
            FairRegistration.employer_id.in_(employer_ids),
            Fair.status == "scheduled",
            Fair.ends_at >= utcnow(),
        )
        .order_by(Fair.starts_at, Fair.id, Employer.name)
        .options(sa.orm.joinedload(Fair.university), sa.orm.joinedload(Fair.venue))
    ).all()
    out: dict[int, tuple[object, list[object]]] = {}
    for fair, employer in rows:
        out.setdefault(fair.id, (fair, []))[1].append(employer)
    return list(out.values())[:limit]


# ------------------------------------------------------------------ lifecycle
def refit_index() -> dict:
    """Refit from the database, save, and swap atomically: {"postings", "intentions", "seconds"}."""
    return manager().refit()


def graduate_fair_ids(graduate) -> set[int]:
    """The fairs a graduate cares about (their calendar): those they saved and those where matched
    employers have booths."""
    ids = set(db.session.scalars(sa.select(SavedFair.fair_id).where(SavedFair.graduate_id == graduate.id)))
    ids.update(fair.id for fair, _employers in fairs_for_graduate(graduate, limit=200))
    return ids


# ------------------------------------------------------------------ the public job board (issue 16)
def match_for_postings(graduate, posting_ids: Iterable[int]) -> dict[int, Match]:
    """The graduate's explained match with each of ``posting_ids`` that scores at the floor or above.

    Served from the same per-process index and memo as :func:`match_page` (a board page asks
    for its twenty postings only). Empty without an intention.
    """
    if graduate is None or graduate.intention is None:
        return {}
    plan = _plan(graduate)
    explained = _explain(plan.state, plan.record, plan.memo, [str(int(i)) for i in posting_ids])
    floor = min_match_score()
    return {int(pid): m for pid, m in explained.items() if m is not None and m.score >= floor}


def ranked_posting_ids(graduate) -> list[tuple[int, float]]:
    """(posting id, score) of the graduate's ranked matches, best first (no school recommendations)."""
    if graduate is None or graduate.intention is None:
        return []
    plan = _plan(graduate)
    return [(int(pid), float(score)) for pid, score in plan.ranked[:MAX_RESULTS]]
