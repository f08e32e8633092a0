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

import io
import json
import hashlib
import math
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import normalize as l2_normalize

from . import bound
from . import rules as R
from .explain import INTENTION_WORD_FIELDS, POSTING_WORD_FIELDS, Explainer, Match, join_field, record_words
from .records import Intention, Posting, coerce
from .text import DOMAIN_TERMS, LATIN_CHARS, LATIN_RUN, get_analyzer, normalize_lines

__all__ = ["Matcher", "Match", "FormatError", "FORMAT_NAME", "FORMAT_VERSION"]

FORMAT_NAME = "recruit-matching-index"
FORMAT_VERSION = 2

#: Field weights of postings (weighted term counts before the sublinear tf and IDF).
DEFAULT_POSTING_WEIGHTS: dict[str, float] = {
    "title": 2.0, "industry": 1.0, "majors": 1.0, "description": 1.0, "employer": 1.0,
}
#: Field weights of intentions.
DEFAULT_INTENTION_WEIGHTS: dict[str, float] = {
    "positions": 2.0, "skills": 1.0, "industries": 1.0, "major": 1.0, "statement": 1.0,
}
#: The fields compared by the positions-to-title similarity (``title_weight``).
POSTING_TITLE_FIELDS: dict[str, float] = {"title": 1.0}
INTENTION_TITLE_FIELDS: dict[str, float] = {"positions": 1.0}
#: Uniform field weights (the "plain" configuration of the analyzer comparison).
PLAIN_POSTING_WEIGHTS: dict[str, float] = {k: 1.0 for k in DEFAULT_POSTING_WEIGHTS}
PLAIN_INTENTION_WEIGHTS: dict[str, float] = {k: 1.0 for k in DEFAULT_INTENTION_WEIGHTS}
_TIE_DECIMALS = 9  # scores are compared after rounding to this many decimals
#: Up to this many distinct salary expectations in a batch, the salary rule is folded into the
#: sparse product as features (one transposed posting matrix per degree level); beyond it the
#: batch groups intentions by (degree, expectation).
_MAX_SALARY_FEATURES = 512
#: The batch methods; "auto" picks "bound", else "topn", else "dense".
_BATCH_METHODS = ("auto", "bound", "topn", "dense")
#: Above this top_k the bound kernel would keep almost everything: use the plain products.
_BOUND_MAX_K = 1000
#: "auto" uses the bound kernel from this many intentions: its index takes about 1 s per 50,000
#: postings to build, which a batch this size repays (about 1 ms of CPU saved per intention).
_BOUND_MIN_BATCH = 2000


class FormatError(ValueError):
    """A saved index has an unknown format or an unsupported version."""


@lru_cache(maxsize=1 << 16)
def _analyze_cached(analyzer: str, text: str) -> tuple[str, ...]:
    return tuple(get_analyzer(analyzer)(text))


def _analyzer_fingerprint(analyzer: str) -> str:
    import jieba

    h = hashlib.sha256()
    h.update(analyzer.encode())
    h.update(getattr(jieba, "__version__", "?").encode())
    h.update("\n".join(DOMAIN_TERMS).encode())
    return h.hexdigest()[:16]


