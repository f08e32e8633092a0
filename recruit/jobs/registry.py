"""The scheduled jobs: name, body, trigger and misfire policy.

Every trigger is in Asia/Shanghai (UTC+8, no daylight saving), like the scheduler itself.
Scheduler-wide defaults (``recruit.jobs.scheduler``): ``coalesce=True`` (a backlog of missed
fire times runs once, not once per missed time), ``max_instances=1`` (a job never overlaps
itself inside one process; the job lock covers other processes). ``misfire_grace_time`` is
chosen per job below: how late a run may still start and be useful. A fire time missed while
no scheduler was running is caught up once at start-up when it is still within that grace
(see :func:`recruit.jobs.scheduler.missed_fire_time`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask_babel import lazy_gettext as _l

from recruit.timeutil import SHANGHAI


@dataclass(frozen=True)
class JobSpec:
    #: Unique name, used in the CLI, the URL and JobRun.job.
    name: str
    #: Label shown to admins.
    label: object
    #: When it runs, in words.
    schedule: object
    #: Builds the trigger (a fresh object each time: triggers keep no state we rely on).
    trigger: Callable[[], BaseTrigger]
    #: Seconds a run may start late and still run (APScheduler misfire_grace_time).
    misfire_grace_time: int
    #: Dotted path of the body: ``fn(ctx) -> str`` (the run's detail).
    body: str

    def make_trigger(self) -> BaseTrigger:
        return self.trigger()

    def next_run_time(self, now: datetime) -> datetime | None:
        """The next fire time after ``now`` (aware), computed from the trigger."""
        return self.make_trigger().get_next_fire_time(None, now.astimezone(SHANGHAI))


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            "frequency_watch",
            _l("服务季频次预警"),
            _l("每周一 08:00（也可手动运行）"),
            lambda: CronTrigger(day_of_week="mon", hour=8, minute=0, timezone=SHANGHAI),
            # A Monday alert still helps the same working day: run it up to 6 h late.
            6 * 3600,
            "recruit.jobs.jobs:frequency_watch",
        ),
        JobSpec(
            "fair_reminders",
            _l("招聘会提醒"),
            _l("每 5 分钟"),
            lambda: IntervalTrigger(minutes=5, timezone=SHANGHAI),
            # The next tick comes 5 minutes later anyway; a late tick is worthless.
            4 * 60,
            "recruit.jobs.jobs:fair_reminders",
        ),
        JobSpec(
            "status_upkeep",
            _l("状态维护"),
            _l("每小时第 5 分钟"),
            lambda: CronTrigger(minute=5, timezone=SHANGHAI),
            30 * 60,
            "recruit.jobs.jobs:status_upkeep",
        ),
        JobSpec(
            "matching_refit",
            _l("匹配索引重建"),
            _l("每天 02:00"),
            lambda: CronTrigger(hour=2, minute=0, timezone=SHANGHAI),
            # Worth doing until the working day starts (02:00 + 5 h).
            5 * 3600,
            "recruit.jobs.jobs:matching_refit",
        ),
        JobSpec(
            "holiday_check",
            _l("节假日数据检查"),
            _l("每天 09:00（12 月起预警）"),
            lambda: CronTrigger(hour=9, minute=0, timezone=SHANGHAI),
            12 * 3600,
            "recruit.jobs.jobs:holiday_check",
        ),
        JobSpec(
            "statistics_reminders",
            _l("就业统计报送提醒"),
            _l("每天 09:30"),
            lambda: CronTrigger(hour=9, minute=30, timezone=SHANGHAI),
            # A reminder is still useful the same working day.
            8 * 3600,
            "recruit.statistics.jobs:report_reminders",
        ),
    )
}


def get(name: str) -> JobSpec | None:
    return JOBS.get(name)


def body_of(spec: JobSpec) -> Callable:
    module, _, attr = spec.body.partition(":")
    return getattr(importlib.import_module(module), attr)
