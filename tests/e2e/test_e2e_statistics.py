"""Employment statistics (§15) in the browser: a destination record through the three levels, and a
university's monthly report that the province then sees."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, login, no_horizontal_scroll

OFFICE = "gzu@recruit.demo"
COLLEGE_REVIEWER = "gzu-college@recruit.demo"  # 贵州大学工学院's reviewer in the demo


def test_a_destination_record_goes_through_the_three_levels(page, new_page):
    # The graduate fills in the destination, on a phone.
    login(page, "graduate")
    name = page.locator("a[href='/account']").first.inner_text().strip()
    page.set_viewport_size(PHONE)
    page.goto("/statistics/me")
    expect(page.get_by_role("heading", name="毕业去向登记")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_label("毕业去向").select_option(label="签劳动合同形式就业")
    page.get_by_label("就业单位或升学院校").fill("贵州云峰大数据科技有限公司")
    page.get_by_label("所在城市").fill("贵阳")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存，等待学校就业部门采集审核。")).to_be_visible()
    expect(page.get_by_test_id("destination-record")).to_contain_text("待采集")

    # The university's office collects it.
    office = new_page()
    login(office, OFFICE)
    office.goto("/statistics/records?status=pending&q=" + name)
    office.get_by_role("link", name=name).first.click()
    office.get_by_test_id("step-collect").click()
    expect(office.get_by_text("已采集。")).to_be_visible()
    assert office.get_by_test_id("step-review").count() == 0, "the office is not the college's reviewer"

    # The college reviews it; it may not re-review.
    college = new_page()
    login(college, COLLEGE_REVIEWER)
    college.goto(office.url)
    college.get_by_test_id("step-review").click()
    expect(college.get_by_text("已审核。")).to_be_visible()
    assert college.get_by_test_id("step-verify").count() == 0

    # The office re-reviews it: it now counts, and the graduate sees every step.
    office.reload()
    office.get_by_test_id("step-verify").click()
    expect(office.get_by_text("已复核，计入就业率。")).to_be_visible()
    history = office.get_by_test_id("destination-history")
    for step in ("毕业生填报", "采集", "院系审核", "学校复核"):
        expect(history).to_contain_text(step)
    page.reload()
    expect(page.get_by_test_id("destination-record")).to_contain_text("学校已复核")
    expect(page.get_by_text(re.compile("记录已进入审核，不能再修改"))).to_be_visible()


def test_a_university_submits_a_monthly_report_that_the_province_sees(page, new_page):
    login(page, OFFICE)
    page.goto("/statistics/reports")
    expect(page.get_by_test_id("current-figures")).to_be_visible()
    row = page.get_by_test_id("report-periods").locator("tr", has_text="月报").first
    month = row.locator("td").nth(1).inner_text()
    submit = row.get_by_role("button", name=re.compile("^(报送|提交更正)$"))
    if row.get_by_role("button", name="提交更正").count():
        row.get_by_placeholder("更正原因").fill("补录已复核记录")
    submit.click()
    expect(page.get_by_text(re.compile(r"已报送第 \d+ 版"))).to_be_visible()
    expect(page.get_by_test_id("report-totals")).to_be_visible()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "月报" in heading

    admin = new_page()
    login(admin, "admin")
    admin.get_by_role("link", name="就业统计").first.click()
    expect(admin.get_by_test_id("province-statistics")).to_be_visible()
    expect(admin.get_by_test_id("heat-map")).to_be_visible()
    admin.get_by_test_id("province-statistics").get_by_role("link", name="贵州大学").click()
    expect(admin.get_by_test_id("university-figures")).to_be_visible()
    admin.goto("/statistics/reports?university=GZU")
    submitted = admin.get_by_test_id("report-periods").locator("tr", has_text=month).filter(has_text="月报").first
    expect(submitted).to_contain_text(re.compile("已按时报送|逾期报送"))
    expect(submitted.get_by_role("link", name=re.compile("第 \\d+ 版"))).to_be_visible()
