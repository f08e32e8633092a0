"""Command line: ``python -m matching rank|evaluate``.

Exit status: 0 on success, 2 on bad input (a one-line error naming the line and field), 1 when the
output's reader went away or a worker process was killed.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Iterator, Sequence

from .matcher import Matcher
from .metrics import evaluate, load_qrels
from .reasons import reason_text
from .records import Intention, Posting, RecordError, load_jsonl
from .text import ANALYZERS, tokenizer


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m matching", description="Rank postings for graduates' intentions (or the reverse)."
    )
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--postings", required=True, help="postings JSON Lines file ('-' = stdin)")
        p.add_argument("--intentions", required=True, help="intentions JSON Lines file ('-' = stdin)")
        p.add_argument(
            "--analyzer", default=None, choices=sorted(ANALYZERS), help="text analyzer (default: the library default)"
        )

    r = sub.add_parser("rank", help="write one JSON line of matches per intention (or posting)")
    common(r)
    r.add_argument("--top", type=int, default=10, help="matches per line (default 10)")
    r.add_argument("--reverse", action="store_true", help="rank intentions for each posting")
    r.add_argument(
        "--method",
        default=None,
        choices=("auto", "bound", "topn", "dense"),
        help="batch method (default: the library's choice)",
    )
    r.add_argument("--timings", action="store_true", help="print the time of each phase on standard error")
    r.add_argument("--text", action="store_true", help='add each reason\'s Chinese sentence ("text")')
    r.add_argument(
        "--processes",
        type=int,
        default=None,
        help="worker processes that explain and write the matches while this one ranks "
        "(default: one per CPU core up to 64, none on one core or for fewer than 512 intentions; 0 = none)",
    )
    e = sub.add_parser("evaluate", help="print nDCG@10, P@5 and MRR against graded qrels")
    common(e)
    e.add_argument("--qrels", required=True, help="TSV: intention id, posting id, grade (1 or 2)")
    e.add_argument("--detail", action="store_true", help="also print per-intention figures")
    e.add_argument("--no-rules", action="store_true", help="text similarity only (all bonuses 0)")
    e.add_argument(
        "--plain",
        action="store_true",
        help="uniform field weights and no max_df pruning (the baselines of docs/matching.md)",
    )
    sub.add_parser(
        "warm",
        help="compile the batch kernel now (numba caches it on disk), so the first large batch does not wait for it",
    )
    return ap


def _load(path: str, cls: type, what: str) -> list:
    try:
        return load_jsonl(path, cls)
    except RecordError as err:
        raise SystemExit(_fail(f"{what} {path}: {err}"))
    except OSError as err:
        raise SystemExit(_fail(f"{what} {path}: {err.strerror}"))


#: JSON as ``json.dumps(o, ensure_ascii=False)`` writes it (one encoder, not a new one per call).
_JSON = json.JSONEncoder(ensure_ascii=False).encode


class _Lines:
    """JSON Lines of ranked matches, as ``json.dumps`` writes them, with each reason encoded once:
    the rule reasons are objects shared by many pairs (a posting's city, a graduate's major), so
    their JSON is kept by object (pinned while kept, so an id is never reused)."""

    def __init__(self, text: bool):
        self.text = text
        self._reasons: dict[int, tuple[object, str]] = {}

    def _reason(self, r) -> str:
        got = self._reasons.get(id(r))
        if got is None:
            d = r.to_dict()
            if self.text:  # also the library's Chinese sentence, for a human reader
                d["text"] = reason_text(r)
            got = self._reasons[id(r)] = (r, _JSON(d))
        return got[1]

    def line(self, key: str, record_id: str, other: str, matches) -> str:
        """``{"<key>": id, "matches": [{"<other>": id, "score", "band", "reasons"}, ...]}``."""
        string, reason, attr = _JSON, self._reason, other + "_id"
        # a finite float's JSON is its repr (json.dumps writes float.__repr__)
        items = ", ".join(
            f'{{"{other}": {string(getattr(x, attr))}, "score": {round(x.score, 4)!r}, '
            f'"band": "{x.band}", "reasons": [{", ".join([reason(r) for r in x.reasons])}]}}'
            for x in matches
        )
        return f'{{"{key}": {string(record_id)}, "matches": [{items}]}}\n'


#: Most worker processes ``--processes`` may ask for.
MAX_PROCESSES = 64
#: Intentions per task of the worker processes: small enough that the last chunk's explanations
#: are shared out, large enough that a task's cost is not in passing it.
_TASK = 256
#: In a worker process: the fitted matcher (inherited from the parent by fork) and its writer.
_worker: tuple[Matcher, _Lines] | None = None


def _start_worker(m: Matcher, text: bool) -> None:
    global _worker
    _worker = (m, _Lines(text))
    tokenizer()  # jieba's dictionary, loaded while the parent builds its index


def _explain_chunk(items: list, worker: tuple[Matcher, _Lines] | None = None) -> list[tuple[str, str]]:
    """``(intention id, JSON line)`` for each item of a ranked chunk, by ``worker`` (by default,
    this worker process's)."""
    m, lines = worker or _worker
    return [(i.id, lines.line("intention", i.id, "posting", ms)) for (i, *_), ms in zip(items, m.explain_items(items))]


def _forward_lines(m: Matcher, intentions: list[Intention], top: int, text: bool, processes: int) -> Iterator[str]:
    """One JSON line per input intention, in input order (a repeated id repeats its line).

    This process ranks chunk after chunk (the kernel on its own threads); with ``processes`` > 0,
    worker processes forked from it, which share the fitted matcher, explain and write each chunk
    meanwhile. Explaining and writing are pure Python, about as long as the ranking, and would
    otherwise wait for one core.
    """
    left = Counter(i.id for i in intentions)
    done: dict[str, str] = {}
    at = 0

    def ready(lines: list[tuple[str, str]]) -> Iterator[str]:
        nonlocal at
        done.update(lines)
        while at < len(intentions) and intentions[at].id in done:
            key = intentions[at].id
            left[key] -= 1
            yield done[key] if left[key] else done.pop(key)
            at += 1

    chunks = m.ranked_chunks(intentions, top_k=top)
    few = len(intentions) < 2 * _TASK  # forking and loading jieba per worker would cost more than it saves
    if processes <= 0 or few or "fork" not in multiprocessing.get_all_start_methods():
        here = (m, _Lines(text))
        for items in chunks:
            yield from ready(_explain_chunk(items, here))
        return
    pool = ProcessPoolExecutor(processes, multiprocessing.get_context("fork"), _start_worker, (m, text))
    try:
        pool.submit(int).result()  # fork the workers now, before this process starts any thread
        pending: deque = deque()
        for items in chunks:
            pending.extend(pool.submit(_explain_chunk, items[lo : lo + _TASK]) for lo in range(0, len(items), _TASK))
            while pending and pending[0].done():
                yield from ready(pending.popleft().result())
        while pending:
            yield from ready(pending.popleft().result())
    finally:  # also when the reader went away: drop what is queued, let the running tasks end
        pool.shutdown(cancel_futures=True)


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the machine's), or 0 for one."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return n if n > 1 else 0


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """A ranking allocates millions of small objects (records, vectors' rows, matches, reasons)
    that hold no reference cycles and live until the end; the cycle collector would walk them all
    again each time enough new ones pile up, a fifth of a large run. Not while this runs."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fail(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with _without_cycle_collector():
        try:
            return _run(args)
        except BrokenPipeError:  # the reader went away (``| head``): stop quietly, as the docs advise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        except BrokenProcessPool:  # a worker was killed (out of memory, a signal): say so, do not wait
            print("error: a worker process stopped; try --processes 0", file=sys.stderr)
            return 1


def _run(args: argparse.Namespace) -> int:
    if args.cmd == "warm":
        from . import bound

        if not bound.available():
            return _fail("numba is not installed: batches use sparse_dot_topn or scipy instead")
        print(f"batch kernel ready in {bound.warm():.1f} s")
        return 0
    if args.cmd == "rank" and args.processes is not None and not 0 <= args.processes <= MAX_PROCESSES:
        return _fail(f"--processes must be between 0 and {MAX_PROCESSES}")  # each one is a fork with its own caches
    if args.postings == "-" and args.intentions == "-":
        return _fail("only one of --postings and --intentions can read standard input")
    postings = _load(args.postings, Posting, "postings")
    intentions = _load(args.intentions, Intention, "intentions")
    params = {}
    if args.analyzer:
        params["analyzer"] = args.analyzer
    if getattr(args, "plain", False):
        from .matcher import PLAIN_INTENTION_WEIGHTS, PLAIN_POSTING_WEIGHTS

        params.update(posting_weights=PLAIN_POSTING_WEIGHTS, intention_weights=PLAIN_INTENTION_WEIGHTS, max_df=1.0)
    if getattr(args, "no_rules", False):
        params.update(bonus_major=0.0, bonus_city=0.0, bonus_industry=0.0, bonus_salary=0.0)
    if getattr(args, "method", None):
        params["batch_method"] = args.method
    t0 = time.perf_counter()
    m = Matcher(**params).fit(postings)
    out = sys.stdout
    timings = getattr(args, "timings", False)
    if timings:
        print(f"load and fit: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    if args.cmd == "rank":
        t0 = time.perf_counter()
        if args.reverse:
            lines = _Lines(args.text)
            m.fit_intentions(intentions)
            res = m.rank_intentions_batch(postings, top_k=args.top)
            out.writelines(lines.line("posting", p.id, "intention", res[p.id]) for p in postings)
        else:
            processes = min(_cores(), MAX_PROCESSES) if args.processes is None else args.processes
            out.writelines(_forward_lines(m, intentions, args.top, args.text, processes))
        if timings:
            print(f"rank with reasons and write: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
        return 0
    try:
        qrels = load_qrels(args.qrels)
    except (ValueError, OSError) as err:
        return _fail(f"qrels {args.qrels}: {err}")
    res = m.rank_batch(intentions, top_k=None, explain=False)
    runs = {qid: [x.posting_id for x in ms] for qid, ms in res.items()}
    ev = evaluate(runs, qrels)
    if args.detail:
        for qid, v in ev["per_intention"].items():
            out.write(f"{qid}\tnDCG@10={v['nDCG@10']:.4f}\tP@5={v['P@5']:.4f}\tMRR={v['MRR']:.4f}\n")
    out.write(f"all\tnDCG@10={ev['nDCG@10']:.4f}\tP@5={ev['P@5']:.4f}\tMRR={ev['MRR']:.4f}\tn={ev['n']}\n")
    return 0
