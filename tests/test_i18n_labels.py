"""Fixed vocabularies, match reasons, season labels and punctuation in English pages.

Stored values stay Chinese (贵阳, 本科, 2026-autumn); the pages show them through the catalogue:
``|vocab`` for degrees, industries and cities, ``|match_reason`` for reasons, ``season_label``
for seasons. English pages carry no full-width punctuation glued around translated text.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from tests.test_i18n_english import load_catalog, messages, visible_text

#: Full-width punctuation that has no place in English text (curly quotes and the enumeration
#: comma 、 quoted as what users type are allowed).
FULL_WIDTH = re.compile(r"[（）：，。；！？【】]")

INTENTION = dict(
    positions=["Java后端开发工程师"],
    cities=["贵安新区"],
    industries=["大数据电子信息"],
    skills="Java、Spring Boot、MySQL",
    salary_expectation=6000,
)


def test_english_catalogue_has_no_full_width_punctuation():
    bad = []
    for m in messages(load_catalog()):
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        bad += [(m.id, s) for s in strings if FULL_WIDTH.search(s)]
    assert bad == []


@pytest.fixture
def matched(make_employer, make_posting, make_graduate, make_user):
    employer = make_employer(industry="大数据电子信息", city="贵安新区")
    posting = make_posting(
        employer=employer,
        industry="大数据电子信息",
        city="贵安新区",
        min_degree="本科",
        headcount=1,
        description="Java, Spring Boot, MySQL.",
    )
    graduate = make_graduate(intention=INTENTION)
    return posting, graduate, employer


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return visible_text(response.get_data(as_text=True))


def test_job_page_renders_reasons_and_vocabulary_in_english(client, auth, make_user, matched):
    posting, graduate, _employer = matched
    auth.login(make_user("graduate", locale="en", graduate=graduate))
    text = _page(client, f"/postings/{posting.id}")
    assert "Intended city: Gui'an New Area" in text
    assert "Intended industry: Big data and electronic information" in text
    assert "Bachelor's or higher" in text
    for chinese in ("意向城市", "意向行业", "共同关键词", "贵安新区", "大数据电子信息", "本科", "1 openings"):
        assert chinese not in text
    assert "1 opening" in text
    # the board list and the matches page: the same renderer
    board = _page(client, "/postings?sort=match")
    assert "Intended city: Gui'an New Area" in board and "Bachelor's or higher" in board
    assert "意向城市" not in board
    matches = _page(client, "/graduates/me/matches")
    assert "Intended city: Gui'an New Area" in matches and "贵安新区" not in matches


def test_job_page_stays_chinese_by_default(client, auth, make_user, matched):
    posting, graduate, _employer = matched
    auth.login(make_user("graduate", graduate=graduate))
    text = _page(client, f"/postings/{posting.id}")
    assert "意向城市：贵安新区" in text and "本科及以上" in text and "招聘 1 人" in text


def test_board_filters_show_vocabulary_in_english(client):
    client.post("/lang/en", data={"next": "/"})
    page = client.get("/postings").get_data(as_text=True)
    assert '<option value="贵安新区">Gui&#39;an New Area</option>' in page or (
        '<option value="贵安新区">Gui\'an New Area</option>' in page
    )
    assert '<option value="本科">Bachelor&#39;s</option>' in page or '<option value="本科">Bachelor\'s</option>' in page
    assert ">贵安新区<" not in page and ">本科<" not in page and ">大数据电子信息<" not in page


def test_board_filters_stay_chinese(client):
    page = client.get("/postings").get_data(as_text=True)
    assert '<option value="贵安新区">贵安新区</option>' in page


def test_menu_names_the_board_jobs(client, auth, make_user):
    auth.login(make_user("graduate", locale="en"))
    page = client.get("/dashboard").get_data(as_text=True)
    header = re.search(r'(?s)<header class="site-header">.*?</header>', page).group(0)
    assert ">Jobs<" in header and ">Posting<" not in header


def test_employer_pages_use_plurals_and_ascii_punctuation(client, auth, make_user, matched):
    posting, _graduate, employer = matched
    auth.login(make_user("employer", locale="en", employer=employer))
    detail = _page(client, f"/employers/me/postings/{posting.id}")
    assert "1 opening" in detail and "1 openings" not in detail
    assert "Preferred cities Gui'an New Area" in detail and "Intended city: Gui'an New Area" in detail
    assert "Skills: " in detail
    listing = _page(client, "/employers/me/postings")
    assert "(0)" in listing
    for text in (detail, listing):
        assert FULL_WIDTH.findall(text) == []


def test_account_subscription_help_has_no_full_width_colon(client, auth, make_user):
    auth.login(make_user("graduate", locale="en"))
    text = _page(client, "/account")
    assert "：" not in text


def test_season_label_in_both_languages(app):
    from flask_babel import force_locale

    from recruit.compliance.policy import current_policy, season_label

    with app.test_request_context():
        season = current_policy().season("2026-autumn")
        assert season_label(season) == "2026 年秋季"
        with force_locale("en"):
            assert season_label(current_policy().season("2027-spring")) == "Spring 2027"


@time_machine.travel(date(2026, 10, 10), tick=False)
@pytest.mark.parametrize("locale, expected", [("en", "Autumn 2026"), ("zh", "2026 年秋季")])
def test_compliance_pages_show_season_labels_not_codes(client, auth, make_user, locale, expected):
    organizer = make_user("organizer", locale=locale)
    auth.login(organizer)
    season = _page(client, "/compliance/season")
    assert expected in season
    assert "2026-autumn" not in season and "2026-spring" not in season and "2027-spring" not in season
    auth.logout()
    auth.login(make_user("admin", locale=locale))
    province = _page(client, "/compliance/province")
    assert expected in province and "2026-autumn" not in province
    if locale == "en":
        assert "Autumn recruitment season" not in season
        assert FULL_WIDTH.findall(season) == []


def test_statistics_labels_use_their_context(app):
    from flask import render_template_string
    from flask_babel import force_locale

    tpl = open(app.jinja_loader.searchpath[0] + "/statistics/_snapshot_tables.html", encoding="utf-8").read()
    assert "pgettext('graduates', '人数')" in tpl and "pgettext('table caption', '按专业')" in tpl
    with app.test_request_context(), force_locale("en"):
        assert render_template_string("{{ pgettext('graduates', '人数') }}") == "Graduates"
        assert render_template_string("{{ pgettext('table caption', '按专业') }}") == "By major"
        # the other uses of the same msgids keep their translation
        assert render_template_string("{{ _('人数') }}") == "Openings"
        assert render_template_string("{{ _('按专业') }}") == "Major"


def test_resume_key_group_and_policy_show_vocabulary_in_english(
    client, auth, make_user, make_university, make_graduate
):
    university = make_university()
    graduate = make_graduate(university=university, intention=INTENTION, low_income=True)
    auth.login(make_user("graduate", locale="en", graduate=graduate))
    resume = _page(client, "/me/resume")
    assert "Bachelor's" in resume and "本科" not in resume
    auth.logout()
    auth.login(make_user("organizer", locale="en", university=university))
    key_group = _page(client, "/org/key-group")
    assert "Gui'an New Area" in key_group and "贵安新区" not in key_group
    auth.logout()
    auth.login(make_user("admin", locale="en"))
    policy = client.get("/admin/policy").get_data(as_text=True)
    # the season list (the policy file itself is shown as is further down)
    assert "<li>Autumn recruitment season <span" in policy and "<li>秋季校园招聘服务季" not in policy


def test_the_english_catalogue_defines_each_message_once():
    """Two entries for one (context, msgid) compile to the first one silently: the second
    translation is dead and a button read "Accepted" where it said "Accept". Words used as a
    verb and as a noun get a context (pgettext) instead."""
    path = "recruit/translations/en/LC_MESSAGES/messages.po"
    keys, context, msgid, field = [], None, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("msgctxt "):
                context, field = line[8:], "ctx"
            elif line.startswith("msgid "):
                msgid, field = line[6:], "id"
            elif line.startswith('"') and field in ("ctx", "id"):
                if field == "ctx":
                    context += line
                else:
                    msgid += line
            elif line.startswith("msgstr"):
                if field == "id":
                    keys.append((context, msgid))
                context, field = None, "str"
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert len(keys) > 1000 and repeated == []


@pytest.mark.parametrize(
    "template, english",
    [
        ("applications/my_invitations.html", "pgettext('button', '接受')"),
        ("employers/posting.html", "pgettext('button', '邀请')"),
    ],
)
def test_verbs_on_buttons_have_their_own_context(template, english):
    with open(f"templates/{template}", encoding="utf-8") as f:
        assert english in f.read()
    catalog = load_catalog()
    assert catalog.get("接受", context="button").string == "Accept"
    assert catalog.get("邀请", context="button").string == "Invite"


@pytest.mark.parametrize("n, english", [(1, "1 graduate (the 50"), (2, "2 graduates (the 50")])
def test_the_count_of_matching_graduates_has_a_plural(app, n, english):
    from flask import render_template_string
    from flask_babel import force_locale

    tpl = open(app.jinja_loader.searchpath[0] + "/employers/posting.html", encoding="utf-8").read()
    call = re.search(
        r"ngettext\('共 %\(num\)d 名（最多显示最匹配的 %\(limit\)d 名）。'.*?limit=pool_limit\)", tpl
    ).group(0)
    with app.test_request_context(), force_locale("en"):
        assert english in render_template_string("{{ " + call + " }}", total=n, pool_limit=50)
    with app.test_request_context(), force_locale("zh"):
        assert render_template_string("{{ " + call + " }}", total=n, pool_limit=50).startswith(f"共 {n} 名")
