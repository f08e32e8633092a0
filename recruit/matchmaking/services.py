"""Matches for graduates and employers, served from the per-process index (never refitted per request).

Other domains call these functions (organizer supply-and-demand, iCal feeds, the nightly job).
Only active postings (open, approved employer, deadline not passed: ``Posting.is_active``) ever
appear in a graduate's matches; only confirmed graduates who opted in are shown to employers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

import numpy as np
import sqlalchemy as sa
from flask import g, has_request_context

from matching import Match
from recruit.extensions import db
from recruit.matchmaking.index import (IndexState, current_state, intention_record, manager,
                                       posting_record)
from recruit.timeutil import today_local, utcnow
from recruit.validation import DEGREE_RANK

#: At most this many ranked postings are considered for one graduate's list.
MAX_RESULTS = 500


def min_match_score() -> float:
    """The floor below which a similarity is noise (a shared character or two), never a match.

    Configurable as ``MATCHING_MIN_SCORE`` (default 0.1); applies to every list in the app.
    """
    from flask import current_app

    return float(current_app.config.get("MATCHING_MIN_SCORE", 0.1))
#: The score a school recommendation shows when the matcher finds nothing in common.
RECOMMENDED_REASON = "学校优先推荐"


@dataclass
class MatchRow:
    """One line of a graduate's matches."""

    posting: object  # recruit.employers.models.Posting
    score: float
    reasons: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    recommended: bool = False
    recommendation_note: str = ""


# ------------------------------------------------------------------ helpers
def _base_mask(st: IndexState, today: date) -> np.ndarray:
    """Boolean mask over the index: postings whose deadline has not passed (cached per day)."""
    cache = st.__dict__.setdefault("_mask_cache", {})
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
    cache = st.__dict__.setdefault("_filter_cache", {})
    key = (today, city, industry)
    filtered = cache.get(key)
    if filtered is None:
        ids = [pid for pid, m in st.meta.items()
               if (not city or m.city == city) and (not industry or m.industry == industry)]
        filtered = mask & st.matcher.posting_mask(ids)
        if len(cache) > 512:
            cache.clear()
        cache[key] = filtered
    return filtered


def _load_postings(ids: Iterable[int]) -> dict[int, object]:
    from recruit.employers.models import Posting

    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Posting).where(Posting.id.in_(ids)).options(sa.orm.joinedload(Posting.employer))
    ).unique().all()
    return {p.id: p for p in rows}


def _degree_ok(posting, graduate) -> bool:
    return DEGREE_RANK.get(posting.min_degree, 0) <= DEGREE_RANK.get(graduate.degree, 0)


def _recommendations(graduate) -> list[tuple[object, str]]:
    """The school's recommended postings (优先推荐) for a graduate, newest first: (posting, note)."""
    from recruit.employers.models import Posting
    from recruit.graduates.models import SchoolRecommendation

    rows = db.session.execute(
        sa.select(SchoolRecommendation, Posting).join(Posting, Posting.id == SchoolRecommendation.posting_id)
        .where(SchoolRecommendation.graduate_id == graduate.id)
        .order_by(SchoolRecommendation.created_at.desc(), SchoolRecommendation.id.desc())
    ).all()
    return [(p, r.note or "") for r, p in rows]


def _ranked(graduate, city: str | None, industry: str | None, min_score: float,
            st: IndexState, today: date) -> list[Match]:
    """Unexplained ranked matches (best first) for a graduate with an intention."""
    if graduate.intention is None:
        return []
    mask = _filtered_mask(st, today, city, industry)
    matches = st.matcher.rank(intention_record(graduate), top_k=MAX_RESULTS, allowed=mask, explain=False)
    floor = max(float(min_score or 0.0), min_match_score())
    return [m for m in matches if m.score >= floor]


def _plan(graduate, *, city=None, industry=None, min_score=0.0):
    """(state, today, recommended [(posting, note)], ranked [Match] without the recommended).

    Memoised for the current request (a page asks for the list and for the top employers).
    """
    key = ("matchmaking.plan", graduate.id, graduate.intention.updated_at if graduate.intention else None,
           city, industry, float(min_score or 0.0))
    cache = g.setdefault("matchmaking_plans", {}) if has_request_context() else {}
    if key not in cache:
        cache[key] = _compute_plan(graduate, city=city, industry=industry, min_score=min_score)
    return cache[key]


def _compute_plan(graduate, *, city=None, industry=None, min_score=0.0):
    st = current_state()
    today = today_local()
    recs = [(p, note) for p, note in _recommendations(graduate)
            if p.is_active(today) and _degree_ok(p, graduate)
            and (not city or p.city == city) and (not industry or p.industry == industry)]
    rec_ids = {str(p.id) for p, _ in recs}
    ranked = [m for m in _ranked(graduate, city, industry, min_score or 0.0, st, today)
              if m.posting_id not in rec_ids]
    return st, today, recs, ranked