class Matcher(BaseEstimator):
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

    def __init__(self, analyzer: str = "char12", posting_weights: Mapping[str, float] | None = None,
                 intention_weights: Mapping[str, float] | None = None, max_df: float = 1.0,
                 min_df: int = 1, title_weight: float = 0.20, bonus_major: float = 0.10, bonus_city: float = 0.12,
                 bonus_industry: float = 0.12, bonus_salary: float = 0.02, city_focus: float = 0.5,
                 n_terms: int = 3,
                 n_jobs: int = 2, chunk_size: int = 4096, batch_method: str = "auto") -> None:
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
        return 1.0 - (self.title_weight + self.bonus_major + self.bonus_city * (1.0 + self.city_focus)
                      + self.bonus_industry + self.bonus_salary)

    def _check_params(self) -> None:
        get_analyzer(self.analyzer)
        bonuses = [self.title_weight, self.bonus_major, self.bonus_city, self.bonus_industry, self.bonus_salary]
        if any(b < 0 for b in bonuses) or self.city_focus < 0 or self.text_weight <= 0:
            raise ValueError("title_weight and the rule bonuses must be >= 0 and sum to less than 1")
        if not 0 < self.max_df <= 1:
            raise ValueError("max_df must be in (0, 1]")
        if self.batch_method not in _BATCH_METHODS:
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

    def _counts(self, records: Sequence[Any], weights: list[tuple[str, float]],
                vocab: Mapping[str, int] | dict[str, int], grow: bool) -> sp.csr_matrix:
        """Weighted term counts, one row per record (``grow`` adds unseen terms to ``vocab``).

        Token ids are looked up with list comprehensions and the counts summed by scipy (COO to
        CSR adds duplicates), which keeps the per-token Python work to one dict lookup.
        """
        an = self.analyzer
        fields = _fields(records, weights)
        if an == "char12" and not grow:
            return _char12_counts(fields, len(records), vocab, self._char12_lookups(vocab))
        ids: list[int] = []
        field_rows: list[int] = []
        field_weights: list[float] = []
        field_sizes: list[int] = []
        get = vocab.get
        seen: dict[str, list[int]] = {}  # texts repeat across records (shared titles, boilerplate)
        for r, w, text in fields:
            got = seen.get(text)
            if got is None:
                toks = _analyze_cached(an, text) if len(text) <= 64 else get_analyzer(an)(text)
                if grow:
                    got = [vocab.setdefault(tok, len(vocab)) for tok in toks]  # type: ignore[union-attr]
                else:
                    got = [get(tok, -1) for tok in toks]
                seen[text] = got
            ids.extend(got)
            field_rows.append(r)
            field_weights.append(w)
            field_sizes.append(len(got))
        return _count_matrix(np.repeat(np.asarray(field_rows, dtype=np.int64), field_sizes),
                             np.asarray(ids, dtype=np.int64),
                             np.repeat(np.asarray(field_weights, dtype=np.float64), field_sizes),
                             (len(records), len(vocab)))

    def _char12_lookups(self, vocab: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`_char12_lookup_arrays` of ``vocab``, kept until the vocabulary changes (a refit
        builds a new dict; it never changes size otherwise)."""
        got = self.__dict__.get("_c12")
        if got is None or got[0] is not vocab or got[1] != len(vocab):
            got = self._c12 = (vocab, len(vocab), _char12_lookup_arrays(vocab))
        return got[2]

    def _tfidf(self, counts: sp.csr_matrix, scale: float) -> sp.csr_matrix:
        x = counts.copy()
        if x.shape[1] == 0:
            return x
        x.data = np.log1p(x.data) * self.idf_[x.indices]
        x = l2_normalize(x, norm="l2", copy=False)
        if scale != 1.0:
            x.data *= scale
        return x

    def _rule_matrix(self, feats: list[list[tuple[str, float]]], grow: bool) -> sp.csr_matrix:
        off = 2 * len(self.vocabulary_)
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        rv = self.rule_vocabulary_
        for row in feats:
            for key, val in row:
                j = rv.get(key)
                if j is None:
                    if not grow:
                        continue
                    j = rv[key] = len(rv)
                indices.append(off + j)
                data.append(val)
            indptr.append(len(indices))
        return sp.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                              np.asarray(indptr, dtype=np.int64)), shape=(len(feats), self.n_features_))

    def _resize(self, m: sp.csr_matrix) -> sp.csr_matrix:
        if m.shape[1] == self.n_features_:
            return m
        return sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], self.n_features_))

    def _combine(self, text: sp.csr_matrix, title: sp.csr_matrix, rulem: sp.csr_matrix) -> sp.csr_matrix:
        nv, nf = len(self.vocabulary_), self.n_features_
        title = sp.csr_matrix((title.data, title.indices + nv, title.indptr), shape=(title.shape[0], nf))
        text = sp.csr_matrix((text.data, text.indices, text.indptr), shape=(text.shape[0], nf))
        out = (text + title + self._resize(rulem)).tocsr()
        out.sort_indices()
        return out

    def _transform_postings(self, postings: Sequence[Posting], grow: bool) -> sp.csr_matrix:
        text = self._tfidf(self._counts(postings, self._pw(), self.vocabulary_, grow=False), 1.0)
        title = self._tfidf(self._counts(postings, list(POSTING_TITLE_FIELDS.items()), self.vocabulary_,
                                         grow=False), 1.0)
        rulem = self._rule_matrix([R.posting_features(p) for p in postings], grow)
        return self._combine(text, title, rulem)

    def _transform_intentions(self, intentions: Sequence[Intention], grow: bool) -> sp.csr_matrix:
        text = self._tfidf(self._counts(intentions, self._iw(), self.vocabulary_, grow=False), self.text_weight)
        title = self._tfidf(self._counts(intentions, list(INTENTION_TITLE_FIELDS.items()), self.vocabulary_,
                                         grow=False), self.title_weight)
        b = (self.bonus_major, self.bonus_city, self.bonus_industry, self.city_focus)
        rulem = self._rule_matrix([R.intention_features(i, *b) for i in intentions], grow)
        return self._combine(text, title, rulem)

    def _reindex(self) -> None:
        """Recompute derived state after the posting/intention matrices changed."""
        self.P_ = self._resize(self.P_)
        self.PT_ = self.P_.T.tocsr()
        self.PT_.sort_indices()
        self._posting_index = {pid: k for k, pid in enumerate(self.posting_ids_)}
        self.I_ = self._resize(self.I_)
        self.IT_ = self.I_.T.tocsr()
        self._intention_index = {iid: k for k, iid in enumerate(self.intention_ids_)}
        self.plevel_ = np.array([R.posting_level(p) for p in self.postings_], dtype=np.int8)
        self.psal_ = np.array([-1.0 if R.posting_salary(p) is None else float(R.posting_salary(p))
                               for p in self.postings_])
        self.ilevel_ = np.array([R.intention_level(i) for i in self.intentions_], dtype=np.int8)
        self.iexp_ = np.array([math.inf if i.salary_expectation is None else float(i.salary_expectation)
                               for i in self.intentions_])
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
        recs = _dedupe(coerce(postings, Posting))
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
        self.P_ = self._transform_postings(recs, grow=True)
        self.intentions_: list[Intention] = []
        self.intention_ids_: list[str] = []
        self.I_ = sp.csr_matrix((0, self.n_features_))
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
        recs = _dedupe(coerce(postings, Posting))
        if not recs:
            return self
        self._drop_postings({p.id for p in recs})
        new = self._transform_postings(recs, grow=True)
        self.P_ = sp.vstack([self._resize(self.P_), new], format="csr")
        self.postings_ = self.postings_ + recs
        self.posting_ids_ = self.posting_ids_ + [p.id for p in recs]
        self._reindex()
        return self

    def _drop_postings(self, ids: set[str]) -> None:
        keep = [k for k, pid in enumerate(self.posting_ids_) if pid not in ids]
        if len(keep) == len(self.posting_ids_):
            return
        self.P_ = self.P_[keep]
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
        self.I_ = sp.csr_matrix((0, self.n_features_))
        return self.add_intentions(intentions)

    def add_intentions(self, intentions: Iterable[Intention | Mapping[str, Any]]) -> "Matcher":
        """Index more intentions (same id replaces) for :meth:`rank_intentions`."""
        self._check_fitted()
        recs = _dedupe(coerce(intentions, Intention))
        if not recs:
            self._reindex()
            return self
        self._drop_intentions({i.id for i in recs})
        new = self._transform_intentions(recs, grow=True)
        self.I_ = sp.vstack([self._resize(self.I_), new], format="csr")
        self.intentions_ = self.intentions_ + recs
        self.intention_ids_ = self.intention_ids_ + [i.id for i in recs]
        self._reindex()
        return self

    def _drop_intentions(self, ids: set[str]) -> None:
        keep = [k for k, iid in enumerate(self.intention_ids_) if iid not in ids]
        if len(keep) == len(self.intention_ids_):
            return
        self.I_ = self.I_[keep]
        self.intentions_ = [self.intentions_[k] for k in keep]
        self.intention_ids_ = [self.intention_ids_[k] for k in keep]

    def remove_intentions(self, ids: Iterable[str | int]) -> "Matcher":
        """Remove indexed intentions by id (unknown ids are ignored)."""
        self._check_fitted()
        self._drop_intentions({str(x) for x in ids})
        self._reindex()
        return self

    # ------------------------------------------------------------------ masks
    def posting_mask(self, ids: Iterable[str | int]) -> np.ndarray:
        """Boolean mask over the posting index for ``ids``; reusable as ``allowed``."""
        self._check_fitted()
        return _mask(self._posting_index, ids, len(self.posting_ids_))

    def intention_mask(self, ids: Iterable[str | int]) -> np.ndarray:
        """Boolean mask over the intention index for ``ids``; reusable as ``allowed``."""
        self._check_fitted()
        return _mask(self._intention_index, ids, len(self.intention_ids_))

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
        return round(max(s, 0.0), _TIE_DECIMALS)

    def _forward_scores(self, q: sp.csr_matrix, i: Intention, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Every eligible posting with a positive score for one transformed intention."""
        n = len(self.posting_ids_)
        row = q @ self.PT_  # (1, n) sparse; cost = sum of posting frequencies of the query's features
        s = np.zeros(n)
        s[row.indices] = row.data
        e = i.salary_expectation
        if e is not None and self.bonus_salary:
            s += self.bonus_salary * (self.psal_ >= e)
        np.round(s, _TIE_DECIMALS, out=s)
        keep = (s > 0) & (self.plevel_ <= R.intention_level(i))
        if mask is not None:
            keep &= mask
        idx = np.flatnonzero(keep)
        return idx, s[idx]

    def rank(self, intention: Intention | Mapping[str, Any], top_k: int | None = 10,
             allowed: Iterable[str] | np.ndarray | None = None, explain: bool = True) -> list[Match]:
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
        order, scores = _top(*self._forward_scores(q, i, mask), top_k)
        return self._matches(i, _row(q, 0), order, scores, explain)

    def rank_intentions(self, posting: Posting | Mapping[str, Any], top_k: int | None = 10,
                        allowed: Iterable[str] | np.ndarray | None = None, explain: bool = True) -> list[Match]:
        """Rank the indexed intentions (:meth:`fit_intentions`) for one posting.

        Same contract as :meth:`rank` in the other direction; ``allowed`` holds intention ids.
        """
        self._check_fitted()
        p = coerce([posting], Posting)[0]
        v = self._transform_postings([p], grow=False)
        n = len(self.intention_ids_)
        row = v @ self.IT_
        s = np.zeros(n)
        s[row.indices] = row.data
        sal = R.posting_salary(p)
        if sal is not None and self.bonus_salary:
            s += self.bonus_salary * (self.iexp_ <= sal)
        np.round(s, _TIE_DECIMALS, out=s)
        keep = (s > 0) & (self.ilevel_ >= R.posting_level(p))
        mask = self._allowed(allowed, self._intention_index, n)
        if mask is not None:
            keep &= mask
        idx = np.flatnonzero(keep)
        order, scores = _top(idx, s[idx], top_k)
        return self._matches_rev(p, _row(v, 0), order, scores, explain)

    @staticmethod
    def _allowed(allowed: Any, index: Mapping[str, int], n: int) -> np.ndarray | None:
        if allowed is None:
            return None
        if isinstance(allowed, np.ndarray) and allowed.dtype == bool:
            if allowed.shape != (n,):
                raise ValueError(f"allowed mask must have shape ({n},)")
            return allowed
        return _mask(index, allowed, n)

    # ------------------------------------------------------------------ batch
    def rank_batch(self, intentions: Iterable[Intention | Mapping[str, Any]], top_k: int | None = 10,
                   allowed: Iterable[str] | np.ndarray | None = None, explain: bool = True,
                   method: str | None = None) -> dict[str, list[Match]]:
        """Exact top-k postings for many intentions, in chunks, on ``n_jobs`` threads.

        Results are identical to calling :meth:`rank` for each intention (ties included).

        Parameters
        ----------
        intentions : iterable of Intention or dict
        top_k, allowed, explain
            As in :meth:`rank`.
        method : {"auto", "bound", "topn", "dense"}, optional
            Overrides ``batch_method``.

        Returns
        -------
        dict of str to list of Match
            Keyed by intention id, in input order.
        """
        self._check_fitted()
        recs = _dedupe(coerce(intentions, Intention))
        mask = self._allowed(allowed, self._posting_index, len(self.posting_ids_))
        got: dict[str, list[Match]] = {}
        for chunk, q, rows in self._batch(recs, top_k, mask, method):
            for r, (i, (order, scores)) in enumerate(zip(chunk, rows)):
                got[i.id] = self._matches(i, _row(q, r), order, scores, explain)
        return {i.id: got[i.id] for i in recs}

    def rank_intentions_batch(self, postings: Iterable[Posting | Mapping[str, Any]], top_k: int | None = 10,
                              allowed: Iterable[str] | np.ndarray | None = None,
                              explain: bool = True) -> dict[str, list[Match]]:
        """Exact top-k indexed intentions for many postings (one :meth:`rank_intentions` each)."""
        self._check_fitted()
        recs = _dedupe(coerce(postings, Posting))
        mask = self._allowed(allowed, self._intention_index, len(self.intention_ids_))
        return {p.id: self.rank_intentions(p, top_k=top_k, allowed=mask, explain=explain) for p in recs}

    def topk_ids(self, intentions: Iterable[Intention | Mapping[str, Any]], top_k: int = 10,
                 method: str | None = None) -> Iterator[tuple[list[str], np.ndarray, np.ndarray]]:
        """Low-level batch: yield (intention ids, index array, score array) per chunk.

        Index and score arrays have shape (chunk, top_k); missing results are -1 / 0.  Chunks may
        come grouped (by degree, by salary expectation), not in input order.  No Match objects are
        built.
        """
        self._check_fitted()
        recs = coerce(intentions, Intention)
        for chunk, q, rows in self._batch(recs, top_k, None, method):
            idx = np.full((len(chunk), top_k), -1, dtype=np.int64)
            val = np.zeros((len(chunk), top_k))
            for r, (order, scores) in enumerate(rows):
                idx[r, :len(order)] = order
                val[r, :len(scores)] = scores
            yield [i.id for i in chunk], idx, val

    def _pipelined(self, jobs: Iterable[tuple]) -> Iterator[tuple[list[Intention], sp.csr_matrix, list]]:
        """For each ``(chunk, product, *args)`` of ``jobs``: transform the chunk (Python, holds the
        GIL) on this thread while the previous chunk's ``product(q, chunk, *args)`` runs on a
        worker; yield ``(chunk, q, rows)`` in order."""
        with ThreadPoolExecutor(max_workers=1) as ex:
            pending = None
            for chunk, product, *args in jobs:
                q = self._transform_intentions(chunk, False)
                fut = ex.submit(product, q, chunk, *args)
                if pending is not None:
                    yield pending[0], pending[1], pending[2].result()
                pending = (chunk, q, fut)
            if pending is not None:
                yield pending[0], pending[1], pending[2].result()

    def _settle(self, idx: np.ndarray, val: np.ndarray, k: int, qrow: sp.csr_matrix, rec: Intention,
                mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The best ``k`` of candidates (``val`` already rounded) by (score desc, index asc); when
        the k-th and (k+1)-th scores tie, the single-query path decides, as :meth:`rank` does."""
        keep = val > 0
        idx, val = idx[keep], val[keep]
        order = np.lexsort((idx, -val))
        idx, val = idx[order], val[order]
        if len(val) > k and val[k - 1] == val[k]:
            return _top(*self._forward_scores(qrow, rec, mask), k)
        return idx[:k].astype(np.int64), val[:k]

    def _batch(self, recs: list[Intention], top_k: int | None, mask: np.ndarray | None, method: str | None):
        """Exact batch top-k.

        Intentions are grouped by (degree level, salary expectation).  Within a group the eligible
        postings split into those meeting the expectation (they get ``bonus_salary``) and the
        rest; each part's top-(k+1) comes from one sparse top-n product of the chunk's vectors with
        that part's posting matrix, the two lists are merged, and a row whose k-th and (k+1)-th
        scores tie is settled by the single-query path so ties break exactly as in :meth:`rank`.
        """
        method = method or self.batch_method
        if method not in _BATCH_METHODS:
            raise ValueError("method must be 'auto', 'bound', 'topn' or 'dense'")
        n = len(self.posting_ids_)
        k = n if top_k is None else max(int(top_k), 0)
        size = max(int(self.chunk_size), 1)
        if k == 0 or n == 0:
            for c in _chunks(recs, size):
                yield c, self._transform_intentions(c, False), [(np.empty(0, np.int64), np.empty(0))] * len(c)
            return
        if method == "auto":
            big = len(recs) >= _BOUND_MIN_BATCH and k <= _BOUND_MAX_K
            method = "bound" if (big and bound.available()) else ("topn" if _have_topn() else "dense")
        if method == "bound":
            if not bound.available():
                raise ValueError("batch method 'bound' needs numba, which is not installed")
            if k <= _BOUND_MAX_K:
                yield from self._batch_bound(recs, k, mask, size)
                return
            method = "topn" if _have_topn() else "dense"  # a whole ranking: nothing to skip
        top_fn = _topn_rows if method == "topn" else _dense_rows
        thresholds = sorted({float(i.salary_expectation) for i in recs if i.salary_expectation is not None})
        if self.bonus_salary and len(thresholds) <= _MAX_SALARY_FEATURES:
            yield from self._batch_by_level(recs, k, mask, top_fn, np.array(thresholds, dtype=float), size)
            return
        groups: dict[tuple[int, float], list[Intention]] = {}
        for i in recs:
            e = i.salary_expectation
            key = (R.intention_level(i), float(e) if (e is not None and self.bonus_salary) else math.inf)
            groups.setdefault(key, []).append(i)

        def parts_for(g: int, e: float) -> list[tuple[np.ndarray, float, sp.csr_matrix]]:
            elig = self.plevel_ <= g
            if mask is not None:
                elig = elig & mask
            meets = self.psal_ >= e
            out = []
            for sel, bonus in ((elig & meets, self.bonus_salary), (elig & ~meets, 0.0)):
                cols = np.flatnonzero(sel)
                if len(cols):
                    out.append((cols, bonus, self.P_[cols].T.tocsr()))
            return out

        def product(q: sp.csr_matrix, chunk: list[Intention], parts) -> list[tuple[np.ndarray, np.ndarray]]:
            per = [top_fn(q, T, min(k + 1, T.shape[1]), self.n_jobs) for _, _, T in parts]
            rows = []
            for r in range(q.shape[0]):
                idx_l, val_l = [], []
                for (cols, bonus, _), res in zip(parts, per):
                    ix, vx = res[r]
                    idx_l.append(cols[ix])
                    val_l.append(np.round(vx + bonus, _TIE_DECIMALS))
                idx = np.concatenate(idx_l) if idx_l else np.empty(0, np.int64)
                val = np.concatenate(val_l) if val_l else np.empty(0)
                # a salary-meeting posting with no shared feature still scores bonus_salary
                if len(parts) and parts[0][1] and len(per[0][r][0]) < min(k + 1, len(parts[0][0])):
                    rows.append(_top(*self._forward_scores(q[r], chunk[r], mask), k))
                else:
                    rows.append(self._settle(idx, val, k, q[r], chunk[r], mask))
            return rows

        def jobs():
            for (g, e), members in sorted(groups.items()):
                parts = parts_for(g, e)
                for chunk in _chunks(members, size):
                    yield chunk, product, parts

        yield from self._pipelined(jobs())

    def _batch_by_level(self, recs: list[Intention], k: int, mask: np.ndarray | None, top_fn,
                        thresholds: np.ndarray, size: int):
        """Exact batch top-k with the salary rule folded into the product.

        The 薪资匹配 bonus becomes features: a posting has a 1 in column ``t`` for every distinct
        expectation ``thresholds[t]`` its salary meets, an intention has ``bonus_salary`` in the
        column of its own expectation, so ``q · p`` is the text-and-rules score plus the salary
        bonus exactly when the rule fires.  Intentions are then grouped by degree level only (at
        most four transposed posting matrices instead of one pair per (degree, expectation)),
        which keeps the chunks large and the two cores busy.  Rows whose k-th and (k+1)-th scores
        tie are settled by the single-query path, as in the grouped method.
        """
        nf = self.P_.shape[1]
        nt = len(thresholds)
        pmatrix = self.P_
        if nt:
            meets = self.psal_[:, None] >= thresholds[None, :]
            pmatrix = sp.hstack([self.P_, sp.csr_matrix(meets.astype(self.P_.dtype))], format="csr")
        column = {float(v): nf + j for j, v in enumerate(thresholds)}
        levels: dict[int, list[Intention]] = {}
        for i in recs:
            levels.setdefault(R.intention_level(i), []).append(i)

        def matrix_for(g: int):
            elig = self.plevel_ <= g
            if mask is not None:
                elig = elig & mask
            cols = np.flatnonzero(elig)
            return cols, (pmatrix[cols].T.tocsr() if len(cols) else None)

        def product(q: sp.csr_matrix, chunk: list[Intention], cols: np.ndarray, T) -> list:
            empty = (np.empty(0, np.int64), np.empty(0))
            if T is None:
                return [empty] * len(chunk)
            if nt:
                r_idx, c_idx = [], []
                for r, i in enumerate(chunk):
                    if i.salary_expectation is not None:
                        r_idx.append(r)
                        c_idx.append(column[float(i.salary_expectation)] - nf)
                extra = sp.csr_matrix((np.full(len(r_idx), self.bonus_salary, dtype=q.dtype), (r_idx, c_idx)),
                                      shape=(q.shape[0], nt))
                q = sp.hstack([q, extra], format="csr")
            res = top_fn(q, T, min(k + 1, T.shape[1]), self.n_jobs)
            return [self._settle(cols[ix], np.round(vx, _TIE_DECIMALS), k, q[r, :nf] if nt else q[r], chunk[r], mask)
                    for r, (ix, vx) in enumerate(res)]

        def jobs():
            for g, members in sorted(levels.items()):
                cols, T = matrix_for(g)
                for chunk in _chunks(members, size):
                    yield chunk, product, cols, T

        yield from self._pipelined(jobs())

    def _batch_bound(self, recs: list[Intention], k: int, mask: np.ndarray | None, size: int):
        """Exact batch top-k with the block-bound kernel of :mod:`matching.bound`.

        The kernel returns each intention's best ``k + 1`` postings; scores are rounded, ordered
        by (score desc, index asc) and a row whose k-th and (k+1)-th scores tie is settled by the
        single-query path, so results are identical to :meth:`rank`.  Chunks keep the input
        order: transforming chunk c+1 (Python, main thread) overlaps the kernel on chunk c
        (``n_jobs`` threads, without the GIL).
        """
        titles = [p.title or "" for p in self.postings_]
        industries = [p.industry or "" for p in self.postings_]
        index = bound.build_index(self.P_, self.plevel_, self.psal_, order=np.lexsort((industries, titles)))
        k1 = k + 1

        def product(q: sp.csr_matrix, chunk: list[Intention]) -> list[tuple[np.ndarray, np.ndarray]]:
            levels = np.array([R.intention_level(i) for i in chunk], dtype=np.int64)
            exps = np.array([math.inf if (i.salary_expectation is None or not self.bonus_salary)
                             else float(i.salary_expectation) for i in chunk])
            idx, val = bound.topk(index, q, levels, exps, mask, self.bonus_salary, k1, self.n_jobs)
            val = np.round(val, _TIE_DECIMALS)
            val[idx < 0] = 0.0
            pos = val > 0
            order = np.lexsort((np.where(pos, idx, np.iinfo(np.int64).max), -val), axis=-1)
            idx = np.take_along_axis(idx, order, axis=1)
            val = np.take_along_axis(val, order, axis=1)
            count = (val > 0).sum(axis=1)
            # _settle, vectorised over the chunk (the kernel already returns k + 1 per row)
            tie = (count > k) & (val[:, k - 1] == val[:, k])
            rows = []
            for r in range(len(chunk)):
                if tie[r]:
                    rows.append(_top(*self._forward_scores(q[r], chunk[r], mask), k))
                else:
                    c = min(int(count[r]), k)
                    rows.append((idx[r, :c], val[r, :c]))
            return rows

        yield from self._pipelined((chunk, product) for chunk in _chunks(recs, size))

    # ------------------------------------------------------------------ explanations
    def _matches(self, i: Intention, q: tuple[np.ndarray, np.ndarray], order: np.ndarray, scores: np.ndarray,
                 explain: bool) -> list[Match]:
        """Matches of intention ``i`` (vector ``q`` as (indices, values)) with indexed postings ``order``."""
        postings = [self.postings_[int(k)] for k in order]
        if not explain:
            return [Match(posting_id=p.id, intention_id=i.id, score=float(s)) for p, s in zip(postings, scores)]
        ex = self._explainer
        terms = ex.cached_terms(i, order)
        missing = [n for n, t in enumerate(terms) if t is None]
        if missing:
            iwords = record_words(i, INTENTION_WORD_FIELDS)
            got = ex.shared_terms([(q, _row(self.P_, int(order[n])), iwords,
                                    ex.indexed_words("posting", int(order[n]), postings[n])) for n in missing])
            ex.keep_terms(i, [int(order[n]) for n in missing], got)
            for n, t in zip(missing, got):
                terms[n] = t
        return [ex.match(i, p, float(s), t) for p, s, t in zip(postings, scores, terms)]

    def _matches_rev(self, p: Posting, v: tuple[np.ndarray, np.ndarray], order: np.ndarray, scores: np.ndarray,
                     explain: bool) -> list[Match]:
        """Matches of posting ``p`` (vector ``v``) with indexed intentions ``order``."""
        intentions = [self.intentions_[int(k)] for k in order]
        if not explain:
            return [Match(posting_id=p.id, intention_id=i.id, score=float(s)) for i, s in zip(intentions, scores)]
        ex = self._explainer
        pwords = record_words(p, POSTING_WORD_FIELDS)
        terms = ex.shared_terms([(_row(self.I_, int(k)), v, ex.indexed_words("intention", int(k), i), pwords)
                                 for k, i in zip(order, intentions)])
        return [ex.match(i, p, float(s), t) for i, s, t in zip(intentions, scores, terms)]

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the fitted matcher to one file (a zip archive; see docs/matching.md).

        The archive holds ``meta.json`` (format name, version, parameters, vocabularies),
        ``postings.jsonl`` and ``intentions.jsonl`` (the records, for explanations) and
        ``arrays.npz`` (IDF and the sparse matrices; no pickles).
        """
        self._check_fitted()
        params = self.get_params()
        meta = {
            "format": FORMAT_NAME, "version": FORMAT_VERSION, "params": params,
            "fingerprint": self.fingerprint_,
            "vocabulary": sorted(self.vocabulary_, key=self.vocabulary_.__getitem__),
            "rule_vocabulary": sorted(self.rule_vocabulary_, key=self.rule_vocabulary_.__getitem__),
        }
        arrays = io.BytesIO()
        np.savez(arrays, idf=self.idf_, P_data=self.P_.data, P_indices=self.P_.indices,
                 P_indptr=self.P_.indptr, I_data=self.I_.data, I_indices=self.I_.indices,
                 I_indptr=self.I_.indptr)
        tmp = f"{os.fspath(path)}.tmp"
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("meta.json", json.dumps(meta, ensure_ascii=False))
            z.writestr("postings.jsonl", "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n"
                                                 for p in self.postings_))
            z.writestr("intentions.jsonl", "".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n"
                                                   for i in self.intentions_))
            z.writestr("arrays.npz", arrays.getvalue())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Matcher":
        """Load a matcher saved by :meth:`save`.

        Raises
        ------
        FormatError
            If the file is not a matcher index, or has a version this library does not read, or
            was built with a different analyzer dictionary.
        """
        try:
            z = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FormatError(f"{path}: not a matching index (not a zip archive)") from None
        with z:
            try:
                meta = json.loads(z.read("meta.json"))
            except KeyError:
                raise FormatError(f"{path}: not a matching index (no meta.json)") from None
            if meta.get("format") != FORMAT_NAME:
                raise FormatError(f"{path}: not a matching index (format {meta.get('format')!r})")
            if meta.get("version") != FORMAT_VERSION:
                raise FormatError(
                    f"{path}: index format version {meta.get('version')!r} is not supported "
                    f"(this library reads version {FORMAT_VERSION}); refit and save again")
            m = cls(**meta["params"])
            if meta.get("fingerprint") != _analyzer_fingerprint(m.analyzer):
                raise FormatError(f"{path}: built with a different analyzer/dictionary; refit and save again")
            arr = np.load(io.BytesIO(z.read("arrays.npz")), allow_pickle=False)
            postings = [Posting.from_dict(json.loads(x)) for x in z.read("postings.jsonl").decode().splitlines() if x]
            intentions = [Intention.from_dict(json.loads(x))
                          for x in z.read("intentions.jsonl").decode().splitlines() if x]
        m.vocabulary_ = {t: k for k, t in enumerate(meta["vocabulary"])}
        m.rule_vocabulary_ = {t: k for k, t in enumerate(meta["rule_vocabulary"])}
        m.idf_ = arr["idf"]
        m.fingerprint_ = meta["fingerprint"]
        nf = m.n_features_
        m.P_ = sp.csr_matrix((arr["P_data"], arr["P_indices"], arr["P_indptr"]), shape=(len(postings), nf))
        m.I_ = sp.csr_matrix((arr["I_data"], arr["I_indices"], arr["I_indptr"]), shape=(len(intentions), nf))
        m.postings_ = postings
        m.posting_ids_ = [p.id for p in postings]
        m.intentions_ = intentions
        m.intention_ids_ = [i.id for i in intentions]
        m._reindex()
        return m


