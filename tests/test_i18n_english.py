"""The English catalog: complete, placeholders kept, and the key pages really render in English.

The catalog is compiled here if its .mo is missing or older than the .po (``make test`` compiles
it first anyway), so the test also works on a fresh clone.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from recruit.extensions import db

LC_MESSAGES = Path(__file__).resolve().parents[1] / "recruit" / "translations" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "messages.po"
MO = LC_MESSAGES / "messages.mo"

#: %(name)s, %(n)d, %s, %%: every printf-style placeholder.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")

#: Chinese navigation and header words that must not survive in English pages.
NAV_WORDS = [
    "首页",
    "招聘会",
    "高校",
    "登录",
    "退出",
    "注册",
    "通知",
    "毕业生",
    "用人单位",
    "为我推荐",
    "求职意愿",
    "我的岗位",
    "我的展位",
    "供需分析",
    "重点群体",
    "导入导出",
    "定时任务",
    "全省达标情况",
    "服务季达标",
    "高校招聘服务平台",
    "跳到正文",
]


def load_catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


def messages(catalog):
    return [m for m in catalog if m.id]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalog():
    """Compile the .po into the .mo the app reads when it is missing or stale."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        catalog = load_catalog()
        with MO.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
    yield


# -- the catalog -------------------------------------------------------------------------------


def test_catalog_has_no_untranslated_or_fuzzy_entry():
    catalog = load_catalog()
    msgs = messages(catalog)
    assert len(msgs) > 400
    untranslated = [m.id for m in msgs if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in msgs if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_every_msgstr_keeps_the_placeholders_of_its_msgid():
    bad = []
    for m in messages(load_catalog()):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            if sorted(PLACEHOLDER.findall(s)) != wanted:
                bad.append((m.id, s))
    assert bad == []


def test_translations_are_english():
    """No msgstr is a copy of its Chinese msgid or still carries Chinese UI text."""
    # The only Chinese allowed in a msgstr: the enumeration comma users really type (、).
    leftovers = [(m.id, m.string) for m in messages(load_catalog()) if CJK.search(str(m.string).replace("、", ""))]
    assert leftovers == []


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("招聘会", "Fairs"),
        ("中小型专场招聘会", "Special fair"),
        ("大型综合招聘会", "Large fair"),
        ("线上线下结合", "Hybrid"),
        ("为我推荐", "Matches for me"),
        ("已达标", "Met"),
        ("有风险", "At risk"),
        ("统一社会信用代码", "Unified social credit code"),
    ],
)
def test_glossary_terms(msgid, english):
    assert load_catalog()[msgid].string == english


def test_compiled_catalog_is_what_the_app_uses(app):
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("en"):
        assert gettext("招聘会") == "Fairs"
        assert (
            gettext("第 %(page)d / %(pages)d 页，共 %(total)d 条", page=2, pages=5, total=93) == "Page 2 of 5, 93 items"
        )


# -- pages in English --------------------------------------------------------------------------


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def header_text(page: str) -> str:
    match = re.search(r'(?s)<header class="site-header">.*?</header>', page)
    assert match, "the page has no site header"
    return visible_text(match.group(0))


def assert_english(response, *expected: str, ignore: tuple[str, ...] = ()):
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    for known_gap in ignore:
        page = page.replace(known_gap, "")
    assert '<html lang="en">' in page
    header = header_text(page)
    assert "Fairs" in header and "Home" in header
    assert [w for w in NAV_WORDS if w in header] == []
    # The one Chinese word allowed: the switch back to Chinese, written in Chinese on purpose.
    assert not CJK.search(header.replace("简体中文", "")), header
    text = visible_text(page)
    for phrase in expected:
        assert phrase in text
    # No Chinese UI string from the catalog is left anywhere on the page.
    msgids = {m.id for m in messages(load_catalog()) if isinstance(m.id, str) and "%" not in m.id and len(m.id) >= 2}
    assert sorted(m for m in msgids if m in text) == []
    return text


