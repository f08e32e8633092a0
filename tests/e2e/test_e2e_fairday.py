"""Fair day journey: an organizer books a fair for today, an employer gets a booth, a graduate signs up,
and the organizer checks both in on a phone-sized page by typing their short codes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, login, no_horizontal_scroll

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _book_today(page) -> str:
    """Book a special fair starting a few minutes from now (Shanghai), in the first free venue; its URL."""
    now = datetime.now(SHANGHAI)
    start = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
    assert start.date() == now.date(), "the journey needs a few minutes left of today (Asia/Shanghai)"
    end = min(start + timedelta(hours=2), start.replace(hour=23, minute=59))
    page.goto(f"/fairs/new?day={start.date().isoformat()}&kind=special")
    venues = (
        page.get_by_label("场地")
        .locator("option")
        .evaluate_all("os => os.map(o => o.value).filter(v => v && v !== '0')")
    )
    assert venues, "the organizer's university has venues"
    for venue in venues:
        page.get_by_label("招聘会名称").fill("签到演练专场招聘会")
        page.get_by_label("日期").fill(start.date().isoformat())
        page.get_by_label("开始时间").fill(start.strftime("%H:%M"))
        page.get_by_label("结束时间").fill(end.strftime("%H:%M"))
        page.get_by_label("场地").select_option(venue)
        page.get_by_role("button", name="保存并发布").click()
        if page.get_by_text("已发布招聘会。").count():
            return page.url
    raise AssertionError("no venue of the university is free in the next two hours")


def test_organizer_checks_in_an_employer_and_a_graduate_on_a_phone(page, new_page, phone_page, problems):
    # A refused code is answered 404/409 on purpose (the page shows the reason); the browser logs it.
    problems.allow(r"/fairday/\d+/checkin")
    login(page, "organizer")
    fair_url = _book_today(page)
    fair_id = re.search(r"/fairs/(\d+)", fair_url).group(1)

    # The employer asks for a booth; the organizer approves it.
    employer = new_page()
    login(employer, "employer")
    employer.goto(fair_url)
    employer.get_by_label("携带岗位").select_option(index=0)
    employer.get_by_role("button", name="提交申请").click()
    expect(employer.get_by_text("待审核").first).to_be_visible()
    page.goto(fair_url)
    page.get_by_role("button", name="通过", exact=True).first.click()
    expect(page.get_by_text("已通过展位申请。")).to_be_visible()

    # The employer's pass: QR code and short code.
    employer.goto(fair_url)
    employer.get_by_role("link", name="签到码与参会代表").click()
    expect(employer.get_by_test_id("checkin-pass").locator("svg")).to_be_visible()
    employer_code = employer.get_by_test_id("short-code").inner_text().strip()
    assert re.fullmatch(r"E\d+-[0-9A-Z]{5}", employer_code), employer_code

    # The graduate signs up and gets a pass.
    graduate = new_page()
    login(graduate, "graduate")
    graduate.goto(fair_url)
    graduate.get_by_role("link", name="报名参加").click()
    graduate.get_by_role("button", name=re.compile("我要报名|加入候补名单")).click()
    expect(graduate.get_by_text("报名成功，请凭签到码入场。")).to_be_visible()
    graduate_code = graduate.get_by_test_id("short-code").inner_text().strip()
    assert re.fullmatch(r"G\d+-[0-9A-Z]{5}", graduate_code), graduate_code

    # At the door, on a phone: type the codes by hand.
    login(phone_page, "organizer")
    phone_page.goto(f"/fairday/{fair_id}/checkin")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("签到演练专场招聘会")
    no_horizontal_scroll(phone_page)
    result = phone_page.locator("#checkin-result")
    code_input = phone_page.get_by_label("签到码")
    check_in = phone_page.get_by_role("button", name="签到", exact=True)

    code_input.fill(employer_code.lower())
    check_in.click()
    expect(result).to_contain_text("签到成功")
    expect(phone_page.locator('[data-count="employers_in"]')).to_have_text("1")
    expect(phone_page.locator("#checkin-recent")).to_contain_text("展位")
    expect(phone_page.get_by_text("还没有人签到。")).to_have_count(0)
    expect(phone_page.get_by_role("button", name="关闭摄像头")).to_be_hidden()

    code_input.fill(employer_code)
    check_in.click()
    expect(result).to_contain_text("已签到")
    expect(result).to_contain_text("签到时间")

    code_input.fill(graduate_code)
    check_in.click()
    expect(result).to_contain_text("签到成功")
    expect(phone_page.locator('[data-count="graduates_in"]')).to_have_text("1")

    code_input.fill("G1-ZZZZZ")
    check_in.click()
    expect(result).to_have_class(re.compile("is-error"))
    assert phone_page.viewport_size == PHONE
