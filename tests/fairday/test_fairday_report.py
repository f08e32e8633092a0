"""After the fair: the report (live, then frozen), held only when it closes, exports; booths and representatives."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
import time_machine

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairday import reports, services
from recruit.fairs.models import Fair, FairRegistration, FairReport
from tests.fairday.conftest import FAIR_DAY

EVENING = datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc)  # 20:00 in Shanghai: the fair has ended
NEXT_DAY = datetime(2026, 12, 8, 16, 30, tzinfo=timezone.utc)  # 00:30 on Dec 9 in Shanghai


def test_ended_fair_stays_scheduled_until_the_report_closes_the_next_day(app, day):
    from recruit.jobs.runner import run_job

    fair_id = day["fair"].id
    with time_machine.travel(EVENING, tick=False):
        run_job("status_upkeep")
        db.session.expire_all()
        assert db.session.get(Fair, fair_id).status == "scheduled"
    with time_machine.travel(NEXT_DAY, tick=False):
        run = run_job("status_upkeep")
        assert run.outcome == "success", run.error
    db.session.expire_all()
    fair = db.session.get(Fair, fair_id)
    report = db.session.get(FairReport, fair_id)
    assert fair.status == "held" and report.closed_at is not None and report.closed_by_id is None
    assert (
        report.employers_registered,
        report.employers_checked_in,
        report.graduates_signed_up,
        report.postings,
        report.headcount,
    ) == (1, 0, 1, 1, 5)
    assert report.applications_at_fair is None  # the applications feature fills this; never a made-up 0


def test_organizer_closes_the_report_on_the_day_counts_frozen(app, client, auth, day):
    with time_machine.travel(EVENING, tick=False):
        token, _ = services.registration_pass(day["registration"])
        services.check_in(day["fair"], token, None, today=FAIR_DAY)
        auth.login(day["organizer"])
        client.post(f"/fairday/{day['fair'].id}/report", data={"notes": "=1+1 现场秩序良好"})
        response = client.post(f"/fairday/{day['fair'].id}/report/close", follow_redirects=True)
        assert "报告已关闭" in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Fair, day["fair"].id).status == "held"
        # a later change does not move the frozen figures
        db.session.get(FairRegistration, day["registration"].id).status = "withdrawn"
        db.session.commit()
        figures = reports.report_figures(db.session.get(Fair, day["fair"].id))
        assert figures["employers_checked_in"] == 1 and figures["employers_registered"] == 1
        with pytest.raises(ServiceError, match="报告已关闭"):
            reports.close_report(db.session.get(Fair, day["fair"].id))
        response = client.get("/fairday/reports/export?format=csv")
        rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
        assert rows[0][:3] == ["招聘会编号", "高校代码", "高校名称"]
        assert rows[1][-1] == "'=1+1 现场秩序良好" and rows[1][-3:-1] == ["", ""]
        assert client.get("/fairday/reports/export?format=xlsx").status_code == 200
        assert client.get("/fairday/reports/export?format=pdf").status_code == 404


def test_report_cannot_close_before_the_fair(app, day, day_before):
    with pytest.raises(ServiceError, match="尚未举办"):
        reports.close_report(day["fair"])
    with pytest.raises(ServiceError, match="举办当天起"):
        reports.save_notes(day["fair"], "早了")


def test_province_sees_every_report_organizer_only_their_own(app, client, auth, day, make_user, make_fair):
    other = make_fair(day=FAIR_DAY, title="别校专场")
    with time_machine.travel(EVENING, tick=False):
        auth.login(make_user("admin"))
        page = client.get("/fairday/reports").get_data(as_text=True)
        assert "计算机专场" in page and "别校专场" in page
        assert client.get(f"/fairday/{other.id}/report").status_code == 200
        auth.logout()
        auth.login(day["organizer"])
        page = client.get("/fairday/reports").get_data(as_text=True)
        assert "计算机专场" in page and "别校专场" not in page
        assert client.get(f"/fairday/{other.id}/report").status_code == 404


def test_booths_rearranged_by_the_organizer_and_printable(app, client, auth, day, make_employer, day_before):
    fair = day["fair"]
    second = FairRegistration(fair=fair, employer=make_employer(name="筑城制造"), status="approved", booth_number=2)
    db.session.add(second)
    db.session.commit()
    first = day["registration"]
    services.rearrange_booths(fair, {first.id: 2, second.id: 1})
    assert [r.employer.name for r in services.booth_rows(fair)] == ["筑城制造", "黔云科技"]
    for numbers, message in (
        ({first.id: 1, second.id: 1}, "不能重复"),
        ({first.id: 1, second.id: 31}, "1 到 30"),
        ({first.id: 1}, "已变化"),
    ):
        with pytest.raises(ServiceError, match=message):
            services.rearrange_booths(fair, numbers)
    page = client.get(f"/fairday/{fair.id}/booths").get_data(as_text=True)
    assert "筑城制造" in page and "booth-plan" in page and "data-print" in page


def test_representatives_up_to_the_limit(app, client, auth, day, day_before):
    fair, registration = day["fair"], day["registration"]
    fair.max_representatives = 2
    db.session.commit()
    services.add_representative(registration, "王五", "13800000001")
    services.add_representative(registration, "赵六", "138-0000-0002")
    with pytest.raises(ServiceError, match="最多登记 2 名"):
        services.add_representative(registration, "孙七", "13800000003")
    auth.login(day["employer_user"])
    page = client.get(f"/fairday/registrations/{registration.id}").get_data(as_text=True)
    assert "王五" in page and "赵六" in page
    assert "已确认参会" in client.post(
        f"/fairday/registrations/{registration.id}/confirm", follow_redirects=True
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    "name, phone, message",
    [
        ("", "13800000000", "请填写代表姓名"),
        ("张" * 101, "13800000000", "不能超过100"),
        ("张三", "abc", "有效的电话号码"),
        ("张三", "12345", "有效的电话号码"),
        ("张\x00三", "13800000000", "请填写代表姓名"),
    ],
)
def test_representative_validation(app, day, day_before, name, phone, message):
    with pytest.raises(ServiceError, match=message):
        services.add_representative(day["registration"], name, phone)


def test_pending_registration_cannot_name_representatives(app, day, day_before):
    day["registration"].status = "pending"
    db.session.commit()
    with pytest.raises(ServiceError, match="只有已通过"):
        services.add_representative(day["registration"], "王五", "13800000001")


def test_representative_limit_cannot_drop_below_those_named(app, day, day_before):
    services.add_representative(day["registration"], "王五", "13800000001")
    services.add_representative(day["registration"], "赵六", "13800000002")
    with pytest.raises(ServiceError, match="已有单位登记了 2 名代表"):
        services.set_capacities(day["fair"], None, 1)
    services.set_capacities(day["fair"], None, 2)
    assert day["fair"].max_representatives == 2


def test_the_applications_hook_fills_the_report(app, day):
    with time_machine.travel(EVENING, tick=False):
        reports.close_report(day["fair"])
        reports.record_fair_outcomes(day["fair"], 7, 2)
        db.session.commit()
        figures = reports.report_figures(day["fair"])
    assert (figures["applications_at_fair"], figures["invitations_at_fair"]) == (7, 2)
    with pytest.raises(ServiceError):
        reports.record_fair_outcomes(day["fair"], -1, 0)


def test_the_list_of_reports_asks_the_same_few_queries_however_many_fairs(
    app, client, auth, day, make_user, make_fair, make_employer, make_posting
):
    """The province's list and export: each fair's figures as its own report page shows them (one
    closed, the others live), in a number of queries that does not grow with the fairs."""
    import sqlalchemy as sa

    def queries(url: str) -> tuple[int, str]:
        seen = []
        spy = lambda *args: seen.append(1)  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", spy)
        try:
            body = client.get(url).get_data(as_text=True)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", spy)
        return len(seen), body

    def more_fairs(names: range) -> None:
        for n in names:
            employer = make_employer(name=f"单位{n}")
            posting = make_posting(employer=employer, headcount=n + 1)
            fair = make_fair(day=FAIR_DAY, title=f"专场{n}")
            registration = FairRegistration(fair=fair, employer=employer, status="approved", postings=[posting])
            db.session.add(registration)
            db.session.commit()
            if n == 0:
                reports.close_report(fair)

    with time_machine.travel(EVENING, tick=False):
        auth.login(make_user("admin"))
        more_fairs(range(3))
        page_few, _ = queries("/fairday/reports")
        export_few, _ = queries("/fairday/reports/export?format=csv")
        more_fairs(range(3, 9))
        page_many, page = queries("/fairday/reports")
        assert page_many == page_few
        assert queries("/fairday/reports/export?format=csv")[0] == export_few
        fairs = db.session.scalars(sa.select(Fair)).all()
        assert len(fairs) == 10
        batch = reports.report_figures_many(fairs)
        for fair in fairs:
            assert batch[fair.id][0] == reports.report_figures(fair)
            assert fair.title in page
        assert sorted(batch[f.id][0]["headcount"] for f in fairs) == [1, 2, 3, 4, 5, 5, 6, 7, 8, 9]
