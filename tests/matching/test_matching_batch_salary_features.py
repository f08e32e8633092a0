"""The batch with the salary rule folded into the product equals the single-query ranking."""

import random

import pytest

import matching.batch as mb
from matching import Matcher

CITIES = ["贵阳", "遵义", "六盘水", "安顺"]
TITLES = ["Java开发工程师", "数据分析师", "会计", "护士", "化工工艺工程师", "电气工程师", "酒店管理培训生", "销售代表"]
WORDS = ["负责", "系统", "开发", "数据", "分析", "财务", "护理", "工艺", "设备", "客户", "服务", "管理"]
DEGREES = ["专科", "本科", "硕士", "博士"]


def _data(seed: int, n_postings: int = 400, n_intentions: int = 300):
    rng = random.Random(seed)
    postings = [
        dict(
            id=f"p{j}",
            employer=f"公司{j % 37}",
            title=rng.choice(TITLES),
            description="".join(rng.sample(WORDS, 4)),
            industry="软件",
            majors=[],
            education=rng.choice(DEGREES[:3]),
            city=rng.choice(CITIES),
            salary_min=3000,
            salary_max=rng.randrange(4000, 12000, 500),
            headcount=1,
        )
        for j in range(n_postings)
    ]
    intentions = [
        dict(
            id=f"i{j}",
            major="",
            education=rng.choice(DEGREES),
            positions=[rng.choice(TITLES)],
            cities=[rng.choice(CITIES)],
            skills="、".join(rng.sample(WORDS, 2)),
            statement="",
            salary_expectation=rng.choice([None, 0, 3000, 5000, 6500, 8000, 11000]),
        )
        for j in range(n_intentions)
    ]
    return postings, intentions


@pytest.mark.parametrize("seed", [1, 2])
def test_batch_equals_single_queries(seed, ids_scores, single_queries):
    postings, intentions = _data(seed)
    m = Matcher(chunk_size=64).fit(postings)
    batch = ids_scores(m.rank_batch(intentions, top_k=10, explain=False))
    assert batch == single_queries(m, intentions, top_k=10)


def test_both_batch_methods_agree(monkeypatch, ids_scores):
    postings, intentions = _data(3)
    m = Matcher(chunk_size=50).fit(postings)
    folded = ids_scores(m.rank_batch(intentions, top_k=5, explain=False))
    monkeypatch.setattr(mb, "_MAX_SALARY_FEATURES", -1)  # force the (degree, expectation) grouping
    grouped = ids_scores(m.rank_batch(intentions, top_k=5, explain=False))
    assert folded == grouped


def test_allowed_mask_respected():
    postings, intentions = _data(4)
    m = Matcher().fit(postings)
    allowed = {f"p{j}" for j in range(0, 400, 3)}
    batch = m.rank_batch(intentions, top_k=10, allowed=allowed, explain=False)
    assert all(x.posting_id in allowed for v in batch.values() for x in v)
    single = {i["id"]: [x.posting_id for x in m.rank(i, top_k=10, allowed=allowed, explain=False)] for i in intentions}
    assert {k: [x.posting_id for x in v] for k, v in batch.items()} == single
