"""Dates that come from users: the ranges the app accepts, each rule defined once.

- Query parameters (``?month=``, ``?season=``, ``?class_year=``, ``?since=``…) name a year in
  :data:`FIRST_YEAR` … :data:`LAST_YEAR`. Anything else (malformed, ``9999-12``, ``0001-01``, a
  20-digit year) reads as *no value*: the page falls back to its default (the current month or
  season) with a notice, the way it already treats a malformed value. Never an overflow, never
  a 500 (``date`` arithmetic at year 1 or 9999 overflows; 2000–2100 leaves room either side).
- A fair's date (booking form, gap planner, plan import): from today to 31 December of next
  year. An employment office books the current and the next recruitment year (seasons
  March–June and September–December, see /work/shared/BRIEF.md); anything later is a typo
  (3026 for 2026) that would otherwise be published into the public feeds. The past is refused
  by :func:`recruit.fairs.services.validate` (start before now).
- A posting's deadline (employer form, service, postings import): not before today (the import
  excepted), not more than one year ahead.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from recruit.i18n import N_
from recruit.timeutil import today_local
from recruit.validation import parse_int

#: Years a query parameter may name.
FIRST_YEAR = 2000
LAST_YEAR = 2100

MONTH_MESSAGE = N_("月份格式应为 YYYY-MM，年份在 %(first)d 到 %(last)d 之间。")
#: The parameters of the message above.
YEAR_RANGE = {"first": FIRST_YEAR, "last": LAST_YEAR}

FAIR_DAY_IN_PAST = N_("招聘会日期不能早于今天。")
FAIR_DAY_TOO_LATE = N_("招聘会日期不能晚于明年 12 月 31 日（只能安排本年度和下一年度的招聘会）。")
DEADLINE_IN_PAST = N_("截止日期不能早于今天。")
DEADLINE_TOO_LATE = N_("截止日期不能晚于一年之后。")

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def year_in_range(year: int) -> bool:
    """May a query parameter name this year?"""
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_year(value) -> int | None:
    """``?class_year=2026`` → 2026; None when not an integer or out of range."""
    return parse_int(value, default=None, minimum=FIRST_YEAR, maximum=LAST_YEAR)


def parse_month(value) -> tuple[date, date] | None:
    """``YYYY-MM`` → the month's first and last day; None when malformed or out of range."""
    m = _MONTH_RE.match(value) if isinstance(value, str) else None
    if not m or not year_in_range(int(m.group(1))) or not 1 <= int(m.group(2)) <= 12:
        return None
    first = date(int(m.group(1)), int(m.group(2)), 1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def parse_date(value) -> date | None:
    """``YYYY-MM-DD`` → a date; None when malformed, impossible (02-30) or out of range."""
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if year_in_range(day.year) else None


def latest_fair_day(today: date | None = None) -> date:
    """The last date a fair may be booked on: 31 December of next year."""
    return date((today or today_local()).year + 1, 12, 31)


def fair_day_error(day: date, today: date | None = None, current: date | None = None) -> str | None:
    """The (untranslated) message when a fair may not be held on ``day`` (local date), else None.

    ``current`` is the date the fair already has: keeping it is no error even once it has passed
    (the fair is edited on its day); a date beyond the window is refused even when kept.
    """
    today = today or today_local()
    if day < today and day != current:
        return FAIR_DAY_IN_PAST
    if day > latest_fair_day(today):
        return FAIR_DAY_TOO_LATE
    return None


def latest_deadline(today: date | None = None) -> date:
    """The last deadline a posting may have: the same day next year (28 February for 29 February)."""
    today = today or today_local()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def deadline_error(deadline: date | None, today: date | None = None, allow_past: bool = False) -> str | None:
    """The (untranslated) message when a posting may not have ``deadline``, else None.

    ``allow_past``: the postings import, whose file (an export of the 需求库) also lists closed
    postings with their past deadlines; never more than a year ahead either.
    """
    if deadline is None:
        return None
    today = today or today_local()
    if deadline < today and not allow_past:
        return DEADLINE_IN_PAST
    if deadline > latest_deadline(today):
        return DEADLINE_TOO_LATE
    return None
