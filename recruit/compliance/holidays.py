"""Chinese statutory holidays and adjusted working days (调休), read from the database table.

The table is seeded from the maintained ``chinesecalendar`` package by
``flask --app wsgi holidays sync``. A year missing from :class:`HolidayYear` (not yet
announced, e.g. 2027 at the time of writing) falls back to Monday–Friday plus the holidays
fixed by law on solar dates (元旦, 劳动节, 国庆节) and is reported as not announced (未公布);
never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version

import chinese_calendar
import sqlalchemy as sa

from recruit.compliance.models import HolidayDay, HolidayYear
from recruit.extensions import db
from recruit.timeutil import utcnow

#: chinesecalendar's English names in Chinese.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class DayInfo:
    is_workday: bool
    name: str  #: holiday name, 调休上班, 周末, or "" for an ordinary working day
    announced: bool


#: Holidays on fixed solar dates set by law (《全国年节及纪念日放假办法》, as revised in 2024):
#: known before the State Council announces a year's calendar. Lunar holidays (春节, 清明节,
#: 端午节, 中秋节) and the 调休 swaps need the announcement.
FIXED_HOLIDAYS = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}


def _fallback(day: date) -> DayInfo:
    fixed = FIXED_HOLIDAYS.get((day.month, day.day))
    if fixed:
        return DayInfo(False, fixed, False)
    weekend = day.weekday() >= 5
    return DayInfo(not weekend, "周末" if weekend else "", False)


def day_range_info(first: date, last: date) -> dict[date, DayInfo]:
    """Day info for every date in ``first..last`` with two queries."""
    years = set(db.session.scalars(sa.select(HolidayYear.year).where(HolidayYear.year.between(first.year, last.year))))
    rows = {r.day: r for r in db.session.scalars(sa.select(HolidayDay).where(HolidayDay.day.between(first, last)))}
    info = {}
    for offset in range((last - first).days + 1):  # no ``day += 1`` past 9999-12-31
        day = first + timedelta(days=offset)
        if day.year not in years:
            info[day] = _fallback(day)
        elif day in rows:
            row = rows[day]
            if row.kind == "holiday":
                info[day] = DayInfo(False, row.name or "法定节假日", True)
            else:
                info[day] = DayInfo(True, f"{row.name}调休上班" if row.name else "调休上班", True)
        else:
            weekend = day.weekday() >= 5
            info[day] = DayInfo(not weekend, "周末" if weekend else "", True)
    return info


def day_info(day: date) -> tuple[bool, str, bool]:
    """``(is_workday, name, announced)`` for one local date."""
    info = day_range_info(day, day)[day]
    return info.is_workday, info.name, info.announced


def sync_from_chinesecalendar(only: set[int] | None = None) -> list[int]:
    """Replace the table's contents for every year chinesecalendar covers (or ``only`` those); returns the years."""
    source = f"chinesecalendar {version('chinesecalendar')}"
    days: dict[date, tuple[str, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        days[day] = ("holiday", HOLIDAY_NAMES_ZH.get(name, name or ""))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # only weekend days worked are exceptions to Monday–Friday
            days[day] = ("workday", HOLIDAY_NAMES_ZH.get(name, name or ""))
    # Weekend days in chinesecalendar's holiday list are still exceptions only if named;
    # an ordinary weekend needs no row (the Monday–Friday rule covers it).
    years = sorted({d.year for d, (kind, _) in days.items() if kind == "holiday" and (only is None or d.year in only)})
    if not years:
        return []
    db.session.execute(
        sa.delete(HolidayDay).where(HolidayDay.day.between(date(years[0], 1, 1), date(years[-1], 12, 31)))
    )
    db.session.execute(sa.delete(HolidayYear).where(HolidayYear.year.in_(years)))
    db.session.add_all(HolidayDay(day=d, kind=k, name=n) for d, (k, n) in sorted(days.items()) if d.year in years)
    db.session.add_all(HolidayYear(year=y, source=source, loaded_at=utcnow()) for y in years)
    db.session.commit()
    return years
