"""Exact batch top-k: many intentions at once, in chunks, on ``n_jobs`` threads.

Paths: the block-bound kernel of :mod:`matching.bound` (``"bound"``), and sparse_dot_topn's top-n
product with the salary rule folded in as features (``"topn"``; intentions grouped by
(degree, expectation) when a batch has more distinct expectations than
:data:`_MAX_SALARY_FEATURES`). All are exact and return what :meth:`Matcher.rank` returns for each
intention, ties included; ``"auto"`` measures both on a sample of the batch and keeps the faster.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable, Iterator, Mapping

import numpy as np
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn

from . import bound
from . import rules as R
from .explain import Match
from .records import Intention, Posting, coerce
from .topk import TIE_DECIMALS, chunks, dedupe, row_of, top

#: Up to this many distinct salary expectations in a batch, the salary rule is folded into the
#: sparse product as features (one transposed posting matrix per degree level); beyond it the
#: batch groups intentions by (degree, expectation).
_MAX_SALARY_FEATURES = 512
log = logging.getLogger("matching")
#: How "auto" measures: both paths on the first min(_AUTO_SAMPLE, n / _AUTO_SAMPLE_SHARE) intentions.
_AUTO_SAMPLE = 1024
_AUTO_SAMPLE_SHARE = 8
#: The clock "auto" decides by (wall time: what the caller waits for).
_clock = time.perf_counter
#: The batch methods; "auto" measures "bound" against "topn" on big batches, else "topn".
BATCH_METHODS = ("auto", "bound", "topn")
#: Above this top_k the bound kernel would keep almost everything: use the plain products.
_BOUND_MAX_K = 1000
#: Extra results the kernel returns per intention beyond top_k, so that ties at the k-th score
#: (frequent when postings repeat) are settled from its own results, not by scoring the intention
#: against every posting again (docs/matching.md, "The command-line case").
_TIE_SLACK = 8
#: "auto" uses the bound kernel from this many intentions: its index takes about 1 s per 50,000
#: postings to build, which a batch this size repays (about 1 ms of CPU saved per intention).
_BOUND_MIN_BATCH = 2000


class BatchMixin:
    """The batch methods of :class:`matching.Matcher`."""

    def rank_batch(
        self,
        intentions: Iterable[Intention | Mapping[str, Any]],
        top_k: int | None = 10,
        allowed: Iterable[str] | np.ndarray | None = None,
        explain: bool = True,
        method: str | None = None,
    ) -> dict[str, list[Match]]:
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
        recs = dedupe(coerce(intentions, Intention))
        got: dict[str, list[Match]] = {}
        for items in self.ranked_chunks(recs, top_k, allowed, method):
            for (i, *_), matches in zip(items, self.explain_items(items, explain)):
                got[i.id] = matches
        return {i.id: got[i.id] for i in recs}

    def ranked_chunks(
        self,
        intentions: Iterable[Intention | Mapping[str, Any]],
        top_k: int | None = 10,
        allowed: Iterable[str] | np.ndarray | None = None,
        method: str | None = None,
    ) -> Iterator[list[tuple[Intention, tuple[np.ndarray, np.ndarray], np.ndarray, np.ndarray]]]:
        """The ranking of :meth:`rank_batch` without its matches: per chunk of (deduplicated)
        intentions, a list of ``(intention, its vector as (indices, values), posting indices,
        scores)``, best first. Chunks may come grouped (by degree), not in input order.

        :meth:`explain_items` turns a chunk into matches; the two steps can run in different
        processes (the command line explains chunks in worker processes while this one ranks).
        """
        self._check_fitted()
        recs = dedupe(coerce(intentions, Intention))
        mask = self._allowed(allowed, self._posting_index, len(self.posting_ids_))
        for chunk, q, rows in self._batch(recs, top_k, mask, method):
            yield [(i, row_of(q, r), order, scores) for r, (i, (order, scores)) in enumerate(zip(chunk, rows))]

    def explain_items(
        self,
        items: list[tuple[Intention, tuple[np.ndarray, np.ndarray], np.ndarray, np.ndarray]],
        explain: bool = True,
    ) -> list[list[Match]]:
        """The matches of one chunk of :meth:`ranked_chunks`, one list per item (with their
        reasons unless ``explain`` is False)."""
        return self._matches_many(items, explain)

    def rank_intentions_batch(
        self,
        postings: Iterable[Posting | Mapping[str, Any]],
        top_k: int | None = 10,
        allowed: Iterable[str] | np.ndarray | None = None,
        explain: bool = True,
    ) -> dict[str, list[Match]]:
        """Exact top-k indexed intentions for many postings (one :meth:`rank_intentions` each)."""
        self._check_fitted()
        recs = dedupe(coerce(postings, Posting))
        mask = self._allowed(allowed, self._intention_index, len(self.intention_ids_))
        return {p.id: self.rank_intentions(p, top_k=top_k, allowed=mask, explain=explain) for p in recs}

    def topk_ids(
        self, intentions: Iterable[Intention | Mapping[str, Any]], top_k: int = 10, method: str | None = None
    ) -> Iterator[tuple[list[str], np.ndarray, np.ndarray]]:
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
                idx[r, : len(order)] = order
                val[r, : len(scores)] = scores
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

    def _settle(
        self, idx: np.ndarray, val: np.ndarray, k: int, qrow: sp.csr_matrix, rec: Intention, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best ``k`` of candidates (``val`` already rounded) by (score desc, index asc); when
        the k-th and (k+1)-th scores tie, the single-query path decides, as :meth:`rank` does."""
        keep = val > 0
        idx, val = idx[keep], val[keep]
        order = np.lexsort((idx, -val))
        idx, val = idx[order], val[order]
        if len(val) > k and val[k - 1] == val[k]:
            return top(*self._forward_scores(qrow, rec, mask), k)
        return idx[:k].astype(np.int64), val[:k]

    def _batch(self, recs: list[Intention], top_k: int | None, mask: np.ndarray | None, method: str | None):
        """Exact batch top-k: yields ``(chunk, q, rows)`` per chunk of intentions.

        ``"auto"`` uses the product for small batches (the kernel's index would not pay) and for
        larger ones measures both paths on a sample of the batch (:meth:`_batch_auto`).
        """
        method = method or self.batch_method
        if method not in BATCH_METHODS:
            raise ValueError("method must be 'auto', 'bound' or 'topn'")
        n = len(self.posting_ids_)
        k = n if top_k is None else max(int(top_k), 0)
        size = max(int(self.chunk_size), 1)
        if k == 0 or n == 0:
            for c in chunks(recs, size):
                yield c, self._transform_intentions(c, False), [(np.empty(0, np.int64), np.empty(0))] * len(c)
            return
        if method == "bound" and not bound.available():
            raise ValueError("batch method 'bound' needs numba, which is not installed")
        if k > _BOUND_MAX_K:
            method = "topn"  # a whole ranking: nothing for the kernel to skip
        if method == "auto":
            if len(recs) >= _BOUND_MIN_BATCH and bound.available():
                yield from self._batch_auto(recs, k, mask, size)
                return
            method = "topn"
        if method == "bound":
            yield from self._batch_bound(recs, k, mask, size, self._bound_index())
        else:
            yield from self._products(recs, k, mask)(recs, size)

    def _bound_index(self) -> bound.BoundIndex:
        """The kernel's index of the posting matrix (similar postings next to each other)."""
        titles = [p.title or "" for p in self.postings_]
        industries = [p.industry or "" for p in self.postings_]
        return bound.build_index(
            self.posting_matrix_, self.posting_levels_, self.posting_salaries_, order=np.lexsort((industries, titles))
        )

    def _batch_auto(self, recs: list[Intention], k: int, mask: np.ndarray | None, size: int):
        """Both paths on a sample of the batch, then the faster one on the rest.

        The kernel's pruning fails when many postings look alike (duplicate-heavy corpora), where
        the product wins; on varied corpora the kernel wins several times over (docs/matching.md,
        "When each path wins"). Each path's set-up (the kernel's index, the product's transposed
        matrices) is built before the clock starts, as both are needed for the rest anyway; the
        sample's results of the chosen path are kept, so the measurement costs only the other
        path's run on the sample.
        """
        n_sample = min(_AUTO_SAMPLE, max(len(recs) // _AUTO_SAMPLE_SHARE, 1))
        sample, rest = recs[:n_sample], recs[n_sample:]
        with ThreadPoolExecutor(max_workers=1) as ex:  # both set-ups are mostly numpy, scipy and numba without the GIL
            preparing = ex.submit(self._products, recs, k, mask)
            index = self._bound_index()
            products = preparing.result()
        t0 = _clock()
        by_bound = list(self._batch_bound(sample, k, mask, size, index))
        t_bound = _clock() - t0
        t0 = _clock()
        by_product = list(products(sample, size))
        t_product = _clock() - t0
        use_bound = t_bound <= t_product
        log.info(
            "batch_method='auto' on %d intentions: bound %.3f s, topn %.3f s: %s",
            n_sample,
            t_bound,
            t_product,
            "bound" if use_bound else "topn",
        )
        if use_bound:
            del by_product
            yield from by_bound
            if rest:
                yield from self._batch_bound(rest, k, mask, size, index)
        else:
            del by_bound, index
            yield from by_product
            if rest:
                yield from products(rest, size)

    def _products(self, recs: list[Intention], k: int, mask: np.ndarray | None):
        """The sparse top-n product path, prepared for ``recs``: a function ``(subset, size)`` that
        yields ``(chunk, q, rows)`` for any subset of ``recs``.

        With at most :data:`_MAX_SALARY_FEATURES` distinct expectations the salary rule is folded
        into the product (:meth:`_by_level`); otherwise intentions are grouped by (degree level,
        expectation) and the eligible postings split into those meeting the expectation and the rest.
        """
        thresholds = sorted({float(i.salary_expectation) for i in recs if i.salary_expectation is not None})
        if self.bonus_salary and len(thresholds) <= _MAX_SALARY_FEATURES:
            return self._by_level(recs, k, mask, np.array(thresholds, dtype=float))
        return self._by_group(k, mask)

    def _by_group(self, k: int, mask: np.ndarray | None):
        def parts_for(g: int, e: float) -> list[tuple[np.ndarray, float, sp.csr_matrix]]:
            elig = self.posting_levels_ <= g
            if mask is not None:
                elig = elig & mask
            meets = R.salary_meets_array(self.posting_salaries_, e)
            out = []
            for sel, bonus in ((elig & meets, self.bonus_salary), (elig & ~meets, 0.0)):
                cols = np.flatnonzero(sel)
                if len(cols):
                    out.append((cols, bonus, self.posting_matrix_[cols].T.tocsr()))
            return out

        def product(q: sp.csr_matrix, chunk: list[Intention], parts) -> list[tuple[np.ndarray, np.ndarray]]:
            per = [_topn_rows(q, T, min(k + 1, T.shape[1]), self.n_jobs) for _, _, T in parts]
            rows = []
            for r in range(q.shape[0]):
                idx_l, val_l = [], []
                for (cols, bonus, _), res in zip(parts, per):
                    ix, vx = res[r]
                    idx_l.append(cols[ix])
                    val_l.append(np.round(vx + bonus, TIE_DECIMALS))
                idx = np.concatenate(idx_l) if idx_l else np.empty(0, np.int64)
                val = np.concatenate(val_l) if val_l else np.empty(0)
                # a salary-meeting posting with no shared feature still scores bonus_salary
                if len(parts) and parts[0][1] and len(per[0][r][0]) < min(k + 1, len(parts[0][0])):
                    rows.append(top(*self._forward_scores(q[r], chunk[r], mask), k))
                else:
                    rows.append(self._settle(idx, val, k, q[r], chunk[r], mask))
            return rows

        def run(subset: list[Intention], size: int):
            groups: dict[tuple[int, float], list[Intention]] = {}
            for i in subset:
                key = (R.intention_level(i), R.expectation_value(i) if self.bonus_salary else R.NO_EXPECTATION)
                groups.setdefault(key, []).append(i)

            def jobs():
                for (g, e), members in sorted(groups.items()):
                    parts = parts_for(g, e)
                    for chunk in chunks(members, size):
                        yield chunk, product, parts

            yield from self._pipelined(jobs())

        return run

    def _by_level(self, recs: list[Intention], k: int, mask: np.ndarray | None, thresholds: np.ndarray):
        """Exact batch top-k with the salary rule folded into the product.

        The 薪资匹配 bonus becomes features: a posting has a 1 in column ``t`` for every distinct
        expectation ``thresholds[t]`` its salary meets, an intention has ``bonus_salary`` in the
        column of its own expectation, so ``q · p`` is the text-and-rules score plus the salary
        bonus exactly when the rule fires.  Intentions are then grouped by degree level only (at
        most four transposed posting matrices instead of one pair per (degree, expectation)),
        which keeps the chunks large and the two cores busy.  Rows whose k-th and (k+1)-th scores
        tie are settled by the single-query path, as in the grouped method. The transposed matrices
        of the degree levels present in ``recs`` are built here, before any chunk runs.
        """
        nf = self.posting_matrix_.shape[1]
        nt = len(thresholds)
        pmatrix = self.posting_matrix_
        if nt:
            meets = R.salary_meets_array(self.posting_salaries_[:, None], thresholds[None, :])
            pmatrix = sp.hstack(
                [self.posting_matrix_, sp.csr_matrix(meets.astype(self.posting_matrix_.dtype))], format="csr"
            )
        column = {float(v): nf + j for j, v in enumerate(thresholds)}

        def matrix_for(g: int):
            elig = self.posting_levels_ <= g
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
                extra = sp.csr_matrix(
                    (np.full(len(r_idx), self.bonus_salary, dtype=q.dtype), (r_idx, c_idx)), shape=(q.shape[0], nt)
                )
                q = sp.hstack([q, extra], format="csr")
            res = _topn_rows(q, T, min(k + 1, T.shape[1]), self.n_jobs)
            return [
                self._settle(cols[ix], np.round(vx, TIE_DECIMALS), k, q[r, :nf] if nt else q[r], chunk[r], mask)
                for r, (ix, vx) in enumerate(res)
            ]

        matrices = {g: matrix_for(g) for g in sorted({R.intention_level(i) for i in recs})}

        def run(subset: list[Intention], size: int):
            levels: dict[int, list[Intention]] = {}
            for i in subset:
                levels.setdefault(R.intention_level(i), []).append(i)

            def jobs():
                for g, members in sorted(levels.items()):
                    cols, T = matrices[g]
                    for chunk in chunks(members, size):
                        yield chunk, product, cols, T

            yield from self._pipelined(jobs())

        return run

    def _batch_bound(self, recs: list[Intention], k: int, mask: np.ndarray | None, size: int, index: bound.BoundIndex):
        """Exact batch top-k with the block-bound kernel of :mod:`matching.bound`.

        The kernel returns each intention's best ``k + _TIE_SLACK`` postings; scores are rounded
        and ordered by (score desc, index asc), which settles ties at the k-th place among them;
        only a row whose tie at the k-th score runs to the end of that list (more equal scores
        than the slack) is settled by the single-query path, so results are identical to
        :meth:`rank`.  Chunks keep the input
        order: transforming chunk c+1 (Python, main thread) overlaps the kernel on chunk c
        (``n_jobs`` threads, without the GIL).
        """
        k1 = k + _TIE_SLACK

        def product(q: sp.csr_matrix, chunk: list[Intention]) -> list[tuple[np.ndarray, np.ndarray]]:
            levels = np.array([R.intention_level(i) for i in chunk], dtype=np.int64)
            exps = np.array([R.expectation_value(i) if self.bonus_salary else R.NO_EXPECTATION for i in chunk])
            idx, val = bound.topk(index, q, levels, exps, mask, self.bonus_salary, k1, self.n_jobs)
            val = np.round(val, TIE_DECIMALS)
            val[idx < 0] = 0.0
            pos = val > 0
            order = np.lexsort((np.where(pos, idx, np.iinfo(np.int64).max), -val), axis=-1)
            idx = np.take_along_axis(idx, order, axis=1)
            val = np.take_along_axis(val, order, axis=1)
            count = (val > 0).sum(axis=1)
            # _settle, vectorised over the chunk. The kernel returns the best k1 = k + _TIE_SLACK by
            # exact score; rounding is monotone, so every posting whose rounded score reaches the
            # k-th one's is among them unless the list is full and its last entry still ties the
            # k-th: only such rows need the single-query path.
            tie = (count >= k1) & (val[:, k - 1] == val[:, k1 - 1])
            rows = []
            for r in range(len(chunk)):
                if tie[r]:
                    rows.append(top(*self._forward_scores(q[r], chunk[r], mask), k))
                else:
                    c = min(int(count[r]), k)
                    rows.append((idx[r, :c], val[r, :c]))
            return rows

        yield from self._pipelined((chunk, product) for chunk in chunks(recs, size))


def _topn_rows(q: sp.csr_matrix, T: sp.csr_matrix, k: int, n_jobs: int):
    """Per row of ``q @ T``: the top-k positive (index, value) pairs, via sparse_dot_topn."""
    c = sp_matmul_topn(q, T, top_n=k, threshold=0.0, sort=True, n_threads=n_jobs if n_jobs and n_jobs > 1 else None)
    return [
        (c.indices[c.indptr[r] : c.indptr[r + 1]].astype(np.int64), c.data[c.indptr[r] : c.indptr[r + 1]])
        for r in range(c.shape[0])
    ]
