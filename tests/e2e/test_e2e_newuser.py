"""What a new user trips over (issue 14): each defect found walking the demo, now walked again.

Every journey saves its screenshot under tests/e2e/artifacts/ (the ``page`` fixtures); a few
also save phone-width and English views there (``*-phone-zh.png``, ``*-en.png``).
"""

from __future__ import annotations


import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, BASE_URL, PHONE, login, logout, no_horizontal_scroll

HAN = re.compile(r"[\u3400-\u9fff]")


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"newuser-{name}.png"), full_page=True)


def _switch_language(page) -> None:
    toggle = page.locator(".nav-toggle-label")
    if toggle.is_visible():  # phone width: the switch is in the collapsed menu
        toggle.click()
    page.locator("form.lang button").click()


def to_english(page) -> None:
    _switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def to_chinese(page) -> None:
    _switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def interface_text(page) -> str:
    """The main text without the options of selects (university names there are data)."""
    return page.evaluate("""() => { const m = document.querySelector('main').cloneNode(true);
        m.querySelectorAll('select').forEach(s => s.remove()); return m.innerText; }""")


# -- 1. key-group 推荐此岗位 ------------------------------------------------------------------------


def test_key_group_recommendation_reaches_the_graduate_first_and_notified(page, new_page):
    grad = new_page()
    login(grad, "keygroup@recruit.demo")
    name = grad.locator("main section.card h2").first.inner_text().strip()

    login(page, "gzmu@recruit.demo")
    page.goto("/org/key-group?q=" + name)
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()
    form = page.locator("form.recommend-form").first
    expect(form).to_be_visible()
    title = form.locator("xpath=..").locator("strong").first.inner_text().strip()
    form.get_by_role("textbox").fill("离家近，专业对口")
    form.get_by_role("button", name="推荐此岗位").click()
    expect(page.locator(".flash-success")).to_contain_text("优先推荐")
    expect(page.locator(".flash-error")).to_have_count(0)
    section = page.locator("section.card").filter(has=page.get_by_role("heading", name=re.compile("学校推荐")))
    expect(section).to_contain_text(title)
    expect(section).to_contain_text("离家近，专业对口")

    # The graduate: first in the matches, marked, and told once.
    grad.goto("/graduates/me/matches")
    first = grad.locator("li.match").first
    expect(first.locator("h2")).to_have_text(title)
    expect(first.locator(".recommended-badge")).to_be_visible()
    grad.goto("/notifications/")
    expect(grad.get_by_test_id("notification").filter(has_text=title)).to_have_count(1)

    # Withdraw it again so that the journey can run on the same demo twice.
    page.once("dialog", lambda d: d.accept())
    section.get_by_role("button", name="撤回", exact=True).first.click()
    expect(page.locator(".flash-success")).to_contain_text("已撤回推荐")


# -- 2. calendar links follow the address the browser used ------------------------------------


def test_calendar_links_follow_the_host_and_port_of_the_request(page):
    port = urlsplit(BASE_URL).port
    other = f"http://localhost:{port}"
    page.goto(f"{other}/fairs/")
    page.locator("ul.fair-list li a").first.click()
    hrefs = page.locator("a[href^='webcal://'], a[href*='/feeds/']").evaluate_all("els => els.map(e => e.href)")
    assert hrefs, "the fair page offers no calendar link"
    absolute = [h for h in hrefs if h.startswith(("webcal://", "http"))]
    assert all(f"localhost:{port}" in h for h in absolute), absolute
    ics = page.request.get(f"{other}/feeds/fairs.ics").text()
    urls = re.findall(r"^URL[^:]*:(\S+)", ics.replace("\r\n ", ""), flags=re.M)
    assert urls and all(u.startswith(f"{other}/") for u in urls), urls[:3]


# -- 5. notifications and the organizer's 待办 ------------------------------------------------------


