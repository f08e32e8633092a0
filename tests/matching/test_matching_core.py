import json
import zipfile

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from matching import DEGREES, FormatError, Intention, Match, Matcher, Posting, Reason, RecordError, reason_text
from matching.metrics import evaluate, ndcg_at, precision_at, reciprocal_rank
from matching.text import ANALYZERS, normalize


def test_normalize_fullwidth_case_punct():
    assert normalize("ＪＡＶＡ开发，熟悉ＳＱＬ！") == "java开发 熟悉sql "


@pytest.mark.parametrize("name", [a for a in ANALYZERS if a != "sklearn"])
def test_analyzers_never_emit_sentence_tokens(name):
    text = "我学的是软件工程，想在贵阳做后端开发；熟悉Java和MySQL。"
    toks = ANALYZERS[name](text)
    assert toks
    for t in toks:
        t = t.lstrip("\x01")
        assert len(t) <= 6, t
        assert "，" not in t and "," not in t
    assert "java" in [t.lstrip("\x01") for t in toks]


def test_sklearn_baseline_is_the_known_bad_one():
    assert "我学的是软件工程" in ANALYZERS["sklearn"]("我学的是软件工程，想在贵阳")


def test_word_analyzer_keeps_domain_terms():
    toks = ANALYZERS["word"]("想去新能源汽车或者磷化工企业，也可以做大数据")
    for w in ("新能源汽车", "磷化工", "大数据"):
        assert w in toks


def test_unfitted_raises():
    with pytest.raises(NotFittedError):
        Matcher().rank({"id": 1, "major": "x"})


def test_degree_rule_both_directions(postings, intention):
    m = Matcher().fit(postings)
    ids = [x.posting_id for x in m.rank(intention, top_k=None)]
    assert "3" not in ids and "6" not in ids  # 博士 / 硕士 above 本科
    assert "1" == ids[0]
    m.fit_intentions(
        [
            intention,
            Intention(id="phd", major="计算机科学与技术", education="博士", statement="机器学习算法研究，Python"),
        ]
    )
    rev = [x.intention_id for x in m.rank_intentions(postings[2], top_k=None)]
    assert rev == ["phd"]
    # 本科 graduate is eligible for the 本科 posting in the reverse direction
    assert "g1" in [x.intention_id for x in m.rank_intentions(postings[0], top_k=None)]
    # batch too
    b = m.rank_batch([intention], top_k=None)["g1"]
    assert {x.posting_id for x in b} == set(ids)
    for deg in DEGREES:
        it = Intention(id="d", education=deg, statement="后端开发 数据仓库 算法研究 护理 白酒")
        for x in m.rank(it, top_k=None):
            p = postings[int(x.posting_id) - 1]
            assert DEGREES.index(p.education) <= DEGREES.index(deg)


def test_scores_and_reasons(postings, intention):
    m = Matcher().fit(postings)
    res = m.rank(intention, top_k=10)
    assert all(0.0 <= x.score <= 1.0 for x in res)
    assert [x.score for x in res] == sorted([x.score for x in res], reverse=True)
    top = res[0]
    assert isinstance(top, Match)
    assert "Java" in top.terms or "后端开发" in top.terms
    assert all(len(t) >= 2 for t in top.terms)
    assert set(top.rules) == {"major", "city", "industry", "salary"}
    assert [r.code for r in top.reasons] == ["terms", "major", "city", "industry", "salary"]
    assert top.reasons[0].data["terms"] == tuple(top.terms)
    assert Reason("major", {"major": "软件工程"}) in top.reasons
    assert Reason("city", {"city": "贵阳市"}) in top.reasons
    assert Reason("salary", {"salary": 9000, "expectation": 7000}) in top.reasons
    # the library's own Chinese rendering (the app renders the codes in the user's language)
    assert reason_text(top.reasons[0]).startswith("共同关键词：")
    assert reason_text(top.reasons[1]) == "专业对口：软件工程"
    assert top.band in ("strong", "good", "fair")
    d = json.loads(json.dumps(top.to_dict(), ensure_ascii=False))
    assert d["reasons"][1] == {"code": "major", "major": "软件工程"}
    assert json.loads(json.dumps(top.to_dict(), ensure_ascii=False))["posting_id"] == "1"
    # perfect-ish pair never exceeds 1
    m2 = Matcher().fit([postings[0]])
    same = Intention(
        id="s",
        major="软件工程",
        education="本科",
        industries=["软件和信息技术服务"],
        cities=["贵阳"],
        salary_expectation=1,
        positions=["Java后端开发工程师"],
        statement="负责政务云平台的后端开发，使用Spring Boot与MySQL",
    )
    s = m2.rank(same)[0].score
    assert 0.85 < s <= 1.0


