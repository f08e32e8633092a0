"""Compliance answers the fairs domain's question about a booked day (holidays, service seasons)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from recruit import signals
from recruit.compliance.holidays import day_info
from recruit.compliance.policy import current_policy
from recruit.i18n import translate as gettext


def day_warnings(day: date, **kw) -> list[str]:
    """Warnings about booking a fair on ``day``: not a workday, holidays not announced, off season."""
    warnings = []
    is_workday, name, announced = day_info(day)
    if not announced:
        warnings.append(
            gettext("%(year)d年的节假日安排尚未公布（未公布），暂按周一至周五为工作日判断。", year=day.year)
        )
    if not is_workday:
        if name and name != "周末":
            warnings.append(
                gettext("%(day)s 是法定节假日（%(name)s），学生可能不在校。", day=day.isoformat(), name=gettext(name))
            )
        else:
            warnings.append(gettext("%(day)s 是周末（非调休工作日）。", day=day.isoformat()))
    if current_policy().season_containing(day) is None:
        warnings.append(gettext("该日期不在校园招聘服务季（3—6月、9—12月）内，不计入达标统计。"))
    return warnings


def connect(app: Flask) -> None:
    """Connect the listener (idempotent: blinker keeps one connection per receiver)."""
    signals.fair_day_checked.connect(day_warnings)
