"""An employer's matched graduates: paged, filtered by major, degree, university and city (issue 14, item 9)."""

from __future__ import annotations

import re

import pytest

from tests.employers.test_employers_postings import INTENTION, employer_user  # noqa: F401  (fixture)


def shown_majors(html: str) -> list[str]:
    return re.findall(r'<li class="matched-graduate card">\s*<div class="match-head">\s*<strong>([^<]+)</strong>', html)


@pytest.fixture
def world(employer_user, make_posting, make_graduate, make_university):  # noqa: F811
    posting = make_posting(employer=employer_user.employer)
    north, south = make_university(name="北方学院"), make_university(name="南方学院")
    for n in range(23):
        make_graduate(
            university=north if n % 2 else south,
            major=f"计算机科学与技术{n:02d}",
            degree="硕士" if n % 3 == 0 else "本科",
            intention=dict(INTENTION, cities=["遵义"] if n % 5 == 0 else ["贵阳"]),
        )
    return posting, north, south


def test_pages_of_twenty(client, auth, employer_user, world):  # noqa: F811
    posting, _north, _south = world
    auth.login(employer_user)
    first = client.get(f"/employers/me/postings/{posting.id}").get_data(as_text=True)
    second = client.get(f"/employers/me/postings/{posting.id}?page=2").get_data(as_text=True)
    assert len(shown_majors(first)) == 20 and len(shown_majors(second)) == 3
    assert not set(shown_majors(first)) & set(shown_majors(second))
    assert f"/employers/me/postings/{posting.id}?page=2" in first.replace("&amp;", "&")
    assert "共 23 名" in first


FILTERS = [
    ("degree=硕士", {n for n in range(23) if n % 3 == 0}),
    ("city=遵义", {n for n in range(23) if n % 5 == 0}),
    ("major=科学与技术07", {7}),
    ("degree=硕士&city=遵义", {0, 15}),
]


def test_filters(client, auth, employer_user, world):  # noqa: F811
    posting, _north, _south = world
    auth.login(employer_user)
    for query, expected in FILTERS:
        html = client.get(f"/employers/me/postings/{posting.id}?{query}").get_data(as_text=True)
        assert {int(m[-2:]) for m in shown_majors(html)} == expected, query


def test_university_filter_and_options(client, auth, employer_user, world):  # noqa: F811
    posting, north, _south = world
    auth.login(employer_user)
    html = client.get(f"/employers/me/postings/{posting.id}?university={north.id}").get_data(as_text=True)
    assert {int(m[-2:]) for m in shown_majors(html)} == {n for n in range(23) if n % 2}
    assert f'<option value="{north.id}" selected>北方学院</option>' in html


BAD = [
    "page=abc",
    "page=-3",
    "page=999999999999999999999",
    "university=abc",
    "university=99999999999999999999",
    "degree=小学",
    "city=火星",
    "major=%00x",
    "major=" + "长" * 500,
]


def test_bad_filter_values_never_fail(client, auth, employer_user, world):  # noqa: F811
    posting, _north, _south = world
    auth.login(employer_user)
    for query in BAD:
        expected = 400 if "%00" in query else 200  # a NUL is refused app-wide (recruit.core.inputs)
        assert client.get(f"/employers/me/postings/{posting.id}?{query}").status_code == expected, query
