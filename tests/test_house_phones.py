"""The one telephone-number rule (recruit.core.phones): forms, the representatives service and the
graduates import ask it."""

from __future__ import annotations

import pytest

from recruit.core.phones import is_valid_phone


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        "+86 138 0013 8000",
        "0851-86123456",
        "(0851) 86123456",
        "0851-86123456-801",
        "400-820-8820",
        "86123456",
    ],
)
def test_numbers_people_write_are_accepted(value):
    assert is_valid_phone(value)


@pytest.mark.parametrize(
    "value",
    ["", "abc", "-----", "12345", "1380013800a", "138 0013 8000 转 801", "++8613800138000", "1" * 21, None, "1\x0038"],
)
def test_anything_else_is_refused(value):
    assert not is_valid_phone(value)
