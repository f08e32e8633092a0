"""Exact top-k helpers shared by single queries and batches: ordering, ties, masks, rows."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

#: Scores are compared after rounding to this many decimals (ties then break by index order).
TIE_DECIMALS = 9


def row_of(m: sp.csr_matrix, r: int) -> tuple[np.ndarray, np.ndarray]:
    """(sorted indices, values) of row ``r`` of a CSR matrix with sorted indices, as views."""
    lo, hi = m.indptr[r], m.indptr[r + 1]
    return m.indices[lo:hi], m.data[lo:hi]


def chunks(seq: Sequence[Any], size: int) -> Iterator[Any]:
    return (seq[s : s + size] for s in range(0, len(seq), size))


def dedupe(recs: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for r in recs:
        seen.pop(r.id, None)
        seen[r.id] = r
    return list(seen.values())


def id_mask(index: Mapping[str, int], ids: Iterable[Any], n: int) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    pos = [index[s] for s in (str(x) for x in ids) if s in index]
    if pos:
        m[np.asarray(pos, dtype=np.int64)] = True
    return m


def top(idx: np.ndarray, val: np.ndarray, top_k: int | None) -> tuple[np.ndarray, np.ndarray]:
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
