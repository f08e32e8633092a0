"""Reports (§15): the rate counts only re-reviewed records, frozen snapshots and revisions, lateness;
verification samples (§20); staffing (§19); the province's and the university's views."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
import time_machine

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.statistics import reports, services
from recruit.statistics.models import StatisticsReport
from recruit.statistics.policy import ReportPeriod, load_policy

NOV = ReportPeriod("monthly", date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def school(make_university, make_user, make_graduate):
    university = make_university(code="REP", graduates_count=1200)
    office = make_user("organizer", university=university)
    office2 = make_user("organizer", university=university)
    grads = [
        make_graduate(
            university=university, name=f"统计{i}", major=("软件工程" if i < 3 else "会计学"), low_income=(i == 0)
        )
        for i in range(5)
    ]
    return university, office, office2, grads


def _verify(graduate, office, office2, category="contract"):
    record = services.fill(graduate, {"category": category, "organisation": "单位", "city": "贵阳"}, office)
    graduate.college_id = None
    services.advance(record, "review", office)
    return services.advance(record, "verify", office2)


def test_the_rate_counts_only_re_reviewed_records(app, school):
    university, office, office2, grads = school
    _verify(grads[0], office, office2)
    _verify(grads[1], office, office2, "further_study")
    _verify(grads[2], office, office2, "seeking")  # verified but not placed
    services.fill(grads[3], {"category": "contract", "organisation": "单位"}, office)  # collected, not verified
    s = reports.snapshot(university, 2027)
    assert (s["graduates"], s["verified"], s["pending"], s["missing"], s["placed"]) == (5, 3, 1, 1, 2)
    assert s["rate"] == pytest.approx(0.4) and s["pending_share"] == pytest.approx(0.4)
    assert s["by_category"]["contract"] == 1 and s["by_category"]["seeking"] == 1
    assert s["by_major"]["软件工程"] == {"graduates": 3, "verified": 3, "placed": 2}
    assert s["by_major"]["会计学"] == {"graduates": 2, "verified": 0, "placed": 0}
    assert s["key_group"] == {"graduates": 1, "verified": 1, "placed": 1}
    assert s["further_study"] == 1 and s["regions"] == {"贵阳": 1}
    assert reports.snapshot(university, 2026)["graduates"] == 0


def test_a_submitted_report_is_frozen_and_a_correction_is_a_revision(app, school):
    university, office, office2, grads = school
    _verify(grads[0], office, office2)
    with time_machine.travel(datetime(2026, 12, 2, 3, tzinfo=timezone.utc)):
        first = reports.submit_report(university, NOV, office)
    assert (first.revision, first.snapshot["placed"], first.class_year) == (1, 1, 2027)
    _verify(grads[1], office, office2)
    with pytest.raises(ServiceError, match="更正原因") as error:
        reports.submit_report(university, NOV, office)
    assert error.value.status == 409
    second = reports.submit_report(university, NOV, office, "补录两名毕业生")
    assert (second.revision, second.snapshot["placed"], second.correction_reason) == (2, 2, "补录两名毕业生")
    db.session.expire_all()
    assert db.session.get(StatisticsReport, first.id).snapshot["placed"] == 1  # unchanged
    from recruit.core.audit import AuditEntry

    (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "statistics.correct")).all()
    assert entry.target_id == second.id and entry.after["reason"] == "补录两名毕业生"
    states = {(s.period.cadence, s.period.start): s for s in reports.period_states(university, date(2026, 12, 10))}
    assert states[("monthly", date(2026, 11, 1))].state == "submitted"
    assert states[("monthly", date(2026, 11, 1))].latest.revision == 2


@pytest.mark.parametrize(
    "submitted_on, today, state",
    [
        (None, date(2026, 11, 20), "open"),  # the period has not ended
        (None, date(2026, 12, 2), "due"),  # ended, within the grace days (deadline 12-03)
        (None, date(2026, 12, 3), "due"),  # the deadline itself is on time
        (None, date(2026, 12, 4), "overdue"),
        (date(2026, 12, 3), date(2026, 12, 10), "submitted"),
        (date(2026, 12, 4), date(2026, 12, 10), "late"),
    ],
)
def test_lateness_follows_the_grace_days(app, school, submitted_on, today, state):
    university, office, *_ = school
    if submitted_on:
        # 23:30 local on that day is 15:30 UTC: lateness is judged on the local date
        with time_machine.travel(
            datetime(submitted_on.year, submitted_on.month, submitted_on.day, 15, 30, tzinfo=timezone.utc)
        ):
            reports.submit_report(university, NOV, office)
    states = {(s.period.cadence, s.period.start): s.state for s in reports.period_states(university, today)}
    assert states[("monthly", date(2026, 11, 1))] == state


def test_only_the_office_submits_and_only_real_periods(app, client, auth, school, make_user):
    from recruit.universities.models import College

    university, office, *_ = school
    college = College(university=university, name="某学院")
    db.session.add(college)
    db.session.commit()
    reviewer = make_user("organizer", university=university, college_id=college.id)
    with pytest.raises(ServiceError) as error:
        reports.submit_report(university, NOV, reviewer)
    assert error.value.status == 403
    with pytest.raises(ServiceError, match="不是报送时段"):
        reports.submit_report(university, ReportPeriod("monthly", date(2026, 10, 1), date(2026, 10, 31)), office)
    auth.login(office)
    for data in (
        {"cadence": "weekly", "start": "2026-11-02"},
        {"cadence": "monthly", "start": "2026-11-02"},
        {"cadence": "monthly", "start": "x"},
        {"cadence": "monthly", "start": "2099-11-01"},
        {"cadence": "monthly", "start": "9999-12-01"},
        {"cadence": "weekly", "start": "9999-12-27"},
        {"cadence": "monthly", "start": "0001-01-01"},
    ):
        assert client.post("/statistics/reports/submit", data=data).status_code == 302
    assert client.post("/statistics/reports/submit", data={"cadence": "monthly", "start": "x\x00"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(StatisticsReport.id))) == 0
    assert (
        client.post("/statistics/reports/submit", data={"cadence": "monthly", "start": "2026-11-01"}).status_code == 302
    )
    assert db.session.scalar(sa.select(sa.func.count(StatisticsReport.id))) == 1


def test_reports_are_seen_by_their_university_and_the_province_only(
    app, client, auth, school, make_user, make_university
):
    university, office, *_ = school
    report = reports.submit_report(university, NOV, office)
    for user, code in (
        (office, 200),
        (make_user("admin"), 200),
        (make_user("organizer", university=make_university()), 404),
        (make_user("employer"), 403),
    ):
        auth.login(user)
        assert client.get(f"/statistics/reports/{report.id}").status_code == code
        auth.logout()


def test_the_sample_is_reproducible(app, school, make_user, make_graduate):
    university, office, office2, grads = school
    more = [make_graduate(university=university) for _ in range(15)]
    for g in grads + more:
        _verify(g, office, office2)
    admin = make_user("admin")
    first = reports.draw_sample(university, 2027, 6, admin, seed=20261130)
    again = reports.draw_sample(university, 2027, 6, admin, seed=20261130)
    other = reports.draw_sample(university, 2027, 6, admin, seed=7)
    ids = [i.record_id for i in first.items]
    assert len(ids) == len(set(ids)) == 6
    assert [i.record_id for i in again.items] == ids
    assert [i.record_id for i in other.items] != ids
    assert reports.sample_ids(university, 2027, 6, 20261130) == ids
    assert len(reports.draw_sample(university, 2027, 500, admin, seed=1).items) == 20  # at most what exists
    with pytest.raises(ServiceError):
        reports.draw_sample(university, 2027, 0, admin)
    with pytest.raises(ServiceError):
        reports.draw_sample(university, 2027, 5, office)
    item = first.items[0]
    with pytest.raises(ServiceError, match="依据"):
        reports.record_verdict(item, "falsified", "", admin)
    reports.record_verdict(item, "falsified", "合同系伪造", admin)
    reports.record_verdict(first.items[1], "confirmed", "", admin)
    assert first.falsified == 1
    with pytest.raises(ServiceError, match="依据"):
        reports.decide_veto(first, "applied", "", admin)
    assert reports.decide_veto(first, "applied", "经核查存在伪造就业协议", admin).veto == "applied"


def test_sample_pages(app, client, auth, school, make_user):
    university, office, office2, grads = school
    for g in grads:
        _verify(g, office, office2)
    auth.login(make_user("admin"))
    response = client.post(f"/statistics/university/{university.code}/samples", data={"size": "3", "seed": "42"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "随机种子 42" in page and page.count('name="verdict"') == 3
    bad = client.post(f"/statistics/university/{university.code}/samples", data={"size": "3", "seed": "1e99"})
    assert bad.status_code == 302


def test_staffing_against_one_officer_per_500(app, client, auth, school):
    university, office, *_ = school
    assert [reports.officers_required(n) for n in (0, 1, 500, 501, 1200)] == [0, 1, 1, 2, 3]
    auth.login(office)
    for value in ("-1", "abc", "99999999999999999999", "2\x00"):
        client.post("/statistics/staffing", data={"officers": value})
        assert reports.staffing_of(university) is None
    client.post("/statistics/staffing", data={"officers": "2"})
    assert reports.staffing_of(university).fulltime_officers == 2
    assert "应配备不少于 3 人" in client.get("/statistics/colleges").get_data(as_text=True)


def test_province_dashboard_drill_down_and_export(app, client, auth, school, make_user, make_university):
    university, office, office2, grads = school
    _verify(grads[0], office, office2)
    make_university(code="ZZZ", name='=HYPERLINK("x")大学')
    admin = make_user("admin")
    auth.login(admin)
    with time_machine.travel(datetime(2026, 12, 10, 4, tzinfo=timezone.utc)):
        page = client.get("/statistics/province?sort=staffing")
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        text = page.get_data(as_text=True)
        assert 'data-testid="province-statistics"' in text and 'data-testid="heat-map"' in text
        assert "20.0%" in text  # 1 of 5 placed
        assert client.get("/statistics/province.xlsx").data[:2] == b"PK"
        assert client.get("/statistics/province.pdf").status_code == 404
        exported = client.get("/statistics/province.csv").data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(exported)))
        assert rows[0][0] == "院校代码" and any(r[1].startswith("'=HYPERLINK") for r in rows[1:])
        assert client.get(f"/statistics/university/{university.code}").status_code == 200
        assert client.get("/statistics/province?sort=nonsense").status_code == 200
    auth.logout()
    auth.login(office)
    assert client.get(f"/statistics/university/{university.code}").status_code == 200
    assert client.get("/statistics/university/ZZZ").status_code == 404
    assert client.get("/statistics/province").status_code == 403


def test_quality_report_figures_match_the_submitted_report(app, client, auth, school):
    university, office, office2, grads = school
    _verify(grads[0], office, office2)
    report = reports.submit_report(university, NOV, office)
    _verify(grads[1], office, office2)  # after the submission: not in the report's figures
    auth.login(office)
    page = client.get("/statistics/quality-report?class_year=2027").get_data(as_text=True)
    assert "落实 1 人" in page and "第 1 版" in page and report.snapshot["placed"] == 1
    assert "统计0" not in page  # counts only, no names
    download = client.get("/statistics/quality-report?class_year=2027&download=1")
    for bad in ("99999999999999999999", "9999", "1e9", "\uff12\uff10\uff12\uff17"):
        assert client.get("/statistics/quality-report", query_string={"class_year": bad}).status_code == 200, bad
    assert "attachment" in download.headers["Content-Disposition"] and b"<style>" in download.data
    assert '<html lang="zh-CN">' in page and 'rel="icon"' in page  # the browser asks for no /favicon.ico
    assert b'rel="icon"' not in download.data  # the downloaded file stands alone


def test_the_policy_file_is_configurable(app):
    assert load_policy(app.config["STATISTICS_POLICY_FILE"]).grace_days == 3


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 11, 30), 0),  # the November report's deadline (12-03) is 3 days away: not yet
        (date(2026, 12, 1), 1),  # 2 days before: remind
        (date(2026, 12, 3), 1),  # the deadline itself
        (date(2026, 12, 4), 0),  # overdue: no reminder (the province sees it overdue)
    ],
)
def test_the_scheduler_reminds_the_office_once(app, school, make_user, today, expected):
    from recruit.jobs.runner import run_job
    from recruit.notifications.models import Notification
    from recruit.timeutil import SHANGHAI

    university, office, office2, _ = school
    reviewer_college = make_user("organizer", university=university)  # a second office member: reminded too
    with time_machine.travel(datetime(today.year, today.month, today.day, 9, 30, tzinfo=SHANGHAI)):
        run_job("statistics_reminders")
        run_job("statistics_reminders")  # a rerun adds nothing
    notes = db.session.scalars(sa.select(Notification).where(Notification.kind == "statistics_reminder")).all()
    assert len(notes) == expected * 3
    assert {n.user_id for n in notes} == ({office.id, office2.id, reviewer_college.id} if expected else set())


def test_no_reminder_once_submitted(app, school):
    from recruit.jobs.runner import run_job
    from recruit.notifications.models import Notification
    from recruit.timeutil import SHANGHAI

    university, office, *_ = school
    reports.submit_report(university, NOV, office)
    with time_machine.travel(datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI)):
        run_job("statistics_reminders")
    assert (
        db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.kind == "statistics_reminder"))
        == 0
    )