def test_allowed_filter(postings, intention):
    m = Matcher().fit(postings)
    res = m.rank(intention, allowed={"2", "5"})
    assert {x.posting_id for x in res} <= {"2", "5"}
    assert m.rank(intention, allowed=m.posting_mask(["2"]))[0].posting_id == "2"
    assert [x.posting_id for x in m.rank_batch([intention], allowed={"2"})["g1"]] == ["2"]


def test_save_load_roundtrip_and_version(tmp_path, postings, intention):
    m = Matcher().fit(postings)
    m.fit_intentions([intention])
    p = tmp_path / "idx.zip"
    m.save(p)
    m2 = Matcher.load(p)
    assert m2.posting_ids_ == m.posting_ids_ and m2.get_params() == m.get_params()
    assert [x.to_dict() for x in m2.rank(intention)] == [x.to_dict() for x in m.rank(intention)]
    assert m2.rank_intentions(postings[0]) == m.rank_intentions(postings[0])
    # wrong version
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "meta.json":
                meta = json.loads(data)
                meta["version"] = 99
                data = json.dumps(meta).encode()
            zout.writestr(item, data)
    with pytest.raises(FormatError, match="version 99"):
        Matcher.load(bad)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a zip")
    with pytest.raises(FormatError):
        Matcher.load(junk)


def test_incremental_add_and_remove(postings, intention):
    base = Matcher().fit(postings[:4])
    inc = Matcher().fit(postings[:4]).add_postings(postings[4:])
    assert inc.n_postings_ == 6 and base.n_postings_ == 4
    assert inc.vocabulary_ == base.vocabulary_  # no refit
    np.testing.assert_array_equal(inc.idf_, base.idf_)
    # each added posting scores exactly as the fitted model transforms it
    for x in inc.rank(intention, top_k=None):
        p = postings[int(x.posting_id) - 1]
        assert x.score == pytest.approx(base.score_pair(intention, p), abs=1e-9)
    # removing them again gives the original ranking
    inc.remove_postings(["5", "6"])
    assert inc.rank(intention, top_k=None) == base.rank(intention, top_k=None)
    # replacing by id
    changed = Posting(id="1", title="白酒酿造技术员", description="酱香型白酒", education="专科")
    inc.add_postings([changed])
    assert inc.n_postings_ == 4
    assert "1" not in [x.posting_id for x in inc.rank(intention, top_k=None) if "Java" in x.terms]


def test_record_errors():
    with pytest.raises(RecordError) as e:
        Posting.from_dict({"id": 1, "title": "x", "education": "小学"})
    assert e.value.field == "education"
    with pytest.raises(RecordError) as e:
        Posting.from_dict({"id": 1, "title": "x", "salary_min": "many"})
    assert e.value.field == "salary_min"
    with pytest.raises(RecordError) as e:
        Intention.from_dict({"major": "x"})
    assert e.value.field == "id"
    with pytest.raises(RecordError) as e:
        Intention.from_dict({"id": 2, "cities": 5})
    assert e.value.field == "cities"
    it = Intention.from_dict({"id": 7, "skills": "Java、Python,SQL"})
    assert it.id == "7" and it.skills == ["Java", "Python", "SQL"]


def _brute(m, intentions, k):
    """Reference: full dense product, rules applied from the records, full sort."""
    from matching import rules as R

    q = m._transform_intentions(intentions, grow=False)
    s = (q @ m.posting_matrix_.T).toarray()
    out = []
    for r, it in enumerate(intentions):
        row = []
        for j, p in enumerate(m.postings_):
            if not R.eligible(p, it):
                continue
            v = round(s[r, j] + (m.bonus_salary if R.salary_meets(p, it) else 0.0), 9)
            if v > 0:
                row.append((-v, j))
        row.sort()
        out.append([(m.posting_ids_[j], -v) for v, j in row[:k]])
    return out


