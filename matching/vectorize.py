"""Fitting and transforming: records become weighted term counts, TF-IDF vectors and rule features.

A record's vector is ``[whole text | title or positions | rule features]``: the two text blocks
share the vocabulary and IDF learnt on the postings (the second block holds the
positions-to-title similarity, weighted by ``title_weight``), and the rule features make the
major, city and industry bonuses part of the same dot product (:mod:`matching.rules`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize as l2_normalize

from . import rules as R
from .explain import join_field
from .records import Intention, Posting
from .text import DOMAIN_TERMS, LATIN_CHARS, LATIN_RUN, get_analyzer, normalize_lines

#: Field weights of postings (weighted term counts before the sublinear tf and IDF).
DEFAULT_POSTING_WEIGHTS: dict[str, float] = {
    "title": 2.0,
    "industry": 1.0,
    "majors": 1.0,
    "description": 1.0,
    "employer": 1.0,
}
#: Field weights of intentions.
DEFAULT_INTENTION_WEIGHTS: dict[str, float] = {
    "positions": 2.0,
    "skills": 1.0,
    "industries": 1.0,
    "major": 1.0,
    "statement": 1.0,
}
#: The fields compared by the positions-to-title similarity (``title_weight``).
POSTING_TITLE_FIELDS: dict[str, float] = {"title": 1.0}
INTENTION_TITLE_FIELDS: dict[str, float] = {"positions": 1.0}
#: Uniform field weights (the "plain" configuration of the analyzer comparison).
PLAIN_POSTING_WEIGHTS: dict[str, float] = {k: 1.0 for k in DEFAULT_POSTING_WEIGHTS}
PLAIN_INTENTION_WEIGHTS: dict[str, float] = {k: 1.0 for k in DEFAULT_INTENTION_WEIGHTS}


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


class VectorizerMixin:
    """Counting and transforming for :class:`matching.Matcher` (uses its parameters and fitted vocabulary)."""

    def _counts(
        self,
        records: Sequence[Any],
        weights: list[tuple[str, float]],
        vocab: Mapping[str, int] | dict[str, int],
        grow: bool,
    ) -> sp.csr_matrix:
        """Weighted term counts, one row per record (``grow`` adds unseen terms to ``vocab``).

        Each distinct field text is counted once (titles, descriptions and boilerplate repeat
        across records): token ids are looked up with list comprehensions and summed by scipy
        (COO to CSR adds duplicates), which keeps the per-token Python work to one dict lookup;
        a record's row is then the weighted sum of its fields' rows, one sparse product.
        """
        an = self.analyzer
        texts, rows, wts, tix = _distinct_texts(_fields(records, weights))
        if an == "char12" and not grow:
            per_text = _char12_counts(texts, vocab, self._char12_lookups(vocab))
        else:
            ids: list[int] = []
            sizes: list[int] = []
            get = vocab.get
            for text in texts:
                toks = _analyze_cached(an, text) if len(text) <= 64 else get_analyzer(an)(text)
                if grow:
                    got = [vocab.setdefault(tok, len(vocab)) for tok in toks]  # type: ignore[union-attr]
                else:
                    got = [get(tok, -1) for tok in toks]
                ids.extend(got)
                sizes.append(len(got))
            per_text = _count_matrix(
                np.repeat(np.arange(len(texts), dtype=np.int64), sizes),
                np.asarray(ids, dtype=np.int64),
                np.ones(len(ids)),
                (len(texts), len(vocab)),
            )
        return _weighted_sum(rows, wts, tix, per_text, len(records))

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
        return sp.csr_matrix(
            (
                np.asarray(data, dtype=np.float64),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(feats), self.n_features_),
        )

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

    def _transform_postings(
        self, postings: Sequence[Posting], grow: bool, counts: sp.csr_matrix | None = None
    ) -> sp.csr_matrix:
        """The postings' vectors; ``counts``: their whole-text counts over the fitted vocabulary
        when already known (:meth:`Matcher.fit` counts them to learn the vocabulary)."""
        if counts is None:
            counts = self._counts(postings, self._pw(), self.vocabulary_, grow=False)
        text = self._tfidf(counts, 1.0)
        title = self._tfidf(
            self._counts(postings, list(POSTING_TITLE_FIELDS.items()), self.vocabulary_, grow=False), 1.0
        )
        rulem = self._rule_matrix([R.posting_features(p) for p in postings], grow)
        return self._combine(text, title, rulem)

    def _transform_intentions(self, intentions: Sequence[Intention], grow: bool) -> sp.csr_matrix:
        text = self._tfidf(self._counts(intentions, self._iw(), self.vocabulary_, grow=False), self.text_weight)
        title = self._tfidf(
            self._counts(intentions, list(INTENTION_TITLE_FIELDS.items()), self.vocabulary_, grow=False),
            self.title_weight,
        )
        b = (self.bonus_major, self.bonus_city, self.bonus_industry, self.city_focus)
        rulem = self._rule_matrix([R.intention_features(i, *b) for i in intentions], grow)
        return self._combine(text, title, rulem)


#: Codepoints below 128 that belong to Latin/digit runs.
_LATIN_ASCII = np.zeros(128, dtype=bool)
_LATIN_ASCII[[ord(c) for c in LATIN_CHARS]] = True


def _fields(records: Sequence[Any], weights: list[tuple[str, float]]) -> Iterator[tuple[int, float, str]]:
    """(record row, field weight, text) of every non-empty weighted field."""
    for r, rec in enumerate(records):
        for name, w in weights:
            text = join_field(getattr(rec, name, None))
            if text:
                yield r, w, text


def _distinct_texts(
    fields: Iterable[tuple[int, float, str]],
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The distinct texts of ``fields`` and, per field, its record row, weight and text's index."""
    index: dict[str, int] = {}
    rows: list[int] = []
    wts: list[float] = []
    tix: list[int] = []
    for r, w, text in fields:
        rows.append(r)
        wts.append(w)
        tix.append(index.setdefault(text, len(index)))
    return (
        list(index),
        np.asarray(rows, dtype=np.int64),
        np.asarray(wts, dtype=np.float64),
        np.asarray(tix, dtype=np.int64),
    )


def _weighted_sum(
    rows: np.ndarray, wts: np.ndarray, tix: np.ndarray, per_text: sp.csr_matrix, n_rows: int
) -> sp.csr_matrix:
    """Row ``r`` = the sum of ``w * per_text[t]`` over the fields ``(r, w, t)`` (one sparse product)."""
    a = sp.csr_matrix((wts, (rows, tix)), shape=(n_rows, per_text.shape[0]))
    m = (a @ per_text).tocsr()
    m.sum_duplicates()
    m.indices = m.indices.astype(np.int32, copy=False)
    return m


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


def _char12_counts(
    texts: Sequence[str], vocab: Mapping[str, int], lookups: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> sp.csr_matrix:
    """char12 term counts of ``texts`` against a fixed vocabulary, one row per text, vectorised.

    Same counts as running the ``"char12"`` analyzer on every text (the tests compare both):
    after :func:`matching.text.normalize` a text holds Latin runs (whole tokens), spaces, and
    other characters, each of which is a unigram (single-character stop words are never in the
    vocabulary) and each adjacent pair of which is a bigram.  The texts are normalised in one call
    (:func:`matching.text.normalize_lines`) and looked up as codepoint arrays, so the per-token
    Python work disappears.
    """
    shape = (len(texts), len(vocab))
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
    return _count_matrix(tix, np.concatenate(cols_parts), np.ones(len(tix)), shape)
