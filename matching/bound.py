"""Exact batch top-k that skips the postings that can't make it (compiled with numba).

The score of a posting for an intention is a dot product ``q · p`` plus the salary bonus, all
values >= 0.  A plain sparse product is slow on character n-grams: every intention has a few dozen
common characters and each of them appears in most postings, so every intention touches nearly
every posting.  This module avoids that work without approximating anything.

Index (:func:`build_index`): postings are sorted by minimum degree level (the postings open to a
graduate are then a prefix), then by a caller's key (title, industry) so that similar postings are
neighbours, and cut into blocks of ``2**shift``.  The ``F`` most frequent features get, per block,
a dense column of the block's values and the block's maximum; the other features (``R``) keep
their posting lists.

Per intention (:func:`topk`, one compiled loop per thread, without the GIL):

1. accumulate the ``R`` part of every posting from the posting lists (cheap: rare features have
   short lists), tracking each block's largest accumulated value;
2. bound every block open to the graduate from above::

       max accumulated value in the block
       + sum over the intention's F features of q_f * (block maximum of f)
       + the salary bonus if any posting of the block meets the expectation

3. visit blocks best bound first; a visited block's exact scores come from its dense columns and
   a min-heap keeps the best ``k1``; the scan stops at the first block whose bound is below the
   heap's minimum (less :data:`MARGIN`), since no posting in it or in any later block can enter.

The result per intention is its top ``k1`` postings by exact score, best first (``-1`` / ``0``
padding), which :class:`matching.Matcher` turns into the exact top-k with its rounding and tie
rules (it asks for ``k + 1`` to detect ties).  docs/matching.md has the measurements.
"""

from __future__ import annotations

import importlib.util
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, NamedTuple

import numpy as np
import scipy.sparse as sp

__all__ = ["BoundIndex", "Queries", "ScanSettings", "available", "build_index", "topk", "warm"]

#: How many of the most frequent features form the bounded part ``F``.
N_FREQUENT = 2048
#: Postings per block (as a power of two) for the block bound.
BLOCK_SHIFT = 7
#: A posting is skipped only when its bound is below the heap's minimum by more than this, so
#: floating-point rounding in the bound can never drop a posting that belongs in the top k.
MARGIN = 1e-9


def available() -> bool:
    """Whether the compiled kernel can run (numba is installed)."""
    return importlib.util.find_spec("numba") is not None


