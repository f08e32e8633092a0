"""Organizer and province admin journeys on the demo (贵州民族大学 has at-risk weeks after 2026-11-27)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login, no_horizontal_scroll

#: Demo universities with deliberate gaps after 2026-11-27 (recruit/demo/base.py AUTUMN_GAPS),
#: then the others: the journey takes the first whose current season has an at-risk week.
CANDIDATES = ("gzmu", "lpssy", "git", "gzu", "gznu", "gmu", "gufe", "zmu")
GAPPY = "gzmu@recruit.demo"


def _login_gappy(page) -> None:
    for code in CANDIDATES:
        login(page, f"{code}@recruit.demo")
        page.goto("/compliance/season")
        if page.locator("li.week.status-at_risk").count():
            return
        page.get_by_role("button", name="退出").first.click()
    raise AssertionError("no demo university has an at-risk week in the current season")


def _first_at_risk_week(page):
    week = page.locator("li.week.status-at_risk").first
    assert week.count() == 1, "the demo season has no at-risk week for this university"
    return week, week.locator(".when").inner_text()


def test_organizer_books_a_week_is_refused_a_double_booking_and_uses_the_gap_planner(page, new_page):
    _login_gappy(page)
    page.get_by_role("link", name="服务季达标").first.click()
    expect(page.get_by_test_id("season-summary")).to_be_visible()
    week, when = _first_at_risk_week(page)
    assert "有风险" in week.inner_text()

    # Book a special fair into that week from the season view.
    week.get_by_role("link", name=re.compile("为本周预订招聘会")).click()
    expect(page.get_by_role("heading", name=re.compile("预订招聘会"))).to_be_visible()
    day = page.get_by_label("日期").input_value()
    start = page.get_by_label("开始时间").input_value()
    end = page.get_by_label("结束时间").input_value()
    venue = page.get_by_label("场地").input_value()
    assert venue != "0", "the booking form offers a venue"
    page.get_by_label("招聘会名称").fill("端到端测试专场招聘会")
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text("已发布招聘会。")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("端到端测试专场招聘会"))).to_be_visible()

    # The week turns from at risk to planned.
    page.get_by_role("link", name="服务季达标").first.click()
    booked = page.locator("li.week").filter(has=page.locator(".when", has_text=re.compile(f"^{re.escape(when)}$")))
    expect(booked).to_have_count(1)
    assert "status-planned" in booked.get_attribute("class"), booked.inner_text()
    assert "已安排" in booked.inner_text()

    # The same venue at the same time is refused with a clear message.
    page.goto(f"/fairs/new?day={day}&kind=special")
    page.get_by_label("招聘会名称").fill("重复预订的专场")
    page.get_by_label("日期").fill(day)
    page.get_by_label("开始时间").fill(start)
    page.get_by_label("结束时间").fill(end)
    page.get_by_label("场地").select_option(venue)
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text("该场地在此时间段已被占用").first).to_be_visible()
    assert "/fairs/new" in page.url

    # The gap planner proposes a fair for every remaining at-risk period and publishes them.
    page.get_by_role("link", name="服务季达标").first.click()
    page.get_by_role("link", name="补齐缺口").click()
    expect(page.get_by_role("heading", name=re.compile("补齐缺口"))).to_be_visible()
    rows = page.locator("table.plan-table tbody tr")
    proposed = rows.count()
    assert proposed >= 1, "the planner proposed nothing"
    page.get_by_role("button", name=re.compile("创建为草稿")).click()
    expect(page.get_by_text(f"已创建 {proposed} 场招聘会草稿，请核对后发布。")).to_be_visible()
    page.get_by_role("button", name=re.compile("全部发布")).click()
    expect(page.get_by_text(f"已发布 {proposed} 场招聘会。")).to_be_visible()
    expect(page.locator("li.week.status-at_risk")).to_have_count(0)


def test_province_admin_sorts_the_dashboard(page):
    login(page, "admin")
    page.get_by_role("link", name="全省达标情况").first.click()
    table = page.locator("table.province-table")
    expect(table).to_be_visible()
    header = table.locator("thead th").nth(5)  # 未达标时段
    assert "未达标" in header.inner_text()

    def column():
        cells = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => { const c = r.children[5]; return parseFloat(c.getAttribute('data-value') ?? c.textContent) })"
        )
        return [x for x in cells]

    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    up = column()
    assert up == sorted(up) and len(up) >= 8
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    down = column()
    assert down == sorted(down, reverse=True)
    assert down[0] > down[-1], "the demo has laggards (missed periods) and compliant universities"


def test_organizer_pages_fit_a_phone(phone_page):
    login(phone_page, GAPPY)
    for path in ("/compliance/season", "/compliance/plan", "/fairs/"):
        phone_page.goto(path)
        no_horizontal_scroll(phone_page)
