"""A graduate writes an intention, sees matched jobs with reasons, saves a fair, copies the feed link."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import BASE_URL, login, no_horizontal_scroll


def test_graduate_intention_matches_saved_fair_and_feed_link(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=BASE_URL)
    login(page, "graduate")

    # 1. The intention: accounting and audit work in Guiyang (the demo has accounting firms with
    #    approved booths at upcoming fairs).
    page.get_by_role("link", name="求职意愿").first.click()
    checked = page.locator("#industries input:checked, #cities input:checked")
    for _ in range(50):
        if checked.count() == 0:
            break
        checked.first.uncheck()
    page.get_by_label("金融", exact=True).check()
    page.get_by_label("贵阳", exact=True).check()
    page.get_by_role("textbox", name="意向岗位").fill("审计助理、会计")
    page.get_by_label("期望月薪（元）").fill("5000")
    page.get_by_role("textbox", name="技能").fill("审计、财务报表、会计核算、税务")
    page.get_by_role("textbox", name="自我陈述").fill(
        "希望在贵阳的会计师事务所从事审计和会计工作，熟悉财务报表和税务申报。"
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-success").first).to_be_visible()

    # 2. Matched jobs, each with its reasons.
    page.get_by_role("link", name="为我推荐").first.click()
    expect(page).to_have_url(re.compile("/graduates/me/matches"))
    cards = page.locator("li.match")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 5
    first = cards.first
    assert first.locator("ul.reasons li").count() >= 1
    reasons = " ".join(cards.locator("ul.reasons").all_inner_texts())
    assert re.search("审计|会计|金融", reasons), reasons

    # 3. Save a fair where a matched employer will be.
    fairs = page.locator("ul.fair-list > li")
    assert fairs.count() >= 1, "no upcoming fair with a matched employer"
    fair_title = fairs.first.locator("a").first.inner_text()
    fairs.first.get_by_role("button", name="收藏").click()
    expect(page.locator("ul.fair-list > li").first.get_by_role("button", name="取消收藏")).to_be_visible()
    page.goto("/graduates/me/saved")
    expect(page.get_by_text(fair_title).first).to_be_visible()

    # 4. The private calendar feed: make it, copy its link.
    page.goto("/account#calendar")
    page.get_by_role("button", name="生成私人订阅地址").click()
    link = page.locator("#calendar input[readonly]").first
    url = link.input_value()
    assert re.match(r"https?://.+/feeds/p/[^/]+\.ics$", url), url
    copy = page.locator("#calendar").get_by_role("button", name="复制链接")
    copy.click()
    expect(page.locator("#calendar [data-copied='1']").first).to_be_visible()
    expect(page.locator("#calendar").get_by_role("button", name="已复制")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    # The copied link serves the graduate's calendar, the saved fair included.
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    feed = page.request.get(path)
    assert feed.status == 200 and "BEGIN:VCALENDAR" in feed.text()


def test_graduate_pages_fit_a_phone(phone_page):
    login(phone_page, "graduate")
    for path in ("/graduates/me/matches", "/graduates/me/intention", "/graduates/me/saved", "/account"):
        phone_page.goto(path)
        no_horizontal_scroll(phone_page)
