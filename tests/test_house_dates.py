"""recruit.core.dates: the date ranges the app accepts, defined once."""

from __future__ import annotations

from datetime import date

import pytest

from recruit.core import dates


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
        ("2028-02", (date(2028, 2, 1), date(2028, 2, 29))),
        ("2000-01", (date(2000, 1, 1), date(2000, 1, 31))),
        ("2100-12", (date(2100, 12, 1), date(2100, 12, 31))),
        ("9999-12", None),
        ("0001-01", None),
        ("1999-12", None),
        ("2101-01", None),
        ("2026-13", None),
        ("2026-00", None),
        ("99999999999999999999-01", None),
        ("2026-1\x00", None),
        ("12-2026", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_month(value, expected):
    assert dates.parse_month(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-08", date(2026, 12, 8)),
        (" 2026-12-08 ", date(2026, 12, 8)),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("2026-02-30", None),
        ("2026-12-08T10:00", None),
        ("20261208", None),
        ("2026-12-0\x00", None),
        ("9" * 40, None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert dates.parse_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("2026", 2026), ("2000", 2000), ("2100", 2100), ("1999", None), ("9999", None), ("9" * 30, None), ("\x00", None)],
)
def test_parse_year(value, expected):
    assert dates.parse_year(value) == expected


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    "day, current, message",
    [
        (date(2026, 11, 30), None, None),
        (date(2027, 12, 31), None, None),
        (date(2026, 11, 29), None, dates.FAIR_DAY_IN_PAST),
        (date(2026, 11, 29), date(2026, 11, 29), None),  # an edited fair keeps its (past) day
        (date(1, 1, 1), None, dates.FAIR_DAY_IN_PAST),
        (date(2028, 1, 1), None, dates.FAIR_DAY_TOO_LATE),
        (date(3026, 12, 7), None, dates.FAIR_DAY_TOO_LATE),
        (date(9999, 12, 30), date(9999, 12, 30), dates.FAIR_DAY_TOO_LATE),  # a bad kept day is refused
    ],
)
def test_fair_day_window(day, current, message):
    assert dates.fair_day_error(day, TODAY, current=current) == message


@pytest.mark.parametrize(
    "deadline, today, allow_past, message",
    [
        (None, TODAY, False, None),
        (TODAY, TODAY, False, None),
        (date(2027, 11, 30), TODAY, False, None),
        (date(2027, 12, 1), TODAY, False, dates.DEADLINE_TOO_LATE),
        (date(9999, 12, 31), TODAY, False, dates.DEADLINE_TOO_LATE),
        (date(2026, 11, 29), TODAY, False, dates.DEADLINE_IN_PAST),
        (date(2026, 11, 29), TODAY, True, None),
        (date(9999, 12, 31), TODAY, True, dates.DEADLINE_TOO_LATE),
        (date(2029, 2, 28), date(2028, 2, 29), False, None),
        (date(2029, 3, 1), date(2028, 2, 29), False, dates.DEADLINE_TOO_LATE),
    ],
)
def test_posting_deadline_bound(deadline, today, allow_past, message):
    assert dates.deadline_error(deadline, today, allow_past=allow_past) == message
