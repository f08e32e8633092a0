"""fit() reuses the counts it learns the vocabulary from: the posting vectors equal a fresh transform."""

import random

import pytest

from matching import Matcher

WORDS = [
    "Java",
    "后端",
    "开发",
    "数据",
    "分析",
    "SQL",
    "财务",
    "会计",
    "护理",
    "白酒",
    "酿造",
    "销售",
    "C++",
    "五险一金",
]


@pytest.mark.parametrize("params", [{}, {"max_df": 0.3}, {"min_df": 2}, {"analyzer": "word"}])
def test_fitted_posting_vectors_equal_a_fresh_transform(params):
    rng = random.Random(7)
    postings = [
        dict(
            id=f"p{j}",
            title=rng.choice(WORDS) + "工程师",
            employer=f"公司{j % 5}",
            description="，".join(rng.choices(WORDS, k=12)),
            industry=rng.choice(["软件", "医疗"]),
            majors=[rng.choice(["软件工程", "会计学"])],
            city="贵阳",
        )
        for j in range(200)
    ]
    m = Matcher(**params).fit(postings)
    again = m._transform_postings(m.postings_, grow=False)
    assert m.posting_matrix_.shape == again.shape
    assert (m.posting_matrix_ != again).nnz == 0
