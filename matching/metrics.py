"""Ranking metrics: nDCG@10, P@5 and MRR with graded relevance (qrels)."""

from __future__ import annotations

import math
from typing import Mapping, Sequence

__all__ = ["load_qrels", "ndcg_at", "precision_at", "reciprocal_rank", "evaluate"]

Qrels = dict[str, dict[str, int]]


def load_qrels(path: str) -> Qrels:
    """Read a qrels file: ``intention_id<TAB>posting_id<TAB>grade`` (grade 0, 1 or 2).

    Blank lines and lines starting with ``#`` are skipped; absent pairs have grade 0.

    Raises
    ------
    ValueError
        Naming the line number of a malformed line.
    """
    out: Qrels = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                raise ValueError(f"line {lineno}: expected 3 tab-separated fields, got {len(parts)}")
            try:
                grade = int(parts[2])
            except ValueError:
                raise ValueError(f"line {lineno}: grade {parts[2]!r} is not an integer") from None
            if grade not in (0, 1, 2):
                raise ValueError(f"line {lineno}: grade must be 0, 1 or 2, got {grade}")
            if grade:
                out.setdefault(parts[0].strip(), {})[parts[1].strip()] = grade
    return out


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with gain ``2**grade - 1`` and discount ``log2(rank + 1)``."""
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(r + 2) for r, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def precision_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """Fraction of the first ``k`` positions holding a relevant (grade >= 1) item."""
    return sum(1 for d in ranked[:k] if grades.get(d, 0) >= 1) / k


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """1 / rank of the first relevant item (0 when none is ranked)."""
    for r, d in enumerate(ranked):
        if grades.get(d, 0) >= 1:
            return 1.0 / (r + 1)
    return 0.0


def evaluate(runs: Mapping[str, Sequence[str]], qrels: Qrels) -> dict[str, object]:
    """Score ranked lists against qrels.

    Parameters
    ----------
    runs : dict of intention id to ranked posting ids (best first)
    qrels : dict of intention id to {posting id: grade}

    Returns
    -------
    dict
        ``{"nDCG@10": .., "P@5": .., "MRR": .., "n": .., "per_intention": {id: {...}}}``;
        intentions without any relevant posting in the qrels are skipped (as trec_eval does).
    """
    per: dict[str, dict[str, float]] = {}
    for qid, ranked in runs.items():
        g = qrels.get(qid)
        if not g:
            continue
        per[qid] = {
            "nDCG@10": ndcg_at(ranked, g, 10),
            "P@5": precision_at(ranked, g, 5),
            "MRR": reciprocal_rank(ranked, g),
        }
    n = len(per)
    agg = {m: (sum(v[m] for v in per.values()) / n if n else 0.0) for m in ("nDCG@10", "P@5", "MRR")}
    return {**agg, "n": n, "per_intention": per}
