"""Job bodies with controlled time: frequency alert, reminders, upkeep, holidays, errors."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
import time_machine

from recruit.extensions import db
from recruit.jobs import registry
from recruit.jobs.models import JobRun
from recruit.jobs.runner import run_job
from recruit.notifications.models import Notification
from recruit.timeutil import SHANGHAI


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def notes(kind=None, user=None):
    stmt = sa.select(Notification).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    if user:
        stmt = stmt.where(Notification.user_id == user.id)
    return db.session.scalars(stmt).all()


# --- frequency_watch ------------------------------------------------------------------------


def test_monday_alert_lists_exactly_the_at_risk_periods(make_university, make_fair, make_user):
    uni = make_university(name="贵州测试大学")
    calm = make_university(name="平安大学")
    organizer = make_user("organizer", university=uni)
    calm_organizer = make_user("organizer", university=calm)
    admin = make_user("admin")
    # Autumn 2026 season. Today: Monday 14 Sep 2026 08:00; horizon 14 days (to 28 Sep).
    make_fair(university=uni, day=date(2026, 9, 2))  # week of 31 Aug: met
    # week of 7 Sep: no fair -> missed (past, not "at risk")
    make_fair(university=uni, day=date(2026, 9, 16))  # week of 14 Sep: planned
    # weeks of 21 Sep and 28 Sep: nothing -> at risk; September: no large fair -> at risk
    make_fair(university=uni, day=date(2026, 10, 14), kind="large")  # October: beyond horizon anyway
    make_fair(university=uni, day=date(2026, 9, 22), status="draft")  # drafts never count
    for day in (date(2026, 9, 2), date(2026, 9, 9), date(2026, 9, 16), date(2026, 9, 23), date(2026, 9, 30)):
        make_fair(university=calm, day=day)
    make_fair(university=calm, day=date(2026, 9, 26), kind="large")
    with time_machine.travel(at(2026, 9, 14, 8, 0), tick=False):
        run = run_job("frequency_watch")
    assert run.outcome == "success", run.error
    [alert] = notes("frequency_watch", organizer)
    lines = alert.body.splitlines()[1:]
    assert lines == [
        "2026年9月21日（周一） 至 2026年9月27日（周日） 这一周：缺少中小型专场招聘会 1 场",
        "2026年9月28日（周一） 至 2026年10月4日（周日） 这一周：缺少中小型专场招聘会 1 场",
        "2026年9月：缺少大型综合招聘会 1 场",
    ]
    assert alert.link.startswith("/compliance/")
    assert notes("frequency_watch", calm_organizer) == []
    [digest] = notes("frequency_digest", admin)
    assert "贵州测试大学" in digest.body and "平安大学" not in digest.body
    # A rerun the same day sends nothing new.
    with time_machine.travel(at(2026, 9, 14, 9, 0), tick=False):
        assert run_job("frequency_watch", trigger="manual").outcome == "success"
    assert len(notes()) == 2


# --- fair_reminders -------------------------------------------------------------------------


@pytest.fixture
def fair_with_audience(make_fair, make_employer, make_graduate, make_user):
    from recruit.fairs.models import FairRegistration
    from recruit.graduates.models import SavedFair

    fair = make_fair(day=date(2026, 12, 8), start=time(14), title="大数据专场")
    employer = make_employer()
    db.session.add(FairRegistration(fair=fair, employer=employer, status="approved"))
    graduate = make_graduate()
    db.session.add(SavedFair(graduate_id=graduate.id, fair_id=fair.id))
    db.session.commit()
    return fair, [make_user("employer", employer=employer), make_user("graduate", graduate=graduate)]


def test_reminder_24h_before_once(fair_with_audience):
    fair, users = fair_with_audience
    with time_machine.travel(at(2026, 12, 7, 13, 55), tick=False):
        run_job("fair_reminders")
    assert notes("fair_reminder") == []  # 24 h 5 min before: not yet
    with time_machine.travel(at(2026, 12, 7, 14, 0), tick=False):
        run_job("fair_reminders")
    with time_machine.travel(at(2026, 12, 7, 14, 5), tick=False):
        assert run_job("fair_reminders").outcome == "success"  # rerun: nothing new
    reminders = notes("fair_reminder")
    assert sorted(n.user_id for n in reminders) == sorted(u.id for u in users)
    assert all("大数据专场" in n.title and "2026年12月8日（周二）14:00" in n.body for n in reminders)


def test_reminder_follows_a_reschedule(fair_with_audience):
    fair, users = fair_with_audience
    with time_machine.travel(at(2026, 12, 7, 10, 0), tick=False):
        run_job("fair_reminders")
        # Moved to the 10th before the reminder was due: the old time is never reminded.
        fair.starts_at = at(2026, 12, 10, 9, 0)
        fair.ends_at = at(2026, 12, 10, 12, 0)
        fair.bump_revision()
        db.session.commit()
    with time_machine.travel(at(2026, 12, 7, 14, 30), tick=False):
        run_job("fair_reminders")
    assert notes("fair_reminder") == []
    with time_machine.travel(at(2026, 12, 9, 9, 0), tick=False):
        run_job("fair_reminders")
    reminders = notes("fair_reminder")
    assert len(reminders) == 2
    assert all("2026年12月10日（周四）09:00" in n.body for n in reminders)
    assert all(n.event_key.endswith("20261210T0100Z") for n in reminders)


def test_cancelled_fair_gets_no_reminder(fair_with_audience):
    fair, users = fair_with_audience
    fair.status = "cancelled"
    db.session.commit()
    with time_machine.travel(at(2026, 12, 7, 15, 0), tick=False):
        run_job("fair_reminders")
    assert notes("fair_reminder") == []


# --- status_upkeep --------------------------------------------------------------------------


def test_status_upkeep(make_fair, make_posting, make_employer, make_user):
    from recruit import signals
    from recruit.fairs.models import Fair, FairRegistration
    from recruit.employers.models import Posting

    past = make_fair(day=date(2026, 12, 7), start=time(9), hours=3)
    running = make_fair(day=date(2026, 12, 8), start=time(9), hours=6)
    future = make_fair(day=date(2026, 12, 9), start=time(9))
    employer = make_employer()
    hr = make_user("employer", employer=employer)
    reg_started = FairRegistration(fair=running, employer=employer, status="pending")
    reg_future = FairRegistration(fair=future, employer=employer, status="pending")
    db.session.add_all([reg_started, reg_future])
    expired = make_posting(deadline=date(2026, 12, 7))
    current = make_posting(deadline=date(2026, 12, 8))
    seen = []

    def listener(sender, change="", **kw):
        seen.append((sender.id, change))

    signals.fair_changed.connect(listener)
    try:
        with time_machine.travel(at(2026, 12, 8, 10, 5), tick=False):
            run = run_job("status_upkeep")
            assert run.outcome == "success", run.error
            assert run_job("status_upkeep").detail == "招聘会标记为已举办 0 场，岗位关闭 0 个，报名截止 0 条"
    finally:
        signals.fair_changed.disconnect(listener)
    db.session.expire_all()
    assert db.session.get(Fair, past.id).status == "held" and db.session.get(Fair, past.id).revision == 2
    assert db.session.get(Fair, running.id).status == "scheduled"
    assert db.session.get(Posting, expired.id).status == "closed"
    assert db.session.get(Posting, current.id).status == "open"
    assert db.session.get(FairRegistration, reg_started.id).status == "rejected"
    assert db.session.get(FairRegistration, reg_started.id).decision_reason == "招聘会已开始，报名已截止"
    assert db.session.get(FairRegistration, reg_future.id).status == "pending"
    assert (past.id, "held") in seen
    assert len(notes("registration_closed", hr)) == 1


# --- holiday_check, matching_refit ------------------------------------------------------------


def test_holiday_check_from_december(make_user):
    from recruit.compliance.models import HolidayYear

    admin = make_user("admin")
    with time_machine.travel(at(2026, 11, 30, 9), tick=False):
        run_job("holiday_check")
    assert notes() == []
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        run_job("holiday_check")
        run_job("holiday_check")
    [warning] = notes("holiday_missing", admin)
    assert "2027" in warning.title
    db.session.add(HolidayYear(year=2028, source="test"))
    db.session.commit()
    with time_machine.travel(at(2027, 12, 2, 9), tick=False):
        assert "已载入" in run_job("holiday_check").detail
    assert len(notes()) == 1


def test_matching_refit_records_duration(make_posting, make_graduate):
    make_posting()
    make_graduate(
        intention=dict(
            positions=["Java开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java",
            statement="想做后端开发",
        )
    )
    run = run_job("matching_refit")
    assert run.outcome == "success", run.error
    assert run.detail.startswith("重建用时 ") and "岗位 1 个，求职意愿 1 份" in run.detail


# --- errors, locks --------------------------------------------------------------------------


def boom(ctx):
    from recruit.auth.models import User

    db.session.add(User(email="half@example.com", password_hash="x", display_name="x", role="admin"))
    db.session.flush()
    raise RuntimeError("数据源不可用")


def test_a_job_that_raises_is_recorded_and_the_scheduler_keeps_going(app, monkeypatch):
    from apscheduler.schedulers.background import BackgroundScheduler

    from recruit.auth.models import User
    from recruit.jobs.scheduler import build_scheduler

    spec = registry.JOBS["holiday_check"]
    monkeypatch.setitem(
        registry.JOBS,
        "holiday_check",
        registry.JobSpec(
            spec.name,
            spec.label,
            spec.schedule,
            spec.trigger,
            spec.misfire_grace_time,
            "tests.jobs.test_jobs_bodies:boom",
        ),
    )
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("holiday_check")
        job.func(*job.args)  # exactly what APScheduler's executor calls
        job.func(*job.args)
        assert scheduler.running
        assert scheduler.get_job("holiday_check").next_run_time is not None
    finally:
        scheduler.shutdown(wait=False)
    runs = db.session.scalars(sa.select(JobRun).where(JobRun.job == "holiday_check")).all()
    assert [r.outcome for r in runs] == ["error", "error"]
    assert "RuntimeError: 数据源不可用" in runs[0].detail and "Traceback" in runs[0].error
    assert runs[0].finished_at is not None
    assert db.session.scalar(sa.select(User).where(User.email == "half@example.com")) is None  # rolled back


def test_run_is_skipped_while_another_holds_the_lock(app):
    from recruit.jobs.locks import job_lock

    with job_lock("status_upkeep") as got:
        assert got
        run = run_job("status_upkeep")
    assert run.outcome == "skipped" and "锁" in run.detail
    assert run_job("status_upkeep").outcome == "success"


def test_cli_run_and_list(runner):
    result = runner.invoke(args=["jobs", "run", "holiday_check"])
    assert result.exit_code == 0 and "holiday_check: success" in result.output
    result = runner.invoke(args=["jobs", "run", "nope"])
    assert result.exit_code == 2 and "unknown job" in result.output
    result = runner.invoke(args=["jobs", "list"])
    assert "frequency_watch" in result.output and "success" in result.output


# --- scheduler: triggers, misfires ----------------------------------------------------------


def test_next_run_times_are_in_shanghai():
    now = at(2026, 9, 14, 8, 30)  # a Monday, after the alert
    assert registry.JOBS["frequency_watch"].next_run_time(now) == at(2026, 9, 21, 8, 0)
    assert registry.JOBS["matching_refit"].next_run_time(now) == at(2026, 9, 15, 2, 0)
    assert registry.JOBS["status_upkeep"].next_run_time(now) == at(2026, 9, 14, 9, 5)


def test_missed_monday_alert_runs_once_on_restart_within_grace(app, monkeypatch):
    from recruit.jobs import scheduler

    ran = []
    monkeypatch.setattr(scheduler, "run_in_app", lambda app, name, trigger="schedule": ran.append(name))
    spec = registry.JOBS["frequency_watch"]
    # Down over Monday 08:00, back at 10:00: within the 6 h grace, one catch-up run.
    assert scheduler.missed_fire_time(spec, at(2026, 9, 14, 10), None) == at(2026, 9, 14, 8)
    # Back at 15:00: too late to be useful, wait for next Monday.
    assert scheduler.missed_fire_time(spec, at(2026, 9, 14, 15), None) is None
    # Already ran at 08:00: nothing missed.
    assert (
        scheduler.missed_fire_time(
            spec,
            at(2026, 9, 14, 10),
            at(
                2026,
                9,
                14,
                8,
                0,
            ),
        )
        is None
    )
    db.session.add(JobRun(job="status_upkeep", started_at=at(2026, 9, 14, 9, 5), outcome="success", trigger="schedule"))
    db.session.add(
        JobRun(job="fair_reminders", started_at=at(2026, 9, 14, 9, 59), outcome="success", trigger="schedule")
    )
    db.session.commit()
    with time_machine.travel(at(2026, 9, 14, 10, 0), tick=False):
        scheduler.catch_up(app)
    assert "frequency_watch" in ran and ran.count("frequency_watch") == 1
    assert "status_upkeep" not in ran  # ran at 09:05, next is 10:05
    assert "matching_refit" not in ran  # 02:00 + 5 h grace is past
