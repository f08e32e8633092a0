"""Every paged list goes through recruit.core.paging: bad or huge page numbers never fail."""

from __future__ import annotations

import pytest

from recruit.core.paging import MAX_PAGE, page_arg


@pytest.mark.parametrize("page, expected", [("abc", 1), ("-3", 1), ("0", 1), ("2", 2), ("9" * 30, MAX_PAGE)])
def test_page_numbers(app, page, expected):
    with app.test_request_context(f"/?page={page}"):
        assert page_arg() == expected


@pytest.mark.parametrize(
    "url, role",
    [
        ("/fairs/", None),
        ("/notifications/", "graduate"),
        ("/graduates/manage", "organizer"),
        ("/org/key-group", "organizer"),
    ],
)
@pytest.mark.parametrize("page", ["9" * 30, "-1", "x"])
def test_lists_answer_any_page_number(client, auth, make_user, url, role, page):
    if role is not None:
        auth.login(make_user(role))
    assert client.get(f"{url}?page={page}").status_code == 200