# ---------------------------------------------------------------------- module helpers
#: Codepoints below 128 that belong to Latin/digit runs.
_LATIN_ASCII = np.zeros(128, dtype=bool)
_LATIN_ASCII[[ord(c) for c in LATIN_CHARS]] = True


def _row(m: sp.csr_matrix, r: int) -> tuple[np.ndarray, np.ndarray]:
    """(sorted indices, values) of row ``r`` of a CSR matrix with sorted indices, as views."""
    lo, hi = m.indptr[r], m.indptr[r + 1]
    return m.indices[lo:hi], m.data[lo:hi]


def _chunks(seq: Sequence[Any], size: int) -> Iterator[Any]:
    return (seq[s:s + size] for s in range(0, len(seq), size))


def _fields(records: Sequence[Any], weights: list[tuple[str, float]]) -> Iterator[tuple[int, float, str]]:
    """(record row, field weight, text) of every non-empty weighted field."""
    for r, rec in enumerate(records):
        for name, w in weights:
            text = join_field(getattr(rec, name, None))
            if text:
                yield r, w, text


def _count_matrix(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """CSR term counts from one entry per token occurrence (duplicates summed; ``cols`` < 0 dropped)."""
    keep = cols >= 0
    m = sp.coo_matrix((data[keep], (rows[keep], cols[keep])), shape=shape).tocsr()
    m.sum_duplicates()
    m.indices = m.indices.astype(np.int32, copy=False)
    return m


def _char12_lookup_arrays(vocab: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Array lookups for a fitted char12 vocabulary: codepoint -> unigram id, and the sorted keys
    (``cp1 << 21 | cp2``) and ids of the bigrams."""
    uni_cp, uni_id, bi_key, bi_id = [], [], [], []
    for tok, j in vocab.items():
        if LATIN_RUN.fullmatch(tok):
            continue
        if len(tok) == 1:
            uni_cp.append(ord(tok))
            uni_id.append(j)
        elif len(tok) == 2:
            bi_key.append(ord(tok[0]) << 21 | ord(tok[1]))
            bi_id.append(j)
    lut = np.full((max(uni_cp) + 1) if uni_cp else 1, -1, dtype=np.int64)
    lut[np.asarray(uni_cp, dtype=np.int64)] = np.asarray(uni_id, dtype=np.int64)
    order = np.argsort(np.asarray(bi_key, dtype=np.int64))
    return lut, np.asarray(bi_key, dtype=np.int64)[order], np.asarray(bi_id, dtype=np.int64)[order]


def _char12_counts(fields: Iterable[tuple[int, float, str]], n_rows: int, vocab: Mapping[str, int],
                   lookups: tuple[np.ndarray, np.ndarray, np.ndarray]) -> sp.csr_matrix:
    """Weighted char12 term counts against a fixed vocabulary, vectorised.

    Same counts as running the ``"char12"`` analyzer on every field (the tests compare both):
    after :func:`matching.text.normalize` a text holds Latin runs (whole tokens), spaces, and
    other characters, each of which is a unigram (single-character stop words are never in the
    vocabulary) and each adjacent pair of which is a bigram.  The texts are normalised in one call
    (:func:`matching.text.normalize_lines`) and looked up as codepoint arrays, so the per-token
    Python work disappears.
    """
    rows_l: list[int] = []
    wts_l: list[float] = []
    texts: list[str] = []
    for r, w, t in fields:
        rows_l.append(r)
        wts_l.append(w)
        texts.append(t)
    shape = (n_rows, len(vocab))
    if not texts:
        return sp.csr_matrix(shape, dtype=np.float64)
    lut, bi_keys, bi_ids = lookups
    joined = normalize_lines(texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    newline = cps == 10
    text_of = np.cumsum(newline) - newline
    latin = (cps < 128) & _LATIN_ASCII[np.minimum(cps, 127)]
    other = ~latin & (cps != 32) & ~newline
    cols_parts, text_parts = [], []
    pos = np.flatnonzero(other)
    cp = cps[pos]
    cols_parts.append(np.where(cp < len(lut), lut[np.minimum(cp, len(lut) - 1)], -1))
    text_parts.append(text_of[pos])
    pos = np.flatnonzero(other[:-1] & other[1:])
    keys = cps[pos] << 21 | cps[pos + 1]
    if len(bi_keys):
        at = np.minimum(np.searchsorted(bi_keys, keys), len(bi_keys) - 1)
        cols_parts.append(np.where(bi_keys[at] == keys, bi_ids[at], -1))
    else:
        cols_parts.append(np.full(len(keys), -1, dtype=np.int64))
    text_parts.append(text_of[pos])
    get = vocab.get
    lat = [(m.start(), get(m.group(), -1)) for m in LATIN_RUN.finditer(joined)]
    if lat:
        starts, ids = zip(*lat)
        cols_parts.append(np.asarray(ids, dtype=np.int64))
        text_parts.append(text_of[np.asarray(starts, dtype=np.int64)])
    tix = np.concatenate(text_parts)
    return _count_matrix(np.asarray(rows_l, dtype=np.int64)[tix], np.concatenate(cols_parts),
                         np.asarray(wts_l, dtype=np.float64)[tix], shape)


def _dedupe(recs: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for r in recs:
        seen.pop(r.id, None)
        seen[r.id] = r
    return list(seen.values())


def _mask(index: Mapping[str, int], ids: Iterable[Any], n: int) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    pos = [index[s] for s in (str(x) for x in ids) if s in index]
    if pos:
        m[np.asarray(pos, dtype=np.int64)] = True
    return m


def _top(idx: np.ndarray, val: np.ndarray, top_k: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Best first by (score desc, index asc), exact."""
    if top_k is not None and len(val) > top_k:
        if top_k <= 0:
            return idx[:0], val[:0]
        kth = np.partition(val, len(val) - top_k)[len(val) - top_k]
        sel = val >= kth  # keeps every tie of the k-th score; the sort settles them
        idx, val = idx[sel], val[sel]
    order = np.lexsort((idx, -val))
    if top_k is not None:
        order = order[:top_k]
    return idx[order].astype(np.int64), val[order]


def _have_topn() -> bool:
    try:
        import sparse_dot_topn  # noqa: F401
    except ImportError:
        return False
    return True


def _topn_rows(q: sp.csr_matrix, T: sp.csr_matrix, k: int, n_jobs: int):
    """Per row of ``q @ T``: the top-k positive (index, value) pairs, via sparse_dot_topn."""
    from sparse_dot_topn import sp_matmul_topn

    c = sp_matmul_topn(q, T, top_n=k, threshold=0.0, sort=True,
                       n_threads=n_jobs if n_jobs and n_jobs > 1 else None)
    return [(c.indices[c.indptr[r]:c.indptr[r + 1]].astype(np.int64), c.data[c.indptr[r]:c.indptr[r + 1]])
            for r in range(c.shape[0])]


def _dense_rows(q: sp.csr_matrix, T: sp.csr_matrix, k: int, n_jobs: int):
    """Same as :func:`_topn_rows` with scipy's sparse product, a dense block and argpartition."""
    def part(lo: int, hi: int):
        s = (q[lo:hi] @ T).toarray()
        out = []
        for r in range(s.shape[0]):
            row = s[r]
            kk = min(k, row.shape[0])
            cand = np.argpartition(-row, kk - 1)[:kk] if kk < row.shape[0] else np.arange(row.shape[0])
            val = row[cand]
            keep = val > 0
            out.append((cand[keep].astype(np.int64), val[keep]))
        return out

    n = q.shape[0]
    step = 256
    bounds = [(lo, min(lo + step, n)) for lo in range(0, n, step)]
    if n_jobs and n_jobs > 1 and len(bounds) > 1:
        with ThreadPoolExecutor(max_workers=n_jobs) as ex:
            parts = list(ex.map(lambda b: part(*b), bounds))
    else:
        parts = [part(*b) for b in bounds]
    return [row for p in parts for row in p]
