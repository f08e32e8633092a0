"""The :class:`Matcher` estimator: Chinese-aware TF-IDF plus structured rules.

Score of an (intention, posting) pair::

    score = text_weight * cos(intention_text, posting_text)
            + bonus_major    [专业对口: the graduate's major is listed by the posting]
            + bonus_city     [意向城市: the posting's city is an intended city]
            + bonus_industry [意向行业: the posting's industry is an intended industry]
            + bonus_salary   [薪资匹配: the posting's top salary >= the expectation]

with ``text_weight = 1 - (bonus_major + bonus_city + bonus_industry + bonus_salary)``, so the
score lies in [0, 1].  A posting whose minimum degree is above the graduate's is never returned;
neither is a pair whose score is 0 (nothing in common).  The text part and the major/city/industry
rules are one sparse dot product (the rules are extra sparse features, see
:mod:`matching.rules`); the salary bonus and the degree filter are applied on arrays (single
queries) or by grouping intentions by (degree, expectation) and splitting the postings into those
that meet the expectation and the rest (batch), which keeps the batch top-k exact.
"""

from __future__ import annotations

import copy as _copy
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from . import rules as R
from .batch import BATCH_METHODS, BatchMixin
from .explain import INTENTION_WORD_FIELDS, POSTING_WORD_FIELDS, Explainer, Match, record_words
from .persist import FORMAT_NAME, FORMAT_VERSION, FormatError, PersistMixin
from .records import Intention, Posting, coerce
from .text import get_analyzer
from .topk import TIE_DECIMALS, dedupe, id_mask, row_of, top
from .vectorize import (
    DEFAULT_INTENTION_WEIGHTS,
    DEFAULT_POSTING_WEIGHTS,
    PLAIN_INTENTION_WEIGHTS,
    PLAIN_POSTING_WEIGHTS,
    VectorizerMixin,
    _analyzer_fingerprint,
)

__all__ = [
    "Matcher",
    "Match",
    "FormatError",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "DEFAULT_POSTING_WEIGHTS",
    "DEFAULT_INTENTION_WEIGHTS",
    "PLAIN_POSTING_WEIGHTS",
    "PLAIN_INTENTION_WEIGHTS",
]