class BoundIndex(NamedTuple):
    """Per-posting data of the bounded product, derived from the posting matrix.

    Postings are stored in a permuted order (``order[j]`` is the original index of stored posting
    ``j``): sorted by minimum degree level, so the postings open to a graduate are a prefix, and
    then by a caller's key (title, industry) so that similar postings share a block of
    ``2**block_shift`` postings. A named tuple of arrays, so the compiled kernel takes it whole.
    """

    #: Original index of each stored posting.
    order: np.ndarray
    #: Minimum degree level of each stored posting (ascending).
    levels: np.ndarray
    #: Top salary of each stored posting (-1 when none).
    salaries: np.ndarray
    #: Position of each feature among the frequent features ``F``, or -1 for the others.
    frequent_slot: np.ndarray
    #: Block maxima of the frequent features, dense, shape (len(F), n_blocks).
    block_max: np.ndarray
    #: Per block and frequent slot: the row of ``block_values`` holding the block's values, or -1.
    block_row: np.ndarray
    #: The values of one frequent feature for the postings of one block, shape (n_rows, 2**shift).
    block_values: np.ndarray
    #: Top salary of each block.
    block_salary: np.ndarray
    #: log2 of the block size.
    block_shift: int
    #: Posting lists of the other (rare) features, in stored posting order, CSR by feature; the
    #: rows of frequent features are empty.
    rare_indptr: np.ndarray
    rare_postings: np.ndarray
    rare_values: np.ndarray

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays."""
        return sum(v.nbytes for v in self if isinstance(v, np.ndarray))


class Queries(NamedTuple):
    """The intention side of one kernel call."""

    #: CSR rows of the intention vectors (int64 / float64).
    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    #: Per intention: how many stored postings are open to its degree (a prefix).
    open_postings: np.ndarray
    #: Per intention: the salary expectation (``inf`` when none).
    expectations: np.ndarray


class ScanSettings(NamedTuple):
    """The rest of one kernel call."""

    #: Per stored posting: may it be returned (when ``use_mask``).
    eligible: np.ndarray
    use_mask: bool
    #: Added when a posting's top salary is at least the expectation (the 薪资匹配 rule).
    bonus_salary: float
    #: See :data:`MARGIN`.
    margin: float


def build_index(
    P: sp.csr_matrix,
    plevel: np.ndarray,
    psal: np.ndarray,
    order: np.ndarray | None = None,
    n_frequent: int = N_FREQUENT,
    shift: int = BLOCK_SHIFT,
) -> BoundIndex:
    """Prepare the posting matrix ``P`` for :func:`topk`.

    Parameters
    ----------
    P : scipy.sparse.csr_matrix of shape (n_postings, n_features)
        Posting vectors, all values >= 0.
    plevel, psal : ndarray of shape (n_postings,)
        Minimum degree level and top salary (-1 when none).
    order : ndarray of int, optional
        A permutation of the postings that puts similar ones next to each other; the index sorts
        by degree level first (stable), then keeps this order.
    n_frequent, shift
        Size of ``F`` and log2 of the block size.
    """
    P = P.tocsr()
    if P.nnz and P.data.min() < 0:
        raise ValueError("the bounded product needs non-negative posting values")
    n, n_features = P.shape
    levels = np.asarray(plevel, dtype=np.int64)
    order = np.arange(n) if order is None else np.asarray(order, dtype=np.int64)
    stored = np.ascontiguousarray(order[np.argsort(levels[order], kind="stable")], dtype=np.int64)
    doc_freq = np.bincount(P.indices, minlength=n_features)
    n_freq = int(min(max(n_frequent, 0), int((doc_freq > 0).sum())))
    # the most frequent features, numbered in feature order (a query's frequent features then come
    # in increasing slot, so a block's rows are read front to back)
    frequent = np.sort(np.argsort(-doc_freq, kind="stable")[:n_freq])
    slot = np.full(n_features, -1, dtype=np.int64)
    slot[frequent] = np.arange(n_freq)
    indptr = P.indptr.astype(np.int64)
    indices = P.indices.astype(np.int64)
    data = P.data.astype(np.float64)
    kernels = _get_kernels()
    block_row, block_values, block_max = kernels.fill_blocks(indptr, indices, data, stored, slot, n_freq, int(shift))
    rare = (slot < 0) & (doc_freq > 0)
    rare_indptr = np.zeros(n_features + 1, dtype=np.int64)
    np.cumsum(np.where(rare, doc_freq, 0), out=rare_indptr[1:])
    rare_postings, rare_values = kernels.fill_rare(indptr, indices, data, stored, slot, rare_indptr)
    salaries = np.asarray(psal, dtype=np.float64)[stored]
    block = 1 << shift
    n_blocks = (n + block - 1) >> shift
    pad = n_blocks * block - n
    block_salary = (
        np.pad(salaries, (0, pad), constant_values=-1.0).reshape(n_blocks, block).max(axis=1) if n else np.zeros(0)
    )
    return BoundIndex(
        order=stored,
        levels=np.ascontiguousarray(levels[stored]),
        salaries=salaries,
        frequent_slot=slot,
        block_max=block_max,
        block_row=block_row,
        block_values=block_values,
        block_salary=np.ascontiguousarray(block_salary),
        block_shift=int(shift),
        rare_indptr=rare_indptr,
        rare_postings=rare_postings,
        rare_values=rare_values,
    )


def _fill_blocks(indptr, indices, data, stored, slot, n_freq, shift):  # pragma: no cover - compiled
    """Dense block columns of the frequent features: ``block_row`` (block × slot → row of
    ``block_values`` or -1), ``block_values`` (one row of ``2**shift`` values per present (block,
    feature), rows of a block in slot order) and ``block_max`` (slot × block maxima)."""
    n = len(stored)
    block = 1 << shift
    n_blocks = (n + block - 1) >> shift
    block_row = np.full((n_blocks, n_freq), -1, np.int32)
    seen = np.zeros(n_freq, np.bool_)
    rows = 0
    for b in range(n_blocks):
        for j in range(b << shift, min((b + 1) << shift, n)):
            p = stored[j]
            for u in range(indptr[p], indptr[p + 1]):
                at = slot[indices[u]]
                if at >= 0:
                    seen[at] = True
        for at in range(n_freq):
            if seen[at]:
                block_row[b, at] = rows
                rows += 1
                seen[at] = False
    block_values = np.zeros((rows, block))
    block_max = np.zeros((n_freq, n_blocks))
    for b in range(n_blocks):
        for j in range(b << shift, min((b + 1) << shift, n)):
            p = stored[j]
            for u in range(indptr[p], indptr[p + 1]):
                at = slot[indices[u]]
                if at >= 0:
                    v = data[u]
                    block_values[block_row[b, at], j - (b << shift)] = v
                    if v > block_max[at, b]:
                        block_max[at, b] = v
    return block_row, block_values, block_max


def _fill_rare(indptr, indices, data, stored, slot, rare_indptr):  # pragma: no cover - compiled
    """Posting lists (stored posting order) of the rare features, as CSR rows."""
    nnz = rare_indptr[-1]
    rare_postings = np.empty(nnz, np.int64)
    rare_values = np.empty(nnz)
    next_free = rare_indptr[:-1].copy()
    for j in range(len(stored)):
        p = stored[j]
        for u in range(indptr[p], indptr[p + 1]):
            f = indices[u]
            if slot[f] < 0:
                rare_postings[next_free[f]] = j
                rare_values[next_free[f]] = data[u]
                next_free[f] += 1
    return rare_postings, rare_values


def _sift_down(heap, key, c, n):  # pragma: no cover - compiled
    """Restore the max-heap property of ``heap[:n]`` (ordered by ``key[heap[.]]``) below ``c``."""
    x = heap[c]
    key_x = key[x]
    while True:
        left = 2 * c + 1
        if left >= n:
            break
        bigger = left
        if left + 1 < n and key[heap[left + 1]] > key[heap[left]]:
            bigger = left + 1
        if key[heap[bigger]] <= key_x:
            break
        heap[c] = heap[bigger]
        c = bigger
    heap[c] = x


def _heap_place(heap_scores, heap_postings, c, n, score, posting):  # pragma: no cover - compiled
    """Put (``score``, ``posting``) at slot ``c`` of the min-heap ``heap_scores[:n]`` (with
    ``heap_postings`` alongside) and sift it down."""
    while True:
        left = 2 * c + 1
        if left >= n:
            break
        smaller = left
        if left + 1 < n and heap_scores[left + 1] < heap_scores[left]:
            smaller = left + 1
        if heap_scores[smaller] >= score:
            break
        heap_scores[c] = heap_scores[smaller]
        heap_postings[c] = heap_postings[smaller]
        c = smaller
    heap_scores[c] = score
    heap_postings[c] = posting


def _scan_rows(queries, index, settings, lo, hi, out_idx, out_val):  # pragma: no cover - compiled
    """Kernel: the top ``k1`` stored postings of query rows ``lo:hi`` (see the module docstring).

    Compiled by numba; coverage can't see inside it, the tests check its results against brute
    force instead. Blocks of postings are visited best bound first and the scan ends at the
    first block whose bound is below the heap's minimum.
    """
    salaries = index.salaries
    block_salary = index.block_salary
    block_max = index.block_max
    shift = index.block_shift
    bonus = settings.bonus_salary
    n_postings = len(salaries)
    n_freq = block_max.shape[0]
    n_blocks_all = len(block_salary)
    block = 1 << shift
    k1 = out_idx.shape[1]
    accumulated = np.zeros(n_postings)  # the rare features' part of each posting's score
    block_best = np.zeros(n_blocks_all)  # the largest accumulated value per block
    block_bound = np.empty(n_blocks_all)
    block_heap = np.empty(n_blocks_all, np.int64)
    scores = np.empty(block)
    q_slots = np.empty(n_freq, np.int64)  # the query's frequent features (slots) ...
    q_weights = np.empty(n_freq)  # ... and their values
    heap_scores = np.empty(k1)
    heap_postings = np.empty(k1, np.int64)
    for r in range(lo, hi):
        n_q = 0
        for t in range(queries.indptr[r], queries.indptr[r + 1]):
            f = queries.indices[t]
            w = queries.values[t]
            at = index.frequent_slot[f]
            if at >= 0:
                q_slots[n_q] = at
                q_weights[n_q] = w
                n_q += 1
            else:
                for u in range(index.rare_indptr[f], index.rare_indptr[f + 1]):
                    p = index.rare_postings[u]
                    v = accumulated[p] + w * index.rare_values[u]
                    accumulated[p] = v
                    b = p >> shift
                    if v > block_best[b]:
                        block_best[b] = v
        n_open = queries.open_postings[r]
        expectation = queries.expectations[r]
        n_blocks = (n_open + block - 1) >> shift
        # block bounds: exact max of the accumulated part + block maxima of the frequent part + salary
        for b in range(n_blocks):
            block_bound[b] = block_best[b] + (bonus if block_salary[b] >= expectation else 0.0)
        for t in range(n_q):
            w = q_weights[t]
            maxima = block_max[q_slots[t]]
            for b in range(n_blocks):
                block_bound[b] += w * maxima[b]
        # max-heap of the blocks by bound (heapify is linear; only the visited blocks are popped)
        for b in range(n_blocks):
            block_heap[b] = b
        for c0 in range(n_blocks // 2 - 1, -1, -1):
            _sift_down(block_heap, block_bound, c0, n_blocks)
        n_heap = n_blocks
        size = 0
        floor = 0.0  # the smallest score kept once the heap is full
        while n_heap > 0:
            b = block_heap[0]
            if size == k1 and block_bound[b] < floor - settings.margin:
                break
            n_heap -= 1
            block_heap[0] = block_heap[n_heap]
            _sift_down(block_heap, block_bound, 0, n_heap)
            start = b << shift
            width = min(start + block, n_open) - start
            for j in range(width):
                scores[j] = accumulated[start + j] + (bonus if salaries[start + j] >= expectation else 0.0)
            for t in range(n_q):
                row = index.block_row[b, q_slots[t]]
                if row >= 0:
                    w = q_weights[t]
                    values = index.block_values[row]
                    for j in range(width):
                        scores[j] += w * values[j]
            for j in range(width):
                sc = scores[j]
                if sc <= 0.0 or (size == k1 and sc <= floor):
                    continue
                p = start + j
                if settings.use_mask and not settings.eligible[p]:
                    continue
                if size < k1:
                    # push, sift up (min-heap on the score)
                    c = size
                    size += 1
                    while c > 0:
                        parent = (c - 1) // 2
                        if heap_scores[parent] <= sc:
                            break
                        heap_scores[c] = heap_scores[parent]
                        heap_postings[c] = heap_postings[parent]
                        c = parent
                    heap_scores[c] = sc
                    heap_postings[c] = p
                    if size == k1:
                        floor = heap_scores[0]
                else:
                    _heap_place(heap_scores, heap_postings, 0, k1, sc, p)  # replaces the smallest
                    floor = heap_scores[0]
        # clear the accumulator where the scatter wrote (values are >= 0, so block_best > 0 marks it)
        for b in range(n_blocks_all):
            if block_best[b] > 0.0:
                start = b << shift
                for p in range(start, min(start + block, n_postings)):
                    accumulated[p] = 0.0
                block_best[b] = 0.0
        # pop everything: smallest last
        for t in range(k1):
            out_idx[r, t] = -1
            out_val[r, t] = 0.0
        while size > 0:
            size -= 1
            out_idx[r, size] = heap_postings[0]
            out_val[r, size] = heap_scores[0]
            if size > 0:
                _heap_place(heap_scores, heap_postings, 0, size, heap_scores[size], heap_postings[size])


#: The heap helpers as plain Python functions (compiling replaces the module globals).
_HEAP_HELPERS = {"_sift_down": _sift_down, "_heap_place": _heap_place}


class _Kernels(NamedTuple):
    scan_rows: Callable
    fill_blocks: Callable
    fill_rare: Callable


_compiled: _Kernels | None = None
_compile_lock = threading.Lock()


def _get_kernels() -> _Kernels:
    """The compiled kernels (numba compiles them, or loads its on-disk cache, on first use only,
    so importing the library stays fast). Safe to call from several threads at once: the first
    compiles under a lock, the others wait for it."""
    global _compiled
    kernels = _compiled
    if kernels is None:
        with _compile_lock:
            if _compiled is None:
                import numba

                jit = numba.njit(nogil=True, cache=True)
                helper = numba.njit(nogil=True, cache=True, inline="always")
                # the scan calls the heap helpers through this module's globals: compile them first
                for name, py_function in _HEAP_HELPERS.items():
                    globals()[name] = helper(py_function)
                _compiled = _Kernels(
                    scan_rows=jit(_scan_rows), fill_blocks=jit(_fill_blocks), fill_rare=jit(_fill_rare)
                )
            kernels = _compiled
    return kernels


def warm() -> float:
    """Compile the kernels (or load them from numba's cache) on a tiny example; seconds taken."""
    import time

    t0 = time.perf_counter()
    P = sp.csr_matrix(np.array([[0.6, 0.8, 0.0], [0.0, 0.6, 0.8], [1.0, 0.0, 0.0]]))
    index = build_index(P, np.zeros(3), np.full(3, 5000.0), n_frequent=1, shift=1)
    topk(index, P, np.zeros(3), np.full(3, 4000.0), None, 0.02, 2)
    return time.perf_counter() - t0


def topk(
    index: BoundIndex,
    q: sp.csr_matrix,
    q_level: np.ndarray,
    q_exp: np.ndarray,
    mask: np.ndarray | None,
    bonus_salary: float,
    k1: int,
    n_jobs: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k1`` postings of each row of ``q``, best first.

    Parameters
    ----------
    index : BoundIndex
        From :func:`build_index`.
    q : scipy.sparse.csr_matrix of shape (n_queries, n_features)
        Intention vectors (text and rule features), all values >= 0.
    q_level, q_exp : ndarray of shape (n_queries,)
        Degree level and salary expectation (``inf`` when none) of each intention.
    mask : ndarray of bool, shape (n_postings,), optional
        Postings (original order) that may be returned; all when None.
    bonus_salary : float
        Added when the posting's top salary is at least the expectation.
    k1 : int
        How many to keep per row.
    n_jobs : int
        Threads (the kernel releases the GIL).

    Returns
    -------
    idx, val : ndarray of shape (n_queries, k1)
        Posting indices (original order) and scores (> 0), best first; ``-1`` / ``0`` where fewer
        postings score.
    """
    scan_rows = _get_kernels().scan_rows
    n = q.shape[0]
    out_idx = np.full((n, k1), -1, dtype=np.int64)
    out_val = np.zeros((n, k1))
    if n == 0 or k1 <= 0 or len(index.order) == 0:
        return out_idx, out_val
    if q.nnz and q.data.min() < 0:
        raise ValueError("the bounded product needs non-negative query values")
    queries = Queries(
        indptr=q.indptr.astype(np.int64),
        indices=q.indices.astype(np.int64),
        values=q.data.astype(np.float64),
        open_postings=np.searchsorted(index.levels, np.asarray(q_level, dtype=np.int64), side="right").astype(np.int64),
        expectations=np.ascontiguousarray(q_exp, dtype=np.float64),
    )
    use_mask = mask is not None
    settings = ScanSettings(
        eligible=np.ascontiguousarray(mask[index.order], dtype=np.bool_) if use_mask else np.ones(1, dtype=np.bool_),
        use_mask=use_mask,
        bonus_salary=float(bonus_salary),
        margin=MARGIN,
    )

    def run(lo: int, hi: int) -> None:
        scan_rows(queries, index, settings, lo, hi, out_idx, out_val)

    jobs = max(1, min(int(n_jobs or 1), n))
    if jobs == 1:
        run(0, n)
    else:
        bounds = np.linspace(0, n, jobs + 1).astype(int)
        with ThreadPoolExecutor(max_workers=jobs) as ex:
            list(ex.map(lambda b: run(*b), zip(bounds[:-1], bounds[1:])))
    found = out_idx >= 0
    out_idx[found] = index.order[out_idx[found]]
    return out_idx, out_val