@pytest.fixture
def english_world(make_university, make_venue, make_employer, make_posting, make_fair, make_graduate):
    """Data with English names, so any Chinese left on a page is UI text."""
    university = make_university(name="Guizhou Test University", city="Guiyang", majors=["Computer Science"])
    venue = make_venue(university=university, name="Main Hall", address="Huaxi District")
    employer = make_employer(name="Acme Software", industry="Software", city="Guiyang", contact_name="Mr Wang")
    posting = make_posting(
        employer=employer,
        title="Backend developer",
        description="Python and SQL.",
        industry="Software",
        majors=["Computer Science"],
        city="Guiyang",
    )
    fair = make_fair(venue=venue, title="Autumn Fair", industry_focus="Software", description="Bring your CV.")
    graduate = make_graduate(university=university, name="Li Lei", major="Computer Science")
    return dict(university=university, venue=venue, employer=employer, posting=posting, fair=fair, graduate=graduate)


def test_language_switch_turns_public_pages_english(client, english_world):
    fair = english_world["fair"]
    response = client.post("/lang/en", data={"next": "/"})
    assert response.status_code == 302

    assert_english(client.get("/"), "Upcoming fairs", "Autumn Fair", "Log in")
    assert_english(client.get("/fairs/"), "Filter", "Autumn Fair")
    assert_english(client.get("/universities/"), "Guizhou Test University")
    assert_english(client.get("/login"), "Password", "Remember me")
    text = assert_english(client.get(f"/fairs/{fair.id}"), "Autumn Fair", "Host university", "Place")
    assert "Special fair" in text and "Onsite" in text


def test_chinese_stays_the_default(client, english_world):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "招聘会" in header_text(page)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ["Dashboard", "Province compliance", "Scheduled jobs", "Employers"]),
        ("organizer", ["Dashboard", "Season compliance", "Key groups", "Supply and demand"]),
        ("employer", ["Dashboard", "My postings", "My booths", "Verification status"]),
        ("graduate", ["Dashboard", "Matches for me", "Job-seeking intention"]),
    ],
)
def test_dashboards_in_english_for_each_role(client, auth, make_user, english_world, role, expected):
    links = {
        "organizer": {"university": english_world["university"]},
        "employer": {"employer": english_world["employer"]},
        "graduate": {"graduate": english_world["graduate"]},
    }.get(role, {})
    user = make_user(role, locale="en", display_name=f"{role} user", **links)
    assert auth.login(user).status_code == 302
    assert_english(client.get("/dashboard"), *expected)
    assert_english(client.get(f"/fairs/{english_world['fair'].id}"), "Autumn Fair")


def test_role_label_is_english(client, auth, make_user, english_world):
    user = make_user("employer", locale="en", display_name="employer user", employer=english_world["employer"])
    auth.login(user)
    text = visible_text(client.get("/dashboard").get_data(as_text=True))
    assert "用人单位" not in text


def test_service_errors_and_error_pages_in_english(client, auth, make_user, make_employer):
    """Messages raised by services and the error pages are translated too."""
    employer = make_employer(status="pending")
    admin = make_user("admin", locale="en")
    auth.login(admin)
    response = client.post(
        f"/employers/{employer.id}/decide", data={"decision": "reject", "reason": ""}, follow_redirects=True
    )
    assert "Please give the reason for the rejection." in response.get_data(as_text=True)
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "Page not found" in page and "页面不存在" not in page


def test_key_group_labels_in_english(client, auth, make_user, make_graduate):
    graduate = make_graduate(low_income=True, confirmed=False)
    auth.login(make_user("admin", locale="en"))
    page = client.get("/graduates/manage").get_data(as_text=True)
    assert "Low-income family" in page and "低收入家庭" not in page


# -- every page of every role, in English: no Han character outside user data (issue 14, item 11) --

