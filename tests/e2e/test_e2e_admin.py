"""The province administrator's first day and a new university organizer's first day (issue 15).

The administrator imports a universities file, opens the new university, invites its
employment office, verifies waiting employers in bulk (with a look at one's details first) and
checks the audit log. The invited organizer accepts the link, sets a password, adds a venue,
publishes the majors by degree (§4) and books and publishes a fair in the new venue.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import login, no_horizontal_scroll


def _csv(code: str, name: str, moe: str) -> bytes:
    return (f"代码,院校名称,院校代码,所在地,办学层次,毕业生人数\n{code},{name},{moe},遵义,高职专科,3200\n").encode(
        "gb18030"
    )


def test_admin_first_day_then_new_organizer_first_day(page, new_page):
    stamp = str(int(time.time()))[-6:]
    code, name, moe = f"E2E{stamp}", f"端到端职业学院{stamp}", f"9{stamp[-4:]}"
    email = f"jyc{stamp}@e2e.example.com"

    # -- the administrator: import, invite, verify, audit
    login(page, "admin")
    page.get_by_role("link", name="省级管理").first.click()
    expect(page.get_by_role("heading", name="省级管理")).to_be_visible()
    page.get_by_role("link", name="导入高校名录").first.click()
    expect(page.get_by_role("link", name="下载 XLSX 模板")).to_be_visible()
    page.get_by_label("文件（.csv 或 .xlsx）").set_input_files(
        {"name": "universities.csv", "mimeType": "text/csv", "buffer": _csv(code, name, moe)}
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("新建 1")
    page.get_by_role("link", name="查看高校名录").click()
    page.get_by_label("名称、代码或所在地").fill(code)
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()
    page.get_by_role("link", name="工作人员账号").click()
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("姓名").fill("赵老师")
    page.get_by_role("button", name="发送邀请").click()
    link = page.get_by_test_id("invitation-link").locator("code").inner_text().strip()
    assert "/admin/invite/" in link
    expect(page.get_by_text("待接受")).to_be_visible()

    page.goto("/employers/manage?status=pending")
    rows = page.locator("tbody tr").filter(has=page.locator("input[type=checkbox]"))
    if rows.count():
        first = rows.first.get_by_role("link").first
        employer_name = first.inner_text()
        first.click()
        expect(page.get_by_role("heading", name=employer_name)).to_be_visible()
        expect(page.get_by_text("身份认证（全省）")).to_be_visible()
        page.go_back()
        rows.first.locator("input[type=checkbox]").check()
        page.get_by_test_id("bulk-approve").click()
        expect(page.get_by_text(re.compile(r"已通过 1 家单位的认证。"))).to_be_visible()
    page.goto("/admin/audit?action=organizer.")
    expect(page.get_by_test_id("audit-row").filter(has_text=email)).to_have_count(1)
    page.get_by_role("link", name="省级管理").first.click()
    page.get_by_role("link", name="现行招聘会频次规则").click()
    expect(page.get_by_text("每周至少 1 场")).to_be_visible()

    # -- the new organizer: accept, venue, majors, first fair
    org = new_page()
    org.goto("/" + link.split("/", 3)[3])  # the path: the server may run on another port than PUBLIC_BASE_URL
    expect(org.get_by_role("heading", name="接受邀请")).to_be_visible()
    expect(org.get_by_text(email)).to_be_visible()
    org.get_by_label("设置密码").fill("organizer-e2e-1")
    org.get_by_label("确认密码").fill("organizer-e2e-1")
    org.get_by_role("button", name="创建账号").click()
    expect(org.get_by_text("欢迎！您的账号已创建。下一步：添加本校的招聘场地。")).to_be_visible()
    org.get_by_role("link", name="添加场地").first.click()
    org.get_by_label("场地名称").fill("实训楼一楼大厅")
    org.get_by_label("校区").fill("新蒲校区")
    org.get_by_label("展位数").fill("60")
    org.get_by_label("地址").fill("遵义市新蒲新区")
    org.get_by_role("button", name="保存").click()
    expect(org.get_by_text("场地已添加。")).to_be_visible()
    expect(org.get_by_role("cell", name="实训楼一楼大厅")).to_be_visible()

    org.get_by_role("link", name="专业与毕业生").click()
    org.locator("input[name=major]").nth(0).fill("汽车检测与维修技术")
    org.locator("select[name=degree]").nth(0).select_option("专科")
    org.locator("input[name=graduates]").nth(0).fill("420")
    org.get_by_role("button", name="保存并发布").click()
    expect(org.get_by_text("专业与毕业生人数已保存")).to_be_visible()
    org.get_by_role("link", name="公开页面").click()
    expect(org.get_by_test_id("major-stats")).to_contain_text("汽车检测与维修技术")

    org.goto("/fairs/new")
    org.get_by_label("招聘会名称").fill(f"{name}首场专场招聘会")
    org.get_by_label("场地").select_option(label="实训楼一楼大厅（60个展位）")
    org.get_by_role("button", name="保存并发布").click()
    expect(org.get_by_text("已发布招聘会。")).to_be_visible()
    expect(org.get_by_role("heading", name=re.compile("首场专场招聘会"))).to_be_visible()


def test_admin_pages_fit_a_phone(phone_page):
    login(phone_page, "admin")
    for path in ("/admin/", "/admin/universities", "/admin/audit", "/employers/manage", "/employers/reviews"):
        phone_page.goto(path)
        no_horizontal_scroll(phone_page)
