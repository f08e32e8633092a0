"""The job board and applying: an anonymous visitor finds a job by keyword; a graduate applies
and sees the status change; the employer invites them to an interview."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import login, no_horizontal_scroll


def test_anonymous_visitor_finds_a_job_by_keyword(page, phone_page):
    page.goto("/")
    page.get_by_test_id("postings-link").click()
    expect(page).to_have_url(re.compile(r"/postings$"))
    page.get_by_test_id("board-q").fill("后端")
    page.get_by_role("button", name="搜索").click()
    cards = page.locator("li.match")
    expect(cards.first).to_be_visible()
    titles = cards.locator("h2").all_inner_texts()
    assert any("后端" in t for t in titles), titles
    first = cards.locator("h2 a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_role("link", name="登录投递")).to_be_visible()
    # the same search at phone width: no sideways scrolling
    phone_page.goto("/postings?q=%E5%90%8E%E7%AB%AF")
    expect(phone_page.locator("li.match").first).to_be_visible()
    no_horizontal_scroll(phone_page)


def test_graduate_applies_employer_invites_to_interview(new_page):
    employer = new_page()
    graduate = new_page()
    login(employer, "employer")
    login(graduate, "graduate")

    # The employer's first active posting, and its public page.
    employer.goto("/employers/me/postings")
    row = employer.locator("tbody tr").filter(has_text="招聘中").filter(has_not_text="已过截止日期").first
    row.locator("a").first.click()
    public = employer.get_by_role("link", name="公开页面").get_attribute("href")
    title = employer.locator("h1").inner_text().replace("招聘中", "").replace("已发布", "").strip()

    # The graduate writes a résumé, then applies.
    graduate.goto("/me/resume")
    graduate.get_by_label("项目经历").fill("实验室预约小程序（Spring Boot + MySQL），负责后端接口。")
    graduate.get_by_label("技能").fill("Java、Spring Boot、MySQL")
    graduate.get_by_test_id("save-resume").click()
    expect(graduate.locator(".flash-success").first).to_be_visible()
    graduate.goto(public)
    graduate.get_by_label("附言（可选）").fill("期待面试机会")
    graduate.get_by_test_id("apply-button").click()
    expect(graduate.get_by_test_id("status")).to_have_text("已投递")

    # The employer opens the pipeline, then the application, and invites to an interview.
    employer.get_by_role("link", name="投递管理").click()
    employer.locator("table.pipeline tbody a").first.click()
    expect(employer.get_by_test_id("status")).to_have_text("已查看")
    employer.get_by_label("操作").select_option("interview")
    when = (datetime.now() + timedelta(days=3)).replace(hour=10, minute=0)
    employer.get_by_label("面试时间").fill(when.strftime("%Y-%m-%dT%H:%M"))
    employer.get_by_label("面试地点").fill("贵阳市观山湖区数博大道 8 号 5 楼")
    employer.get_by_label("给毕业生的留言（可选）").fill("请携带成绩单")
    employer.get_by_test_id("decide-button").click()
    expect(employer.get_by_test_id("status")).to_have_text("邀请面试")

    # The graduate sees the change, its history and the calendar invitation.
    graduate.goto("/me/applications")
    expect(graduate.locator("table.my-applications").get_by_text(title, exact=False).first).to_be_visible()
    expect(graduate.locator("table.my-applications [data-testid=status]").first).to_have_text("邀请面试")
    graduate.locator("table.my-applications a").first.click()
    expect(graduate.get_by_test_id("application-history")).to_contain_text("已查看")
    expect(graduate.get_by_text("请携带成绩单").first).to_be_visible()
    with graduate.expect_download() as info:
        graduate.get_by_role("link", name="加入日历（.ics）").click()
    assert info.value.suggested_filename.endswith(".ics")
    graduate.goto("/notifications")
    expect(graduate.get_by_text("邀请面试").first).to_be_visible()