#: Pages each role opens from the menu and the dashboard. ``{fair}``, ``{posting}``, ``{graduate}``,
#: ``{code}`` are filled in from ``english_world``.
ROLE_PAGES = {
    "anonymous": [
        "/",
        "/fairs/",
        "/fairs/calendar?month=2026-12",
        "/fairs/{fair}",
        "/universities/",
        "/universities/{code}",
        "/login",
        "/register/employer",
        "/register/graduate",
    ],
    "graduate": [
        "/dashboard",
        "/fairs/calendar?month=2026-12",
        "/graduates/me/matches",
        "/graduates/me/intention",
        "/graduates/me/saved",
        "/fairs/{fair}",
        "/notifications/",
        "/account",
    ],
    "employer": [
        "/dashboard",
        "/employers/me/postings",
        "/employers/me/postings/{posting}",
        "/employers/me/postings/new",
        "/fairs/mine",
        "/fairs/{fair}",
        "/account",
    ],
    "organizer": [
        "/dashboard",
        "/fairs/calendar?month=2026-12",
        "/fairs/new",
        "/fairs/{fair}",
        "/fairs/{fair}/edit",
        "/graduates/manage",
        "/employers/manage",
        "/org/supply-demand",
        "/org/key-group",
        "/org/key-group/{graduate}",
        "/org/imports",
        "/compliance/season",
    ],
    "admin": [
        "/dashboard",
        "/compliance/province",
        "/employers/manage",
        "/graduates/manage",
        "/jobs/",
        "/notifications/",
    ],
}

#: Chinese that may stay: the switch to Chinese (written in Chinese on purpose) and the
#: enumeration comma between user-entered items.
ALLOWED_CHINESE = ("简体中文", "、")


def han_outside_user_data(text: str) -> list[str]:
    for allowed in ALLOWED_CHINESE:
        text = text.replace(allowed, " ")
    return sorted({m.strip() for m in re.findall(r"[^\s<>]*[\u3400-\u9fff][^\s<>]*", text)})


@pytest.fixture
def english_users(make_user, english_world, make_graduate):
    from recruit.graduates.models import Intention

    w = english_world
    key_case = make_graduate(university=w["university"], name="Han Mei", major="Computer Science", low_income=True)
    db.session.add(
        Intention(
            graduate=w["graduate"],
            positions=["Backend developer"],
            cities=["Guiyang"],
            industries=["Software"],
            skills="Python, SQL",
            statement="I like Python and SQL.",
        )
    )
    db.session.commit()
    w["key_case"] = key_case
    return {
        "graduate": make_user("graduate", locale="en", display_name="Li Lei", graduate=w["graduate"]),
        "employer": make_user("employer", locale="en", display_name="Mr Wang", employer=w["employer"]),
        "organizer": make_user("organizer", locale="en", display_name="Ms Zhao", university=w["university"]),
        "admin": make_user("admin", locale="en", display_name="Admin"),
    }


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_pages_in_english_have_no_chinese_outside_user_data(client, auth, english_world, english_users, role):
    w = english_world
    if role == "anonymous":
        client.post("/lang/en", data={"next": "/"})
    else:
        assert auth.login(english_users[role]).status_code == 302
    values = {
        "fair": w["fair"].id,
        "posting": w["posting"].id,
        "graduate": w["key_case"].id,
        "code": w["university"].code,
    }
    leftovers = {}
    for template in ROLE_PAGES[role]:
        url = template.format(**values)
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
        found = han_outside_user_data(visible_text(response.get_data(as_text=True)))
        if found:
            leftovers[url] = found
    assert leftovers == {}


def test_role_class_and_degree_read_as_english(client, auth, english_users, english_world):
    auth.login(english_users["graduate"])
    text = visible_text(client.get("/dashboard").get_data(as_text=True))
    assert "Graduate" in text and "Graduates" not in text.replace("Graduates'", "")
    assert "Class of 2027" in text and "2027 Class" not in text
    assert "Bachelor's" in text
    page = visible_text(client.get("/graduates/me/matches").get_data(as_text=True))
    assert "Bachelor's or higher" in page and "Guiyang" in page


def test_data_words_are_marked_for_extraction_and_translated(app):
    """Degrees, industries, cities, season and holiday names are shown through the catalogue."""
    from recruit.compliance.holidays import FIXED_HOLIDAYS, HOLIDAY_NAMES_ZH
    from recruit.compliance.policy import current_policy
    from recruit.i18n import DATA_MSGIDS
    from recruit.validation import CITIES, DEGREES, INDUSTRIES

    catalog = load_catalog()
    seasons = [s.label for s in current_policy().seasons]
    words = {*DEGREES, *INDUSTRIES, *CITIES, *seasons, *HOLIDAY_NAMES_ZH.values(), *FIXED_HOLIDAYS.values()}
    assert words - set(DATA_MSGIDS) == set()
    assert [w for w in words if not (catalog.get(w) and catalog.get(w).string)] == []
