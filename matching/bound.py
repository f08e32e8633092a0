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
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["BoundIndex", "available", "build_index", "topk", "warm"]

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


@dataclass(frozen=True)
class BoundIndex:
    """Per-posting data of the bounded product, derived from the posting matrix.

    Postings are stored in a permuted order (``perm[j]`` is the original index of stored posting
    ``j``): sorted by minimum degree level, so the postings open to a graduate are a prefix, and
    then by a caller's key (title, industry) so that similar postings share a block of
    ``2**shift`` postings.
    """

    #: Original index of each stored posting.
    perm: np.ndarray
    #: Minimum degree level of each stored posting (ascending).
    plevel: np.ndarray
    #: Top salary of each stored posting (-1 when none).
    psal: np.ndarray
    #: Position of each feature in ``F``, or -1 for the accumulated features ``R``.
    fpos: np.ndarray
    #: Block maxima of the ``F`` features, dense, shape (len(F), n_blocks).
    bmax: np.ndarray
    #: Per block and ``F`` position: the row of ``bval`` holding the block's values, or -1.
    bcol: np.ndarray
    #: The values of one ``F`` feature for the postings of one block, shape (n_rows, 2**shift).
    bval: np.ndarray
    #: Top salary of each block.
    bsal: np.ndarray
    shift: int
    #: Posting lists of the features outside ``F`` (stored posting order), CSR by feature; the
    #: rows of ``F`` features are empty.
    pt_indptr: np.ndarray
    pt_indices: np.ndarray
    pt_data: np.ndarray

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays."""
        return sum(getattr(self, f).nbytes for f in ("perm", "plevel", "psal", "fpos", "bmax", "bcol", "bval",
                                                     "bsal", "pt_indptr", "pt_indices", "pt_data"))


def build_index(P: sp.csr_matrix, plevel: np.ndarray, psal: np.ndarray, order: np.ndarray | None = None,
                n_frequent: int = N_FREQUENT, shift: int = BLOCK_SHIFT) -> BoundIndex:
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
    n, nfeat = P.shape
    plevel = np.asarray(plevel, dtype=np.int64)
    order = np.arange(n) if order is None else np.asarray(order, dtype=np.int64)
    perm = np.ascontiguousarray(order[np.argsort(plevel[order], kind="stable")], dtype=np.int64)
    df = np.bincount(P.indices, minlength=nfeat)
    nf = int(min(max(n_frequent, 0), int((df > 0).sum())))
    # the nf most frequent features, numbered in feature order (a query's F features then come
    # in increasing position, so a block's rows are read front to back)
    frequent = np.sort(np.argsort(-df, kind="stable")[:nf])
    fpos = np.full(nfeat, -1, dtype=np.int64)
    fpos[frequent] = np.arange(nf)
    indptr = P.indptr.astype(np.int64)
    indices = P.indices.astype(np.int64)
    data = P.data.astype(np.float64)
    fill_blocks, fill_rare = _get_kernels()[1:]
    bcol, bval, bmax = fill_blocks(indptr, indices, data, perm, fpos, nf, int(shift))
    rare = (fpos < 0) & (df > 0)
    pt_indptr = np.zeros(nfeat + 1, dtype=np.int64)
    np.cumsum(np.where(rare, df, 0), out=pt_indptr[1:])
    pt_indices, pt_data = fill_rare(indptr, indices, data, perm, fpos, pt_indptr)
    psal_p = np.asarray(psal, dtype=np.float64)[perm]
    block = 1 << shift
    nb = (n + block - 1) >> shift
    pad = nb * block - n
    bsal = np.pad(psal_p, (0, pad), constant_values=-1.0).reshape(nb, block).max(axis=1) if n else np.zeros(0)
    return BoundIndex(perm=perm, plevel=np.ascontiguousarray(plevel[perm]), psal=psal_p, fpos=fpos, bmax=bmax,
                      bcol=bcol, bval=bval, bsal=np.ascontiguousarray(bsal), shift=int(shift),
                      pt_indptr=pt_indptr, pt_indices=pt_indices, pt_data=pt_data)


def _fill_blocks(indptr, indices, data, perm, fpos, nf, shift):  # pragma: no cover - compiled
    """Dense block columns of the ``F`` features: ``bcol`` (block × F position → row of ``bval``
    or -1), ``bval`` (one row of ``2**shift`` values per present (block, feature), rows of a block
    in F order) and ``bmax`` (F position × block maxima)."""
    n = len(perm)
    block = 1 << shift
    nb = (n + block - 1) >> shift
    bcol = np.full((nb, nf), -1, np.int32)
    seen = np.zeros(nf, np.bool_)
    rows = 0
    for b in range(nb):
        for j in range(b << shift, min((b + 1) << shift, n)):
            p = perm[j]
            for u in range(indptr[p], indptr[p + 1]):
                pos = fpos[indices[u]]
                if pos >= 0:
                    seen[pos] = True
        for pos in range(nf):
            if seen[pos]:
                bcol[b, pos] = rows
                rows += 1
                seen[pos] = False
    bval = np.zeros((rows, block))
    bmax = np.zeros((nf, nb))
    for b in range(nb):
        for j in range(b << shift, min((b + 1) << shift, n)):
            p = perm[j]
            for u in range(indptr[p], indptr[p + 1]):
                pos = fpos[indices[u]]
                if pos >= 0:
                    v = data[u]
                    bval[bcol[b, pos], j - (b << shift)] = v
                    if v > bmax[pos, b]:
                        bmax[pos, b] = v
    return bcol, bval, bmax


def _fill_rare(indptr, indices, data, perm, fpos, pt_indptr):  # pragma: no cover - compiled
    """Posting lists (stored posting order) of the features outside ``F``, as CSR rows."""
    nnz = pt_indptr[-1]
    pt_indices = np.empty(nnz, np.int64)
    pt_data = np.empty(nnz)
    nxt = pt_indptr[:-1].copy()
    for j in range(len(perm)):
        p = perm[j]
        for u in range(indptr[p], indptr[p + 1]):
            f = indices[u]
            if fpos[f] < 0:
                pt_indices[nxt[f]] = j
                pt_data[nxt[f]] = data[u]
                nxt[f] += 1
    return pt_indices, pt_data


def _sift_down(heap, key, c, n):  # pragma: no cover - compiled
    """Restore the max-heap property of ``heap[:n]`` (ordered by ``key[heap[.]]``) below ``c``."""
    x = heap[c]
    kx = key[x]
    while True:
        left = 2 * c + 1
        if left >= n:
            break
        big = left
        if left + 1 < n and key[heap[left + 1]] > key[heap[left]]:
            big = left + 1
        if key[heap[big]] <= kx:
            break
        heap[c] = heap[big]
        c = big
    heap[c] = x


def _heap_place(hv, hx, c, n, val, idx):  # pragma: no cover - compiled
    """Put (``val``, ``idx``) at slot ``c`` of the min-heap ``hv[:n]`` / ``hx[:n]`` and sift it down."""
    while True:
        left = 2 * c + 1
        if left >= n:
            break
        small = left
        if left + 1 < n and hv[left + 1] < hv[left]:
            small = left + 1
        if hv[small] >= val:
            break
        hv[c] = hv[small]
        hx[c] = hx[small]
        c = small
    hv[c] = val
    hx[c] = idx


def _rows(q_indptr, q_indices, q_data, q_cut, q_exp, lo, hi, fpos, bmax, bcol, bval, bsal, shift,
          pt_indptr, pt_indices, pt_data, psal, elig, has_mask, bonus_salary, margin,
          out_idx, out_val):  # pragma: no cover
    """Kernel: top ``k1`` of rows ``lo:hi`` of the query matrix (see the module docstring).

    Compiled by numba; coverage can't see inside it, the tests check its results against brute
    force instead.  Blocks of postings are visited best bound first and the scan ends at the
    first block whose bound is below the heap's minimum.
    """
    n_p = len(psal)
    nf = bmax.shape[0]
    nb_all = len(bsal)
    block = 1 << shift
    k1 = out_idx.shape[1]
    acc = np.zeros(n_p)
    bm = np.zeros(nb_all)
    bb = np.empty(nb_all)
    bh = np.empty(nb_all, np.int64)
    s = np.empty(block)
    fp = np.empty(nf, np.int64)
    fw = np.empty(nf)
    hv = np.empty(k1)
    hx = np.empty(k1, np.int64)
    for r in range(lo, hi):
        nfq = 0
        for t in range(q_indptr[r], q_indptr[r + 1]):
            f = q_indices[t]
            w = q_data[t]
            pos = fpos[f]
            if pos >= 0:
                fp[nfq] = pos
                fw[nfq] = w
                nfq += 1
            else:
                for u in range(pt_indptr[f], pt_indptr[f + 1]):
                    p = pt_indices[u]
                    v = acc[p] + w * pt_data[u]
                    acc[p] = v
                    b = p >> shift
                    if v > bm[b]:
                        bm[b] = v
        cut = q_cut[r]
        e = q_exp[r]
        nb = (cut + block - 1) >> shift
        # block bounds: exact max of the accumulated part + block maxima of the F part + salary
        for b in range(nb):
            bb[b] = bm[b] + (bonus_salary if bsal[b] >= e else 0.0)
        for t in range(nfq):
            w = fw[t]
            row = bmax[fp[t]]
            for b in range(nb):
                bb[b] += w * row[b]
        # max-heap of the blocks by bound (heapify is linear; only the visited blocks are popped)
        for b in range(nb):
            bh[b] = b
        for c0 in range(nb // 2 - 1, -1, -1):
            _sift_down(bh, bb, c0, nb)
        nheap = nb
        size = 0
        hmin = 0.0
        while nheap > 0:
            b = bh[0]
            if size == k1 and bb[b] < hmin - margin:
                break
            nheap -= 1
            bh[0] = bh[nheap]
            _sift_down(bh, bb, 0, nheap)
            start = b << shift
            stop = min(start + block, cut)
            width = stop - start
            for j in range(width):
                s[j] = acc[start + j] + (bonus_salary if psal[start + j] >= e else 0.0)
            for t in range(nfq):
                c = bcol[b, fp[t]]
                if c >= 0:
                    w = fw[t]
                    col = bval[c]
                    for j in range(width):
                        s[j] += w * col[j]
            for j in range(width):
                sc = s[j]
                if sc <= 0.0 or (size == k1 and sc <= hmin):
                    continue
                p = start + j
                if has_mask and not elig[p]:
                    continue
                if size < k1:
                    # push, sift up (min-heap on the score)
                    c = size
                    size += 1
                    while c > 0:
                        parent = (c - 1) // 2
                        if hv[parent] <= sc:
                            break
                        hv[c] = hv[parent]
                        hx[c] = hx[parent]
                        c = parent
                    hv[c] = sc
                    hx[c] = p
                    if size == k1:
                        hmin = hv[0]
                else:
                    _heap_place(hv, hx, 0, k1, sc, p)  # replaces the smallest
                    hmin = hv[0]
        # clear the accumulator where the scatter wrote (values are >= 0, so bm > 0 marks it)
        for b in range(nb_all):
            if bm[b] > 0.0:
                start = b << shift
                stop = min(start + block, n_p)
                for p in range(start, stop):
                    acc[p] = 0.0
                bm[b] = 0.0
        # pop everything: smallest last
        for t in range(k1):
            out_idx[r, t] = -1
            out_val[r, t] = 0.0
        while size > 0:
            size -= 1
            out_idx[r, size] = hx[0]
            out_val[r, size] = hv[0]
            if size > 0:
                _heap_place(hv, hx, 0, size, hv[size], hx[size])


_compiled: tuple | None = None


def _get_kernels():
    """(scan kernel, block filler, rare-list filler), compiled by numba (or loaded from its on-disk
    cache) on first use only, so importing the library stays fast."""
    global _compiled
    if _compiled is None:
        import numba

        jit = numba.njit(nogil=True, cache=True)
        # _rows calls the heap helpers through this module's globals: compile them first
        for name in ("_sift_down", "_heap_place"):
            globals()[name] = numba.njit(nogil=True, cache=True, inline="always")(globals()[name])
        _compiled = (jit(_rows), jit(_fill_blocks), jit(_fill_rare))
    return _compiled


def warm() -> float:
    """Compile the kernels (or load them from numba's cache) on a tiny example; seconds taken."""
    import time

    t0 = time.perf_counter()
    P = sp.csr_matrix(np.array([[0.6, 0.8, 0.0], [0.0, 0.6, 0.8], [1.0, 0.0, 0.0]]))
    index = build_index(P, np.zeros(3), np.full(3, 5000.0), n_frequent=1, shift=1)
    topk(index, P, np.zeros(3), np.full(3, 4000.0), None, 0.02, 2)
    return time.perf_counter() - t0


def topk(index: BoundIndex, q: sp.csr_matrix, q_level: np.ndarray, q_exp: np.ndarray,
         mask: np.ndarray | None, bonus_salary: float, k1: int, n_jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
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
    kernel = _get_kernels()[0]
    n = q.shape[0]
    out_idx = np.full((n, k1), -1, dtype=np.int64)
    out_val = np.zeros((n, k1))
    if n == 0 or k1 <= 0 or len(index.perm) == 0:
        return out_idx, out_val
    if q.nnz and q.data.min() < 0:
        raise ValueError("the bounded product needs non-negative query values")
    q_indptr = q.indptr.astype(np.int64)
    q_indices = q.indices.astype(np.int64)
    q_data = q.data.astype(np.float64)
    q_cut = np.searchsorted(index.plevel, np.asarray(q_level, dtype=np.int64), side="right").astype(np.int64)
    q_exp = np.ascontiguousarray(q_exp, dtype=np.float64)
    has_mask = mask is not None
    elig = np.ascontiguousarray(mask[index.perm], dtype=np.bool_) if has_mask else np.ones(1, dtype=np.bool_)

    def run(lo: int, hi: int) -> None:
        kernel(q_indptr, q_indices, q_data, q_cut, q_exp, lo, hi, index.fpos, index.bmax, index.bcol,
                index.bval, index.bsal, index.shift, index.pt_indptr, index.pt_indices, index.pt_data,
                index.psal, elig, has_mask, float(bonus_salary), MARGIN, out_idx, out_val)

    jobs = max(1, min(int(n_jobs or 1), n))
    if jobs == 1:
        run(0, n)
    else:
        from concurrent.futures import ThreadPoolExecutor

        bounds = np.linspace(0, n, jobs + 1).astype(int)
        with ThreadPoolExecutor(max_workers=jobs) as ex:
            list(ex.map(lambda b: run(*b), zip(bounds[:-1], bounds[1:])))
    found = out_idx >= 0
    out_idx[found] = index.perm[out_idx[found]]
    return out_idx, out_val
