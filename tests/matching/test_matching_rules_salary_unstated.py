"""A graduate who states no salary expectation gets no 薪资匹配 bonus (0 means not stated)."""

from matching import Intention, Matcher


POSTINGS = [
    dict(
        id="java",
        employer="甲公司",
        title="Java后端开发工程师",
        description="负责后端服务开发",
        industry="软件和信息技术服务",
        majors=["计算机科学与技术"],
        education="本科",
        city="贵阳",
        salary_min=6000,
        salary_max=9000,
        headcount=1,
    ),
    dict(
        id="acct",
        employer="乙公司",
        title="会计",
        description="账务处理",
        industry="金融",
        majors=["会计学"],
        education="本科",
        city="遵义",
        salary_min=5000,
        salary_max=7000,
        headcount=1,
    ),
]


def test_zero_expectation_is_not_stated():
    assert Intention.from_dict({"id": "g", "salary_expectation": 0}).salary_expectation is None
    assert Intention(id="g", salary_expectation=0).salary_expectation is None
    assert Intention.from_dict({"id": "g", "salary_expectation": 5000}).salary_expectation == 5000


def test_no_salary_bonus_without_an_expectation():
    m = Matcher().fit(POSTINGS)
    me = {
        "id": "g",
        "major": "计算机科学与技术",
        "education": "本科",
        "positions": ["Java开发"],
        "cities": ["贵阳"],
        "skills": "Java",
        "salary_expectation": 0,
    }
    stated = dict(me, salary_expectation=5000)
    unstated = {x.posting_id: x for x in m.rank(me, top_k=10)}
    with_expectation = {x.posting_id: x for x in m.rank(stated, top_k=10)}
    assert not any("salary" in x.rules for x in unstated.values())
    assert "salary" in with_expectation["acct"].rules
    assert "acct" in unstated
    assert with_expectation["acct"].score > unstated["acct"].score
    batch = m.rank_batch([me], top_k=10)["g"]
    assert [x.posting_id for x in batch] == list(unstated)
