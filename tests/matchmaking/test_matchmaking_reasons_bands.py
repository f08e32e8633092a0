"""Reasons are rendered from codes in the user's language; scores are shown as bands, and the
graduate's 最低匹配度 filter offers the bands (issue 14, items 10 and 11)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from matching import BANDS, Reason
from recruit.matchmaking import reasons as match_reasons

INTENTION = dict(
    industries=["软件和信息技术服务"],
    cities=["贵阳"],
    positions=["Java开发", "后端开发"],
    salary_expectation=6000,
    skills="Java、Spring Boot、MySQL",
    statement="想在贵阳做后端开发",
)

RENDERED = [
    (Reason("terms", {"terms": ("Java", "后端开发")}), "共同关键词：Java、后端开发", "Shared keywords: Java, 后端开发"),
    (Reason("major", {"major": "软件工程"}), "专业对口：软件工程", "Major matches: 软件工程"),
    (Reason("city", {"city": "贵阳"}), "意向城市：贵阳", "Intended city: Guiyang"),
    (Reason("industry", {"industry": "教育"}), "意向行业：教育", "Intended industry: Education"),
    (
        Reason("salary", {"salary": 9000, "expectation": 6000}),
        "薪资匹配：月薪最高 9,000 元，不低于期望的 6,000 元",
        "Salary meets the expectation: up to 9,000 yuan a month, expected 6,000 yuan",
    ),
    (match_reasons.recommended("适合你"), "学校优先推荐：适合你", "Recommended by your school: 适合你"),
    (match_reasons.recommended(), "学校优先推荐", "Recommended by your school"),
]


@pytest.mark.parametrize("reason, zh, en", RENDERED)
def test_each_reason_code_renders_in_chinese_and_english(app, reason, zh, en):
    with app.test_request_context():
        with force_locale("zh_CN"):
            assert match_reasons.render_reason(reason) == zh
        with force_locale("en"):
            assert match_reasons.render_reason(reason) == en


def test_an_unknown_code_falls_back_to_the_library_text(app):
    with app.test_request_context():
        assert match_reasons.render_reason(Reason("a_future_rule", {})) == "a_future_rule"


@pytest.mark.parametrize(
    "score, zh, en",
    [
        (0.9, "很匹配", "Strong match"),
        (0.5, "很匹配", "Strong match"),
        (0.49, "较匹配", "Good match"),
        (0.35, "较匹配", "Good match"),
        (0.2, "可考虑", "Worth a look"),
    ],
)
def test_bands(app, score, zh, en):
    assert dict(BANDS) == {"strong": 0.50, "good": 0.35, "fair": 0.0}
    with app.test_request_context():
        with force_locale("zh_CN"):
            assert match_reasons.band_label(score) == zh
        with force_locale("en"):
            assert match_reasons.band_label(score) == en


@pytest.fixture
def graduate_user(make_user, make_graduate, make_posting):
    make_posting()  # Java后端开发工程师 in 贵阳, the graduate's major: a strong match
    make_posting(
        title="软件测试工程师",
        description="编写测试用例",
        industry="软件和信息技术服务",
        majors=[],
        city="遵义",
        salary_min=4000,
        salary_max=5000,
    )  # shares little: a weaker band
    return make_user("graduate", graduate=make_graduate(intention=INTENTION))


def test_matches_page_shows_bands_and_the_filter_follows_them(client, auth, graduate_user):
    auth.login(graduate_user)
    page = client.get("/graduates/me/matches").get_data(as_text=True)
    assert "很匹配" in page and "专业对口：计算机科学与技术" in page
    assert "60%" not in page and '<option value="0.5"' in page and '<option value="0.35"' in page
    assert "较匹配及以上" in page
    strong = client.get("/graduates/me/matches?min_score=0.5").get_data(as_text=True)
    assert "Java后端开发工程师" in strong and "软件测试工程师" not in strong
    every = client.get("/graduates/me/matches?min_score=0").get_data(as_text=True)
    assert "Java后端开发工程师" in every and "软件测试工程师" in every


def test_matches_page_in_english_renders_reasons_and_bands(client, auth, make_user, make_graduate, make_posting):
    make_posting()
    user = make_user("graduate", locale="en", graduate=make_graduate(intention=INTENTION))
    auth.login(user)
    page = client.get("/graduates/me/matches").get_data(as_text=True)
    assert "Strong match" in page and "Major matches: 计算机科学与技术" in page and "Intended city: Guiyang" in page
    for chinese in ("共同关键词", "专业对口", "意向城市", "薪资匹配", "很匹配"):
        assert chinese not in page
