"""The block-bound kernel (matching.bound) is exact: same top-k as brute force and as rank()."""

import random

import numpy as np
import pytest
import scipy.sparse as sp

import matching.batch as mb
import matching.matcher as mm
from matching import Matcher, bound

pytestmark = pytest.mark.skipif(not bound.available(), reason="numba is not installed")

TITLES = ["Java开发工程师", "数据分析师", "会计", "护士", "化工工艺工程师", "电气工程师", "酒店管理培训生", "销售代表"]
WORDS = ["负责", "系统", "开发", "数据", "分析", "财务", "护理", "工艺", "设备", "客户", "服务", "管理", "白酒", "光伏"]
CITIES = ["贵阳", "遵义", "六盘水", "安顺"]
DEGREES = ["专科", "本科", "硕士", "博士"]


def _records(seed: int, n_postings: int = 300, n_intentions: int = 120, copies: int = 1):
    rng = random.Random(seed)
    postings = []
    for j in range(n_postings):
        p = dict(
            id=f"p{j}",
            employer=f"公司{j % 23}",
            title=rng.choice(TITLES),
            description="，".join(rng.sample(WORDS, 4)),
            industry=rng.choice(["软件", "医疗", "化工"]),
            majors=[rng.choice(["软件工程", "护理学", "会计学"])],
            education=rng.choice(DEGREES[:3]),
            city=rng.choice(CITIES),
            salary_min=3000,
            salary_max=rng.randrange(4000, 12000, 500),
            headcount=1,
        )
        postings.extend(dict(p, id=f"{p['id']}c{c}") for c in range(copies))  # copies tie exactly
    intentions = [
        dict(
            id=f"i{j}",
            major=rng.choice(["软件工程", "护理学", "会计学", ""]),
            education=rng.choice(DEGREES),
            positions=[rng.choice(TITLES)],
            industries=[rng.choice(["软件", "医疗"])],
            cities=rng.sample(CITIES, k=rng.randint(0, 2)),
            skills="、".join(rng.sample(WORDS, 2)),
            statement="，".join(rng.sample(WORDS, 3)),
            salary_expectation=rng.choice([None, 0, 3000, 5000, 6500, 8000, 11000]),
        )
        for j in range(n_intentions)
    ]
    return postings, intentions


def _brute(m: Matcher, intentions, k: int):
    """Every pair scored with scipy, the rules applied from the arrays, a full sort."""
    from matching import rules as R

    recs = [mm.coerce([i], mm.Intention)[0] for i in intentions]
    q = m._transform_intentions(recs, False)
    s = (q @ m.posting_matrix_.T).toarray()
    out = {}
    for r, it in enumerate(recs):
        row = s[r].copy()
        if it.salary_expectation is not None:
            row += m.bonus_salary * (m.posting_salaries_ >= it.salary_expectation)
        row = np.round(row, 9)
        row[m.posting_levels_ > R.intention_level(it)] = 0.0
        order = [j for j in np.lexsort((np.arange(len(row)), -row))[:k] if row[j] > 0]
        out[it.id] = [(m.posting_ids_[j], float(row[j])) for j in order]
    return out


@pytest.fixture
def bound_batch(ids_scores):
    def run(m: Matcher, intentions, k: int):
        return ids_scores(m.rank_batch(intentions, top_k=k, explain=False, method="bound"))

    return run


@pytest.mark.parametrize("n_frequent, shift", [(0, 2), (8, 3), (64, 4), (10_000, 6)])
def test_kernel_equals_brute_force(monkeypatch, bound_batch, n_frequent, shift):
    """All features accumulated, a few or all of them bounded per block, several block sizes."""
    postings, intentions = _records(1)
    m = Matcher(chunk_size=37).fit(postings)
    real_build = bound.build_index
    monkeypatch.setattr(
        bound, "build_index", lambda *a, **kw: real_build(*a, **dict(kw, n_frequent=n_frequent, shift=shift))
    )
    assert bound_batch(m, intentions, 10) == _brute(m, intentions, 10)


@pytest.mark.parametrize("k", [1, 5, 25])
@pytest.mark.parametrize("long_ties", [False, True])
def test_bound_equals_rank_with_ties(monkeypatch, bound_batch, single_queries, k, long_ties):
    """Every posting comes twice, so scores tie at the k-th place, settled from the kernel's own
    results (its slack); or k + slack times, so a tie runs past them and the single-query path
    settles it."""
    copies = k + mb._TIE_SLACK if long_ties else 2
    postings, intentions = _records(2, n_postings=90 if copies == 2 else 20, copies=copies)
    m = Matcher(chunk_size=16).fit(postings)
    fallbacks = []
    real = m._forward_scores
    monkeypatch.setattr(m, "_forward_scores", lambda *a: fallbacks.append(1) or real(*a))
    got = bound_batch(m, intentions, k)
    monkeypatch.undo()
    assert got == single_queries(m, intentions, top_k=k)
    if not long_ties:
        assert fallbacks == []
    else:
        assert fallbacks  # a tie longer than the slack: the kernel's list cannot settle it


