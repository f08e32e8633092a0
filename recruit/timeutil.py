"""Time helpers. Everything is stored in UTC and shown in Asia/Shanghai (UTC+8, no DST)."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local(dt: datetime) -> datetime:
    """``dt`` (aware, or naive meaning UTC) converted to Shanghai time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(SHANGHAI)


def local_date(dt: datetime) -> date:
    """The local (Shanghai) date on which ``dt`` falls."""
    return local(dt).date()


def today_local() -> date:
    return local(utcnow()).date()


def combine_local(day: date, at: time) -> datetime:
    """A Shanghai wall-clock time on ``day``, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=SHANGHAI).astimezone(UTC)


def format_datetime(dt: datetime | None, locale: str = "zh", with_time: bool = True) -> str:
    """``2026年3月10日（周二）14:00`` in Chinese, ``Tue 10 Mar 2026 14:00`` in English."""
    if dt is None:
        return ""
    loc = local(dt)
    if locale.startswith("en"):
        text = f"{WEEKDAYS_EN[loc.weekday()]} {loc.day} {loc.strftime('%b')} {loc.year}"
    else:
        text = f"{loc.year}年{loc.month}月{loc.day}日（{WEEKDAYS_ZH[loc.weekday()]}）"
    if with_time:
        text += f" {loc:%H:%M}" if locale.startswith("en") else f"{loc:%H:%M}"
    return text


def format_date(day: date | None, locale: str = "zh") -> str:
    if day is None:
        return ""
    if locale.startswith("en"):
        return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {day.strftime('%b')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_ZH[day.weekday()]}）"
