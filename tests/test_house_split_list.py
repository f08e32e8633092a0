"""One list splitter for forms, services, imports and the matching records."""

from __future__ import annotations

import pytest

from matching.records import Intention, split_items
from recruit.validation import split_list


@pytest.mark.parametrize(
    "typed, items",
    [
        ("Java、SQL, Linux，Git;Docker；K8s\nRedis", ["Java", "SQL", "Linux", "Git", "Docker", "K8s", "Redis"]),
        ("软件和信息技术服务、磷化工/现代化工", ["软件和信息技术服务", "磷化工/现代化工"]),
        ("C/C++、UI|UX", ["C/C++", "UI|UX"]),
        (" 贵阳 、、 贵阳,遵义 ", ["贵阳", "遵义"]),
        ("", []),
        (None, []),
        (["  贵阳", "遵义", "贵阳", ""], ["贵阳", "遵义"]),
    ],
)
def test_the_one_splitter(typed, items):
    assert split_items(typed) == items
    assert split_list is split_items


def test_matching_records_split_the_same_way():
    record = Intention.from_dict({"id": "i1", "positions": "后端开发/运维、测试", "skills": "C/C++, Go"})
    assert record.positions == ["后端开发/运维", "测试"]
