"""The vectorised char12 counts equal the analyzer's tokens counted one by one."""

import json
from pathlib import Path

import pytest

import matching.vectorize as mm
import matching.text as T
from matching import Intention, Matcher, Posting

ODD = [
    "ＪＡＶＡ开发，熟悉ＳＱＬ！",
    "C++/C#工程师_后端",
    "café 管理😀𠀀好",
    "的的的 了",
    "a",
    "一",
    "5G通信、AI",
    "  ",
    "Python3.11和Django",
    "数据__分析\n\t换行\r\n第二行",
    "①②③ⅣⅦ",
    "ﾃｽﾄ半角カナ",
    "ΟΔΥΣΣΕΥΣ 希腊",
    "e\u0301clair 组合符",
    "\u2028分隔\u2029段落",
    "ﬁnance 连字",
    "Ｃ＋＋ 全角",
    "#标签 +加号",
    "。。。",
    "",
]
DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def _load(name, cls):
    return [cls.from_dict(json.loads(line)) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def generic(monkeypatch):
    """The analyzer path: the same char12 tokens under another name, so the fast path is skipped."""
    monkeypatch.setitem(T.ANALYZERS, "char12-generic", T.ANALYZERS["char12"])

    def counts(m, recs, weights):
        m.analyzer = "char12-generic"
        try:
            return m._counts(recs, weights, m.vocabulary_, grow=False)
        finally:
            m.analyzer = "char12"

    return counts


@pytest.fixture
def fast_calls(monkeypatch):
    """Counts the calls of the vectorised path, so a test knows it was taken."""
    calls = []
    real = mm._char12_counts
    monkeypatch.setattr(mm, "_char12_counts", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    return calls


def _same(a, b):
    a.sort_indices()
    b.sort_indices()
    return a.shape == b.shape and (a != b).nnz == 0


def test_dev_set_and_odd_texts(generic, fast_calls):
    postings = _load("postings.jsonl", Posting) + [
        Posting(id=f"o{k}", title=t, description=t) for k, t in enumerate(ODD)
    ]
    intentions = _load("intentions.jsonl", Intention) + [
        Intention(id=f"o{k}", statement=t, skills=t, positions=[t, "Java"], major=t) for k, t in enumerate(ODD)
    ]
    m = Matcher().fit(postings)
    for recs, weights in ((intentions, m._iw()), (postings, m._pw())):
        fast = m._counts(recs, weights, m.vocabulary_, grow=False)  # char12: the vectorised path
        assert fast_calls and fast.nnz > 0
        assert _same(fast, generic(m, recs, weights))


def test_records_without_text(generic, fast_calls):
    m = Matcher().fit([Posting(id="p", title="护士", description="临床护理")])
    recs = [Intention(id="a"), Intention(id="b", statement="   "), Intention(id="c", statement="护理")]
    fast_calls.clear()
    fast = m._counts(recs, m._iw(), m.vocabulary_, grow=False)
    assert fast_calls
    assert fast.shape == (3, len(m.vocabulary_)) and fast[:2].nnz == 0 and fast[2].nnz > 0
    assert _same(fast, generic(m, recs, m._iw()))