def test_bound_respects_allowed_and_degree():
    postings, intentions = _records(3)
    m = Matcher().fit(postings)
    allowed = {p["id"] for p in postings[::4]}
    got = m.rank_batch(intentions, top_k=8, allowed=allowed, explain=False, method="bound")
    level = {d: n for n, d in enumerate(DEGREES)}
    edu = {p["id"]: level[p["education"]] for p in postings}
    for i in intentions:
        ids = [x.posting_id for x in got[i["id"]]]
        assert set(ids) <= allowed
        assert all(edu[p] <= level[i["education"]] for p in ids)
        assert ids == [x.posting_id for x in m.rank(i, top_k=8, allowed=allowed, explain=False)]


def test_all_methods_agree(ids_scores):
    postings, intentions = _records(4)
    m = Matcher(chunk_size=50).fit(postings)
    results = {
        meth: ids_scores(m.rank_batch(intentions, top_k=6, explain=False, method=meth))
        for meth in ("auto", "bound", "topn")
    }
    assert results["bound"] == results["topn"] == results["auto"]
    with pytest.raises(ValueError, match="'auto', 'bound' or 'topn'"):
        m.rank_batch(intentions, method="dense")


def test_auto_uses_the_product_for_small_batches(monkeypatch, ids_scores):
    postings, intentions = _records(6)
    m = Matcher(chunk_size=50).fit(postings)
    calls = []
    real = bound.topk
    monkeypatch.setattr(bound, "topk", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    m.rank_batch(intentions, top_k=6, explain=False)
    assert calls == []  # 120 intentions: building the index would not pay


class _Clock:
    """A clock that charges ``cost[path]`` per call pair, so a test decides which path is "faster"."""

    def __init__(self, bound_cost: float, product_cost: float):
        self.costs = [0.0, bound_cost, bound_cost, bound_cost + product_cost]
        self.n = 0

    def __call__(self) -> float:
        self.n += 1
        return self.costs[min(self.n - 1, 3)]


@pytest.mark.parametrize("bound_cost, product_cost, kernel_for_rest", [(1.0, 2.0, True), (2.0, 1.0, False)])
def test_auto_measures_both_paths_and_keeps_the_faster(
    monkeypatch, ids_scores, bound_cost, product_cost, kernel_for_rest
):
    """On big batches "auto" runs both paths on a sample (here 1/8 of 160) and the faster one on
    the rest; either way the results are those of each path alone."""
    postings, intentions = _records(6, n_intentions=160)
    m = Matcher(chunk_size=50).fit(postings)
    expected = ids_scores(m.rank_batch(intentions, top_k=6, explain=False, method="topn"))
    monkeypatch.setattr(mb, "_BOUND_MIN_BATCH", 100)
    monkeypatch.setattr(mb, "_clock", _Clock(bound_cost, product_cost))
    chunks = []
    real = bound.topk
    monkeypatch.setattr(bound, "topk", lambda index, q, *a, **kw: chunks.append(q.shape[0]) or real(index, q, *a, **kw))
    got = ids_scores(m.rank_batch(intentions, top_k=6, explain=False))
    assert got == expected
    assert sum(chunks) == (160 if kernel_for_rest else 20)


def test_whole_ranking_falls_back_to_plain_product(ids_scores, single_queries):
    postings, intentions = _records(5, n_postings=40, n_intentions=10)
    m = Matcher().fit(postings)
    got = ids_scores(m.rank_batch(intentions, top_k=None, explain=False, method="bound"))
    assert got == single_queries(m, intentions, top_k=None)


def test_negative_values_are_refused():
    P = sp.csr_matrix(np.array([[0.5, -0.1], [0.2, 0.3]]))
    with pytest.raises(ValueError, match="non-negative"):
        bound.build_index(P, np.zeros(2), np.zeros(2))
    index = bound.build_index(abs(P), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="non-negative"):
        bound.topk(index, sp.csr_matrix(np.array([[-1.0, 0.0]])), np.zeros(1), np.full(1, np.inf), None, 0.0, 2)


def test_topk_pads_missing_results():
    """Fewer scoring postings than k + 1: -1 / 0 padding, best first, original indices."""
    P = sp.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0], [0.6, 0.8]]))
    index = bound.build_index(P, np.array([0, 1, 0]), np.array([-1.0, 5000.0, 3000.0]), order=np.array([2, 1, 0]))
    q = sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 0.0]]))
    idx, val = bound.topk(index, q, np.array([1, 0]), np.array([4000.0, np.inf]), None, 0.1, 3, n_jobs=2)
    assert idx.tolist() == [[1, 2, -1], [-1, -1, -1]]
    assert val[0].tolist() == pytest.approx([1.1, 0.6, 0.0])


def test_kernels_are_initialised_once_from_two_threads(monkeypatch):
    """Two threads asking for the kernels at once get the same compiled set (numba's on-disk cache
    makes the second initialisation cheap)."""
    import threading

    monkeypatch.setattr(bound, "_compiled", None)
    start = threading.Barrier(2)
    got = []

    def ask():
        start.wait()
        got.append(bound._get_kernels())

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 2 and got[0] is got[1]
    P = sp.csr_matrix(np.array([[0.6, 0.8], [1.0, 0.0]]))
    idx, _ = bound.topk(
        bound.build_index(P, np.zeros(2), np.zeros(2)), P, np.zeros(2), np.full(2, np.inf), None, 0.0, 1
    )
    assert idx[:, 0].tolist() == [0, 1]