class Matcher(VectorizerMixin, BatchMixin, PersistMixin, BaseEstimator):
    """Rank postings for graduates' intentions (and graduates for postings).

    Parameters
    ----------
    analyzer : {"char12", "char23", "word", "word+char2", "word+char12", "sklearn"}, default="char12"
        Text analyzer (see :mod:`matching.text`).  The default was chosen on the development
        set (docs/matching.md); ``"sklearn"`` is the known-bad baseline.
    posting_weights, intention_weights : dict of str to float, optional
        Field weights: a term's count in a field is multiplied by the field's weight.  Defaults:
        :data:`DEFAULT_POSTING_WEIGHTS`, :data:`DEFAULT_INTENTION_WEIGHTS`.
    max_df : float, default=1.0
        Drop terms that occur in more than this fraction of the postings (boilerplate such as
        岗位职责, 任职要求); a term in a single posting is always kept.
    min_df : int, default=1
        Drop terms that occur in fewer postings.
    title_weight : float, default=0.20
        Weight of the cosine between the intention's chosen positions and the posting's title
        (same vocabulary and IDF as the whole text), so that what a graduate picks steers the
        ranking more than what they write about themselves.
    bonus_major, bonus_city, bonus_industry, bonus_salary : float
        Rule bonuses added to the score; with ``title_weight`` their sum must be below 1 (the
        rest weights the whole text).
    city_focus : float
        A graduate naming ``n`` cities gets ``bonus_city * (1 + city_focus / n)`` for a posting in
        one of them (:func:`matching.rules.city_bonus`): one city is a firmer wish than five.
    n_terms : int, default=3
        How many shared terms a match reports.
    n_jobs : int, default=2
        Threads for batch ranking.
    chunk_size : int, default=4096
        Intentions (or postings) per batch chunk; bounds the memory of the batch product.
    batch_method : {"auto", "bound", "topn", "dense"}, default="auto"
        ``"bound"`` is the compiled block-bound kernel of :mod:`matching.bound` (numba), which
        skips the postings that can't reach an intention's top k; ``"topn"`` uses
        sparse_dot_topn's multi-threaded top-n product, ``"dense"`` scipy's sparse product per
        chunk plus ``argpartition``.  ``"auto"`` picks the first one installed, in that order.
        All are exact and return the same results.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Text feature index.
    idf_ : ndarray of shape (n_text_features,)
        Inverse document frequencies learnt from the postings.
    posting_ids_ : list of str
        Ids of the indexed postings, in index order.
    intention_ids_ : list of str
        Ids of the intentions indexed with :meth:`fit_intentions` (empty before).
    """

    def __init__(
        self,
        analyzer: str = "char12",
        posting_weights: Mapping[str, float] | None = None,
        intention_weights: Mapping[str, float] | None = None,
        max_df: float = 1.0,
        min_df: int = 1,
        title_weight: float = 0.20,
        bonus_major: float = 0.10,
        bonus_city: float = 0.12,
        bonus_industry: float = 0.12,
        bonus_salary: float = 0.02,
        city_focus: float = 0.5,
        n_terms: int = 3,
        n_jobs: int = 2,
        chunk_size: int = 4096,
        batch_method: str = "auto",
    ) -> None:
        self.analyzer = analyzer
        self.posting_weights = posting_weights
        self.intention_weights = intention_weights
        self.max_df = max_df
        self.min_df = min_df
        self.title_weight = title_weight
        self.bonus_major = bonus_major
        self.bonus_city = bonus_city
        self.bonus_industry = bonus_industry
        self.bonus_salary = bonus_salary
        self.city_focus = city_focus
        self.n_terms = n_terms
        self.n_jobs = n_jobs
        self.chunk_size = chunk_size
        self.batch_method = batch_method

    # ------------------------------------------------------------------ helpers
    @property
    def text_weight(self) -> float:
        """Weight of the whole-text cosine: what the title cosine and the rule bonuses leave (derived
        from the parameters, not learnt)."""
        return 1.0 - (
            self.title_weight
            + self.bonus_major
            + self.bonus_city * (1.0 + self.city_focus)
            + self.bonus_industry
            + self.bonus_salary
        )

    def _check_params(self) -> None:
        get_analyzer(self.analyzer)
        bonuses = [self.title_weight, self.bonus_major, self.bonus_city, self.bonus_industry, self.bonus_salary]
        if any(b < 0 for b in bonuses) or self.city_focus < 0 or self.text_weight <= 0:
            raise ValueError("title_weight and the rule bonuses must be >= 0 and sum to less than 1")
        if not 0 < self.max_df <= 1:
            raise ValueError("max_df must be in (0, 1]")
        if self.batch_method not in BATCH_METHODS:
            raise ValueError("batch_method must be 'auto', 'bound', 'topn' or 'dense'")

    def _check_fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError("This Matcher is not fitted yet: call fit(postings) first.")

    def _pw(self) -> list[tuple[str, float]]:
        return list((self.posting_weights or DEFAULT_POSTING_WEIGHTS).items())

    def _iw(self) -> list[tuple[str, float]]:
        return list((self.intention_weights or DEFAULT_INTENTION_WEIGHTS).items())

    @property
    def n_postings_(self) -> int:
        """Number of indexed postings."""
        self._check_fitted()
        return len(self.posting_ids_)

    @property
    def n_intentions_(self) -> int:
        """Number of intentions indexed for the reverse direction."""
        self._check_fitted()
        return len(self.intention_ids_)

    @property
    def n_features_(self) -> int:
        """Text features, title features (the same vocabulary again) plus rule features."""
        self._check_fitted()
        return 2 * len(self.vocabulary_) + len(self.rule_vocabulary_)

    def _reindex(self) -> None:
        """Recompute derived state after the posting/intention matrices changed."""
        self.posting_matrix_ = self._resize(self.posting_matrix_)
        self.posting_matrix_t_ = self.posting_matrix_.T.tocsr()
        self.posting_matrix_t_.sort_indices()
        self._posting_index = {pid: k for k, pid in enumerate(self.posting_ids_)}
        self.intention_matrix_ = self._resize(self.intention_matrix_)
        self.intention_matrix_t_ = self.intention_matrix_.T.tocsr()
        self._intention_index = {iid: k for k, iid in enumerate(self.intention_ids_)}
        self.posting_levels_ = np.array([R.posting_level(p) for p in self.postings_], dtype=np.int8)
        self.posting_salaries_ = np.array([R.posting_salary_value(p) for p in self.postings_], dtype=np.float64)
        self.intention_levels_ = np.array([R.intention_level(i) for i in self.intentions_], dtype=np.int8)
        self.intention_expectations_ = np.array([R.expectation_value(i) for i in self.intentions_], dtype=np.float64)
        self._explainer = Explainer(self.vocabulary_, self.analyzer, self.n_terms)

    # ------------------------------------------------------------------ fitting
    def fit(self, postings: Iterable[Posting | Mapping[str, Any]], y: Any = None) -> "Matcher":
        """Learn the vocabulary and IDF from the postings and index them.

        Parameters
        ----------
        postings : iterable of Posting or dict
            Duplicate ids keep the last record.
        y : ignored

        Returns
        -------
        self : Matcher
        """
        self._check_params()
        recs = dedupe(coerce(postings, Posting))
        vocab: dict[str, int] = {}
        counts = self._counts(recs, self._pw(), vocab, grow=True)
        n = max(len(recs), 1)
        df = np.bincount(counts.indices, minlength=len(vocab)) if counts.nnz else np.zeros(len(vocab), int)
        keep = (df >= self.min_df) & (df <= max(1.0, self.max_df * n))
        terms = sorted(vocab, key=vocab.__getitem__)
        kept = np.flatnonzero(keep)
        self.vocabulary_ = {terms[j]: k for k, j in enumerate(kept)}
        self.idf_ = (np.log((1.0 + n) / (1.0 + df[kept])) + 1.0).astype(np.float64)
        self.rule_vocabulary_: dict[str, int] = {}
        self.postings_: list[Posting] = recs
        self.posting_ids_: list[str] = [p.id for p in recs]
        # the counts of the kept terms, renumbered as the vocabulary (kept is sorted): the same
        # counts as transforming again, without counting twice
        self.posting_matrix_ = self._transform_postings(recs, grow=True, counts=counts[:, kept].tocsr())
        self.intentions_: list[Intention] = []
        self.intention_ids_: list[str] = []
        self.intention_matrix_ = sp.csr_matrix((0, self.n_features_))
        self.fingerprint_ = _analyzer_fingerprint(self.analyzer)
        self._reindex()
        return self

    def add_postings(self, postings: Iterable[Posting | Mapping[str, Any]]) -> "Matcher":
        """Index new postings, or replace postings with the same id, without refitting.

        The vocabulary and IDF stay as fitted (terms unseen at fit time are ignored), so a
        posting added later scores exactly as if it had been transformed by the fitted model.
        Replaced postings move to the end of the index order (which only breaks ties).
        """
        self._check_fitted()
        recs = dedupe(coerce(postings, Posting))
        if not recs:
            return self
        self._drop_postings({p.id for p in recs})
        new = self._transform_postings(recs, grow=True)
        self.posting_matrix_ = sp.vstack([self._resize(self.posting_matrix_), new], format="csr")
        self.postings_ = self.postings_ + recs
        self.posting_ids_ = self.posting_ids_ + [p.id for p in recs]
        self._reindex()
        return self

    def _drop_postings(self, ids: set[str]) -> None:
        keep = [k for k, pid in enumerate(self.posting_ids_) if pid not in ids]
        if len(keep) == len(self.posting_ids_):
            return
        self.posting_matrix_ = self.posting_matrix_[keep]
        self.postings_ = [self.postings_[k] for k in keep]
        self.posting_ids_ = [self.posting_ids_[k] for k in keep]

    def remove_postings(self, ids: Iterable[str | int]) -> "Matcher":
        """Remove postings by id (unknown ids are ignored)."""
        self._check_fitted()
        self._drop_postings({str(x) for x in ids})
        self._reindex()
        return self

    def fit_intentions(self, intentions: Iterable[Intention | Mapping[str, Any]]) -> "Matcher":
        """Index graduates' intentions for :meth:`rank_intentions` (replaces any indexed ones)."""
        self._check_fitted()
        self.intentions_, self.intention_ids_ = [], []
        self.intention_matrix_ = sp.csr_matrix((0, self.n_features_))
        return self.add_intentions(intentions)

    def add_intentions(self, intentions: Iterable[Intention | Mapping[str, Any]]) -> "Matcher":
        """Index more intentions (same id replaces) for :meth:`rank_intentions`."""
        self._check_fitted()
        recs = dedupe(coerce(intentions, Intention))
        if not recs:
            self._reindex()
            return self
        self._drop_intentions({i.id for i in recs})
        new = self._transform_intentions(recs, grow=True)
        self.intention_matrix_ = sp.vstack([self._resize(self.intention_matrix_), new], format="csr")
        self.intentions_ = self.intentions_ + recs
        self.intention_ids_ = self.intention_ids_ + [i.id for i in recs]
        self._reindex()
        return self

    def _drop_intentions(self, ids: set[str]) -> None:
        keep = [k for k, iid in enumerate(self.intention_ids_) if iid not in ids]
        if len(keep) == len(self.intention_ids_):
            return
        self.intention_matrix_ = self.intention_matrix_[keep]
        self.intentions_ = [self.intentions_[k] for k in keep]
        self.intention_ids_ = [self.intention_ids_[k] for k in keep]

    def remove_intentions(self, ids: Iterable[str | int]) -> "Matcher":
        """Remove indexed intentions by id (unknown ids are ignored)."""
        self._check_fitted()
        self._drop_intentions({str(x) for x in ids})
        self._reindex()
        return self

    def copy(self) -> "Matcher":
        """A copy that :meth:`add_postings`, :meth:`remove_postings`, :meth:`add_intentions` and
        :meth:`remove_intentions` may change while other threads keep ranking with this one.

        Cheap: the matrices and records are shared (those methods replace them, never change
        them in place); only the containers they do change in place are copied.
        """
        self._check_fitted()
        new = _copy.copy(self)
        new.rule_vocabulary_ = dict(self.rule_vocabulary_)
        new.postings_, new.posting_ids_ = list(self.postings_), list(self.posting_ids_)
        new.intentions_, new.intention_ids_ = list(self.intentions_), list(self.intention_ids_)
        return new

    # ------------------------------------------------------------------ masks
    def posting_mask(self, ids: Iterable[str | int]) -> np.ndarray:
        """Boolean mask over the posting index for ``ids``; reusable as ``allowed``."""
        self._check_fitted()
        return id_mask(self._posting_index, ids, len(self.posting_ids_))

    def intention_mask(self, ids: Iterable[str | int]) -> np.ndarray:
        """Boolean mask over the intention index for ``ids``; reusable as ``allowed``."""
        self._check_fitted()
        return id_mask(self._intention_index, ids, len(self.intention_ids_))

    # ------------------------------------------------------------------ scoring
    def score_pair(self, intention: Intention | Mapping[str, Any], posting: Posting | Mapping[str, Any]) -> float:
        """The score of one pair by the fitted model (0.0 when the degree rule excludes it)."""
        self._check_fitted()
        i = coerce([intention], Intention)[0]
        p = coerce([posting], Posting)[0]
        if not R.eligible(p, i):
            return 0.0
        q = self._transform_intentions([i], grow=False)
        v = self._transform_postings([p], grow=False)
        s = float(q.multiply(v).sum()) + (self.bonus_salary if R.salary_meets(p, i) else 0.0)
        return round(max(s, 0.0), TIE_DECIMALS)

    def _forward_scores(self, q: sp.csr_matrix, i: Intention, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Every eligible posting with a positive score for one transformed intention."""
        n = len(self.posting_ids_)
        row = q @ self.posting_matrix_t_  # (1, n) sparse; cost = sum of posting frequencies of the query's features
        s = np.zeros(n)
        s[row.indices] = row.data
        if self.bonus_salary:
            s += self.bonus_salary * R.salary_meets_array(self.posting_salaries_, R.expectation_value(i))
        np.round(s, TIE_DECIMALS, out=s)
        keep = (s > 0) & (self.posting_levels_ <= R.intention_level(i))
        if mask is not None:
            keep &= mask
        idx = np.flatnonzero(keep)
        return idx, s[idx]

    def rank(
        self,
        intention: Intention | Mapping[str, Any],
        top_k: int | None = 10,
        allowed: Iterable[str] | np.ndarray | None = None,
        explain: bool = True,
    ) -> list[Match]:
        """Rank postings for one intention.

        Parameters
        ----------
        intention : Intention or dict
        top_k : int or None, default=10
            How many matches; ``None`` returns every eligible posting with a positive score.
        allowed : set of str or boolean ndarray, optional
            Restrict to these posting ids (or a mask from :meth:`posting_mask`).
        explain : bool, default=True
            Compute terms and reasons (the costly part of a match).

        Returns
        -------
        list of Match
            Best first; ties broken by index order.  Postings above the graduate's degree and
            pairs scoring 0 are never returned.
        """
        self._check_fitted()
        i = coerce([intention], Intention)[0]
        q = self._transform_intentions([i], grow=False)
        mask = self._allowed(allowed, self._posting_index, len(self.posting_ids_))
        order, scores = top(*self._forward_scores(q, i, mask), top_k)
        return self._matches(i, row_of(q, 0), order, scores, explain)

    def rank_intentions(
        self,
        posting: Posting | Mapping[str, Any],
        top_k: int | None = 10,
        allowed: Iterable[str] | np.ndarray | None = None,
        explain: bool = True,
    ) -> list[Match]:
        """Rank the indexed intentions (:meth:`fit_intentions`) for one posting.

        Same contract as :meth:`rank` in the other direction; ``allowed`` holds intention ids.
        """
        self._check_fitted()
        p = coerce([posting], Posting)[0]
        v = self._transform_postings([p], grow=False)
        n = len(self.intention_ids_)
        row = v @ self.intention_matrix_t_
        s = np.zeros(n)
        s[row.indices] = row.data
        if self.bonus_salary:
            s += self.bonus_salary * R.salary_meets_array(R.posting_salary_value(p), self.intention_expectations_)
        np.round(s, TIE_DECIMALS, out=s)
        keep = (s > 0) & (self.intention_levels_ >= R.posting_level(p))
        mask = self._allowed(allowed, self._intention_index, n)
        if mask is not None:
            keep &= mask
        idx = np.flatnonzero(keep)
        order, scores = top(idx, s[idx], top_k)
        return self._matches_rev(p, row_of(v, 0), order, scores, explain)

    @staticmethod
    def _allowed(allowed: Any, index: Mapping[str, int], n: int) -> np.ndarray | None:
        if allowed is None:
            return None
        if isinstance(allowed, np.ndarray) and allowed.dtype == bool:
            if allowed.shape != (n,):
                raise ValueError(f"allowed mask must have shape ({n},)")
            return allowed
        return id_mask(index, allowed, n)

    # ------------------------------------------------------------------ explanations
    def _matches(
        self, i: Intention, q: tuple[np.ndarray, np.ndarray], order: np.ndarray, scores: np.ndarray, explain: bool
    ) -> list[Match]:
        """Matches of intention ``i`` (vector ``q`` as (indices, values)) with indexed postings ``order``."""
        return self._matches_many([(i, q, order, scores)], explain)[0]

    def _matches_many(
        self, items: Sequence[tuple[Intention, tuple[np.ndarray, np.ndarray], np.ndarray, np.ndarray]], explain: bool
    ) -> list[list[Match]]:
        """:meth:`_matches` of several intentions at once: an explained batch looks up the shared
        terms of all its pairs in one pass (:meth:`Explainer.shared_terms`), so the cost per pair is
        a few dictionary and set operations, not a round of array calls."""
        postings = self.postings_
        if not explain:
            return [
                [
                    Match(posting_id=postings[k].id, intention_id=i.id, score=s)
                    for k, s in zip(order.tolist(), scores.tolist())
                ]
                for i, _q, order, scores in items
            ]
        ex = self._explainer
        keys = [ex.text_key(i) for i, _q, _o, _s in items]
        orders = [order.tolist() for _i, _q, order, _s in items]
        terms = [ex.cached_terms(key, ks) for key, ks in zip(keys, orders)]
        pairs, slots = [], []
        for n, ((i, q, _o, _s), ks, got) in enumerate(zip(items, orders, terms)):
            missing = [m for m, t in enumerate(got) if t is None]
            if not missing:
                continue
            iwords = record_words(i, INTENTION_WORD_FIELDS)
            for m in missing:
                k = ks[m]
                pairs.append((q, row_of(self.posting_matrix_, k), iwords, ex.indexed_words("posting", k, postings[k])))
                slots.append((n, m))
        if pairs:
            for (n, m), t in zip(slots, ex.shared_terms(pairs)):
                terms[n][m] = ex.keep_terms(keys[n], orders[n][m], t)
        return [
            ex.matches(i, ks, postings, scores.tolist(), got)
            for (i, _q, _o, scores), ks, got in zip(items, orders, terms)
        ]

    def _matches_rev(
        self, p: Posting, v: tuple[np.ndarray, np.ndarray], order: np.ndarray, scores: np.ndarray, explain: bool
    ) -> list[Match]:
        """Matches of posting ``p`` (vector ``v``) with indexed intentions ``order``."""
        intentions = [self.intentions_[int(k)] for k in order]
        if not explain:
            return [Match(posting_id=p.id, intention_id=i.id, score=float(s)) for i, s in zip(intentions, scores)]
        ex = self._explainer
        pwords = record_words(p, POSTING_WORD_FIELDS)
        terms = ex.shared_terms(
            [
                (row_of(self.intention_matrix_, int(k)), v, ex.indexed_words("intention", int(k), i), pwords)
                for k, i in zip(order, intentions)
            ]
        )
        return [ex.match(i, p, float(s), t) for i, s, t in zip(intentions, scores, terms)]