@pytest.mark.parametrize("method", ["bound", "topn"])
def test_batch_exact_vs_brute_force(method):
    import random

    rng = random.Random(1)
    words = [
        "Java",
        "后端开发",
        "数据分析",
        "护理",
        "白酒",
        "酿造",
        "光伏",
        "运维",
        "会计",
        "销售",
        "导游",
        "教师",
        "化工",
        "铝加工",
    ]
    cities = ["贵阳", "遵义", "安顺"]
    posts = [
        Posting(
            id=str(n),
            title="".join(rng.sample(words, 2)),
            description="，".join(rng.sample(words, 4)),
            education=rng.choice(DEGREES[:3]),
            city=rng.choice(cities),
            salary_max=rng.randrange(3000, 9000, 500),
            majors=[rng.choice(["软件工程", "护理学", "会计学"])],
        )
        for n in range(120)
    ]
    ints = [
        Intention(
            id=f"g{n}",
            statement="，".join(rng.sample(words, 3)),
            education=rng.choice(DEGREES),
            cities=[rng.choice(cities)],
            salary_expectation=rng.randrange(3000, 9000, 500),
            major=rng.choice(["软件工程", "护理学", "会计学"]),
        )
        for n in range(40)
    ]
    m = Matcher(chunk_size=7).fit(posts)
    got = m.rank_batch(ints, top_k=5, method=method, explain=False)
    ref = _brute(m, ints, 5)
    for it, r in zip(ints, ref):
        assert [(x.posting_id, x.score) for x in got[it.id]] == [(a, pytest.approx(b, abs=1e-9)) for a, b in r]
        assert [(x.posting_id, x.score) for x in m.rank(it, top_k=5, explain=False)] == [
            (x.posting_id, x.score) for x in got[it.id]
        ]


def test_metrics_hand_computed():
    g = {"a": 2, "b": 1}
    ranked = ["x", "a", "b"]
    # DCG = 3/log2(3) + 1/log2(4); IDCG = 3/log2(2) + 1/log2(3)
    import math

    assert ndcg_at(ranked, g) == pytest.approx((3 / math.log2(3) + 0.5) / (3 + 1 / math.log2(3)))
    assert precision_at(ranked, g) == pytest.approx(2 / 5)
    assert reciprocal_rank(ranked, g) == 0.5
    ev = evaluate({"q1": ranked, "q2": ["z"]}, {"q1": g})
    assert ev["n"] == 1 and ev["MRR"] == 0.5


def test_rank_from_several_threads(postings, intention):
    from concurrent.futures import ThreadPoolExecutor

    m = Matcher().fit(postings)
    its = [
        Intention(id=f"t{n}", major=intention.major, education=d, statement=s)
        for n, (d, s) in enumerate(
            [("本科", "后端开发 Java"), ("专科", "护理 病区"), ("硕士", "数据仓库 Spark"), ("专科", "白酒 酿造")] * 5
        )
    ]
    serial = [m.rank(i) for i in its]
    with ThreadPoolExecutor(4) as ex:
        parallel = list(ex.map(m.rank, its))
    assert parallel == serial


def test_every_match_has_a_reason():
    m = Matcher().fit(
        [
            Posting(id="acct", employer="乙公司", title="会计", description="账务处理", majors=["会计学"]),
            Posting(id="java", title="Java后端开发工程师", description="后端服务开发"),
        ]
    )
    for x in m.rank(Intention(id="g", major="计算机科学与技术", positions=["Java开发"]), top_k=None):
        assert x.reasons, x


@pytest.mark.parametrize(
    "name, unigrams", [("char2", set()), ("char2+w1", {"懂", "茶"}), ("char12", {"端", "开", "发", "懂", "茶"})]
)
def test_bigram_analyzers_keep_only_whole_word_unigrams(name, unigrams):
    toks = ANALYZERS[name]("想做后端开发，也懂茶")
    assert {"后端", "开发", "懂茶"} <= set(toks)
    assert {t for t in toks if len(t) == 1} == unigrams
