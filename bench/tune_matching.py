"""Grid search of the ranking parameters on the development set (bench/data), nothing else.

Prints nDCG@10, P@5 and MRR for every setting, overall and on the intentions whose statement and
chosen positions disagree (G047-G058, labelled by the positions), best overall first.

Run: ``.venv/bin/python bench/tune_matching.py [--top 15]``.
"""

from __future__ import annotations

import argparse
import itertools
import os

from matching import Intention, Matcher, Posting, evaluate, load_jsonl, load_qrels

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
#: The intentions whose statement and skills say one thing and the chosen positions another.
DISAGREE = {f"G{n:03d}" for n in range(47, 59)}

GRID = {
    "title_weight": [0.15, 0.2, 0.25],
    "city_focus": [0.0, 0.5, 1.0],
    "bonus_city": [0.12, 0.16, 0.2],
    "bonus_industry": [0.08, 0.12],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    postings = load_jsonl(os.path.join(HERE, "postings.jsonl"), Posting)
    intentions = load_jsonl(os.path.join(HERE, "intentions.jsonl"), Intention)
    qrels = load_qrels(os.path.join(HERE, "qrels.tsv"))
    rows = []
    keys = list(GRID)
    for values in itertools.product(*GRID.values()):
        params = dict(zip(keys, values))
        m = Matcher(**params).fit(postings)
        res = m.rank_batch(intentions, top_k=None, explain=False)
        runs = {q: [x.posting_id for x in ms] for q, ms in res.items()}
        ev = evaluate(runs, qrels)
        sub = evaluate({q: r for q, r in runs.items() if q in DISAGREE}, qrels)
        rows.append((ev["nDCG@10"], ev["P@5"], ev["MRR"], sub["nDCG@10"], sub["MRR"], params))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    print("nDCG@10  P@5     MRR     | disagree nDCG@10 MRR | params")
    for r in rows[: args.top]:
        print(f"{r[0]:.4f}   {r[1]:.4f}  {r[2]:.4f}  | {r[3]:.4f}   {r[4]:.4f}     | {r[5]}")


if __name__ == "__main__":
    main()