def test_booth_request_reaches_the_organizers_todo_and_the_decision_the_employer(page, new_page):
    login(page, "employer")
    page.goto("/dashboard")
    employer_name = page.locator("main section.card h2").first.inner_text().strip()
    page.goto("/fairs/?university=GZU")
    hrefs = page.locator("ul.fair-list li a[href^='/fairs/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )[:12]  # read before leaving the list
    booked = None
    for href in hrefs:
        page.goto(href)
        button = page.get_by_role("button", name="提交申请")
        if button.count():
            postings = page.locator("select[name=postings]")
            postings.select_option(postings.locator("option").first.get_attribute("value"))
            button.first.click()
            if page.locator(".flash-success").count():
                booked = href
                break
    assert booked, "the demo employer could not request a booth at any GZU fair"
    fair_id = booked.rstrip("/").split("/")[-1]

    org = new_page()
    login(org, "gzu@recruit.demo")
    org.goto("/dashboard")
    todo = org.get_by_test_id("todo-booths")
    expect(todo.locator(f"a[href='/fairs/{fair_id}#registrations']").first).to_be_visible()
    org.goto("/notifications/")
    expect(org.get_by_test_id("notification").filter(has_text="新的展位申请").first).to_be_visible()
    org.goto(f"/fairs/{fair_id}#registrations")
    row = org.locator("#registrations tbody tr").filter(has_text=employer_name)
    row.first.get_by_role("button", name="通过", exact=True).click()
    expect(org.locator(".flash-success").first).to_be_visible()

    page.goto("/notifications/")
    expect(page.get_by_test_id("notification").filter(has_text="展位申请已通过").first).to_be_visible()
    to_english(page)
    try:
        expect(page.get_by_test_id("notification").filter(has_text="Booth approved").first).to_be_visible()
        shot(page, "notifications-en")
    finally:
        to_chinese(page)  # the account's saved language: later journeys expect Chinese
    # Withdraw the booth again: the demo stays reusable.
    page.goto("/fairs/mine")
    page.once("dialog", lambda d: d.accept())
    page.locator("tr").filter(has=page.locator(f"a[href='/fairs/{fair_id}']")).get_by_role(
        "button", name="撤回", exact=True
    ).first.click()


# -- 7. the example credit code ----------------------------------------------------------------


def test_example_credit_code_passes_its_own_check(page):
    page.goto("/register/employer")
    hint = page.locator("#credit_code-hint").inner_text()
    example = re.search(r"[0-9A-Z]{18}", hint).group(0)
    stamp = int(time.time() * 1000)
    page.get_by_label("单位名称").fill(f"示例代码检验公司{stamp % 100000}")
    page.get_by_label("统一社会信用代码").fill(example)
    page.get_by_role("button", name="注册").click()
    # Whatever else the form says, the example code is not "wrong".
    expect(
        page.locator(".field").filter(has=page.locator("#credit_code")).locator(".error").filter(has_text="校验")
    ).to_have_count(0)


# -- 8, 13. 我的收藏 in the menu; the month calendar -------------------------------------------------


def test_graduate_finds_saved_items_and_the_month_calendar(page, phone_page):
    login(page, "graduate")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的收藏").click()
    expect(page).to_have_url(re.compile("/graduates/me/saved"))
    page.get_by_role("link", name=re.compile("招聘会日历")).click()
    expect(page.get_by_role("heading", name=re.compile("招聘会日历"))).to_be_visible()
    expect(page.locator(".calendar-views a.current")).to_have_text("我的招聘会")
    page.get_by_role("link", name=re.compile("下个月")).click()
    expect(page.locator("table.month-calendar")).to_be_visible()
    page.locator(".calendar-views").get_by_role("link", name="全部").click()
    expect(page.locator(".calendar-views a.current")).to_have_text("全部")

    phone_page.goto("/fairs/calendar?month=2026-12")
    expect(phone_page.locator("table.month-calendar")).to_be_visible()
    no_horizontal_scroll(phone_page)
    shot(phone_page, "calendar-phone-zh")
    to_english(phone_page)
    no_horizontal_scroll(phone_page)
    shot(phone_page, "calendar-phone-en")
    to_chinese(phone_page)


def test_public_and_organizer_calendars(page):
    page.goto("/fairs/")
    page.get_by_test_id("calendar-link").click()
    expect(page.locator("table.month-calendar td .day-fairs li").first).to_be_visible()
    login(page, "gzu@recruit.demo")
    page.goto("/fairs/calendar")
    expect(page.locator(".calendar-views a.current")).to_have_text("本校")


# -- 9. an employer's matched graduates ---------------------------------------------------------------


def test_employer_filters_and_pages_matched_graduates(page, phone_page):
    login(page, "employer")
    page.goto("/employers/me/postings")
    page.locator("table a[href*='/employers/me/postings/']").filter(has_not_text="编辑").first.click()
    cards = page.locator("li.matched-graduate")
    expect(cards.first).to_be_visible()
    assert cards.count() <= 20
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 12000, f"the page is {height}px tall"
    degree = page.locator("select[name=degree] option").nth(1)
    if degree.count():
        value = degree.get_attribute("value")
        page.locator("select[name=degree]").select_option(value)
        page.get_by_role("button", name="筛选").click()
        expect(page.get_by_test_id("match-count")).to_contain_text("符合筛选")
        for text in cards.locator(".match-head .muted").all_inner_texts():
            assert text.startswith(value), text
        page.get_by_role("link", name="清除筛选").click()
    if page.locator("nav.pager").count():
        page.locator("nav.pager").get_by_role("link", name="下一页").click()
        expect(page).to_have_url(re.compile(r"page=2"))
        expect(cards.first).to_be_visible()

    login(phone_page, "employer")
    phone_page.goto(page.url)
    no_horizontal_scroll(phone_page)
    shot(phone_page, "matched-graduates-phone-zh")


# -- 11. English pages --------------------------------------------------------------------------------

ENGLISH_PAGES = {
    "graduate": ["/dashboard", "/graduates/me/intention", "/graduates/me/saved", "/fairs/calendar"],
    "organizer": ["/dashboard", "/fairs/new", "/compliance/season", "/org/imports"],
}


def test_english_pages_carry_no_chinese_interface_text(page):
    page.goto("/register/graduate")
    to_english(page)
    assert "Bachelor's" in page.locator("select#degree").inner_text()
    body = interface_text(page)
    assert not HAN.search(body), HAN.findall(body)[:10]
    to_chinese(page)
    for role, paths in ENGLISH_PAGES.items():
        login_english(page, role)
        for path in paths:
            page.goto(path)
            text = page.locator("main").inner_text()
            if role == "graduate" and path == "/dashboard":
                assert "Class of" in text and "Graduate" in text
            if path == "/compliance/season":
                assert "recruitment season" in text
            labels = page.locator("select option").all_inner_texts()
            assert not [o for o in labels if "个展位" in o or o in ("本科", "贵阳")], labels[:10]
        shot(page, f"{role}-en")
        to_chinese(page)  # back to Chinese for the next login
        logout(page)


def login_english(page, role: str) -> None:
    login(page, role)
    if page.locator("html").get_attribute("lang") != "en":
        to_english(page)


# -- 12, 14. finishing touches -----------------------------------------------------------------------------


def test_finishing_touches(page, problems):
    problems.allow(r"status of 422 .*/org/imports/graduates")  # the empty upload is refused on purpose
    # The required star stays on its label's line.
    page.goto("/register/employer")
    label = page.locator("label[for=name]")
    star = page.locator("label[for=name] + .req")
    box, star_box = label.bounding_box(), star.bounding_box()
    assert abs(star_box["y"] - box["y"]) < 6 and star_box["x"] >= box["x"] + box["width"] - 1, (box, star_box)
    assert page.locator("[aria-describedby=None]").count() == 0
    # A Chinese font renders the page (not a fallback box font).
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in family and "Microsoft YaHei" in family and "PingFang SC" in family

    # The admin menu fits the window at 1280 px: its links take at most two rows, the account
    # items stay together on the first (test_e2e_layout.py measures every role and width).
    login(page, "admin")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    links = page.locator(".site-nav ul li")
    rows = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(rows) <= 2, f"the admin menu takes {len(rows)} rows: {sorted(rows)}"
    account = page.locator(".site-nav .account > *")
    tops = {
        round(account.nth(i).bounding_box()["y"] + account.nth(i).bounding_box()["height"] / 2)
        for i in range(account.count())
    }
    assert max(tops) - min(tops) <= 4, f"the account items wrap: {sorted(tops)}"
    assert page.locator(".site-header").bounding_box()["height"] < 100
    shot(page, "admin-menu-1280")
    logout(page)

    # The public does not see revisions; an organizer's held fair shows a notice, not a form.
    page.goto("/fairs/?status=held&past=1&university=GZU")
    held = page.locator("ul.fair-list li a[href^='/fairs/']").first
    href = held.get_attribute("href")
    page.goto(href)
    expect(page.get_by_text(re.compile(r"第 \d+ 版"))).to_have_count(0)
    login(page, "gzu@recruit.demo")
    page.goto(href + "/edit")
    expect(page.get_by_test_id("fair-locked")).to_contain_text("已举办")
    expect(page.locator("form input[name=title]")).to_have_count(0)

    # Import page: no command line; an empty upload says so once.
    page.goto("/org/imports")
    expect(page.get_by_text("flask --app")).to_have_count(0)
    page.locator("input[name='graduates-file']").set_input_files(
        files=[{"name": "empty.csv", "mimeType": "text/csv", "buffer": b""}]
    )
    page.get_by_role("button", name="导入毕业生").click()
    expect(page.get_by_text("上传的文件是空的。")).to_have_count(1)
    # CSV downloads name their charset once.
    response = page.request.get("/org/templates/graduates.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"

    # 500 booths in a small venue: refused until confirmed; New Year's Day is flagged.
    page.goto("/fairs/new?day=2027-01-01&kind=special")
    page.get_by_label("招聘会名称").fill(f"容量检验专场{int(time.time()) % 100000}")
    venue = page.get_by_label("场地")
    values = venue.locator("option").evaluate_all("os => os.map(o => o.value).filter(v => v !== '0')")
    venue.select_option(values[0])
    page.get_by_label("展位数").fill("1999")
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.locator(".field").filter(has=page.locator("#booth_capacity")).locator(".error")).to_contain_text(
        "个展位"
    )
    page.get_by_label(re.compile("确认展位数超出场地容量")).check()
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.get_by_text(re.compile("法定节假日（元旦）"))).to_be_visible()
    shot(page, "capacity-confirmed-holiday")


def test_phone_views_in_chinese_and_english(phone_page):
    login(phone_page, "gzu@recruit.demo")
    for path, name in (
        ("/dashboard", "dashboard"),
        ("/fairs/calendar", "organizer-calendar"),
        ("/org/imports", "imports"),
    ):
        phone_page.goto(path)
        no_horizontal_scroll(phone_page)
        shot(phone_page, f"{name}-phone-zh")
    to_english(phone_page)
    for path, name in (("/dashboard", "dashboard"), ("/fairs/new", "fair-form")):
        phone_page.goto(path)
        no_horizontal_scroll(phone_page)
        shot(phone_page, f"{name}-phone-en")
    to_chinese(phone_page)
    assert PHONE["width"] == 375