def _rows(graduate, st: IndexState, today: date, recs, ranked: Sequence[Match]) -> list[MatchRow]:
    """Explain and load the given slice (recommended first)."""
    intention = intention_record(graduate) if graduate.intention is not None else None
    want = [str(p.id) for p, _ in recs] + [m.posting_id for m in ranked]
    explained: dict[str, Match] = {}
    if intention is not None and want:
        explained = {m.posting_id: m for m in st.matcher.rank(intention, top_k=len(want), allowed=set(want))}
    postings = _load_postings(int(m.posting_id) for m in ranked)
    out: list[MatchRow] = []
    for p, note in recs:
        m = explained.get(str(p.id))
        reasons = [RECOMMENDED_REASON + (f"：{note}" if note else "")] + (list(m.reasons) if m else [])
        out.append(MatchRow(posting=p, score=m.score if m else 0.0, reasons=reasons,
                            terms=list(m.terms) if m else [], rules=list(m.rules) if m else [],
                            recommended=True, recommendation_note=note))
    for m in ranked:
        p = postings.get(int(m.posting_id))
        if p is None or not p.is_active(today):
            continue  # removed or expired since the last sync: never shown
        e = explained.get(m.posting_id, m)
        out.append(MatchRow(posting=p, score=m.score, reasons=list(e.reasons), terms=list(e.terms),
                            rules=list(e.rules)))
    return out


# ------------------------------------------------------------------ graduates
def matches_for_graduate(graduate, *, city: str | None = None, industry: str | None = None,
                         min_score: float = 0.0, limit: int | None = None, offset: int = 0) -> list[MatchRow]:
    """Ranked active postings for a graduate: school recommendations first, then by score.

    A graduate without an intention gets only the school's recommendations (usually none).
    """
    st, today, recs, ranked = _plan(graduate, city=city, industry=industry, min_score=min_score)
    n_rec = len(recs)
    end = None if limit is None else offset + limit
    page_recs = recs[offset:end]
    r_from = max(offset - n_rec, 0)
    r_to = None if end is None else max(end - n_rec, 0)
    return _rows(graduate, st, today, page_recs, ranked[r_from:r_to])


def match_page(graduate, *, city: str | None = None, industry: str | None = None, min_score: float = 0.0,
               page: int = 1, per_page: int = 20) -> tuple[list[MatchRow], int]:
    """One page of :func:`matches_for_graduate` and the total number of matches."""
    st, today, recs, ranked = _plan(graduate, city=city, industry=industry, min_score=min_score)
    total = len(recs) + len(ranked)
    offset = (max(page, 1) - 1) * per_page
    end = offset + per_page
    n_rec = len(recs)
    rows = _rows(graduate, st, today, recs[offset:end], ranked[max(offset - n_rec, 0):max(end - n_rec, 0)])
    return rows, total


def matched_employer_ids(graduate, top: int = 10) -> set[int]:
    """Employers of the graduate's top ``top`` matches (school recommendations included)."""
    st, today, recs, ranked = _plan(graduate)
    ids = {p.employer_id for p, _ in recs}
    for m in ranked[:max(top - len(recs), 0)]:
        meta = st.meta.get(m.posting_id)
        if meta is not None:
            ids.add(meta.employer_id)
    return ids


def top_match_scores(graduates: Iterable) -> dict[int, float]:
    """Best score per graduate id over the active postings (0.0 without intention or match). Batch."""
    from recruit.graduates.models import Intention

    graduates = list(graduates)
    out = {g.id: 0.0 for g in graduates}
    if not graduates:
        return out
    intentions: dict[int, object] = {}
    ids = [g.id for g in graduates]
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        for i in db.session.scalars(sa.select(Intention).where(Intention.graduate_id.in_(chunk))):
            intentions[i.graduate_id] = i
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
    from recruit.graduates.models import Graduate

    st = current_state()
    record = posting_record(posting)
    n = st.matcher.n_intentions_
    top_k: int | None = max(limit * 4, 200)
    while True:
        cands = st.matcher.rank_intentions(record, top_k=top_k, explain=False)
        floor = min_match_score()
        complete = len(cands) < (top_k or 0) or top_k is None
        cands = [m for m in cands if m.score >= floor]
        ids = [int(m.intention_id) for m in cands]
        visible: dict[int, object] = {}
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            visible.update((g.id, g) for g in db.session.scalars(
                sa.select(Graduate).where(Graduate.id.in_(chunk), Graduate.confirmed.is_(True),
                                          Graduate.visible_to_employers.is_(True), Graduate.intention.has())
                .options(sa.orm.joinedload(Graduate.university), sa.orm.joinedload(Graduate.intention))
            ).unique())
        chosen = [m for m in cands if int(m.intention_id) in visible][:limit]
        if len(chosen) >= limit or complete or top_k >= n or len(cands) < (top_k or 0):
            break
        top_k = None
    if not chosen:
        return []
    explained = {m.intention_id: m for m in st.matcher.rank_intentions(
        record, top_k=len(chosen), allowed={m.intention_id for m in chosen})}
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
    from recruit.employers.models import Employer
    from recruit.fairs.models import Fair, FairRegistration

    employer_ids = matched_employer_ids(graduate, top=top)
    if not employer_ids:
        return []
    rows = db.session.execute(
        sa.select(Fair, Employer).join(FairRegistration, FairRegistration.fair_id == Fair.id)
        .join(Employer, Employer.id == FairRegistration.employer_id)
        .where(FairRegistration.status == "approved", FairRegistration.employer_id.in_(employer_ids),
               Fair.status == "scheduled", Fair.ends_at >= utcnow())
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
