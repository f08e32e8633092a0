"""The graduate's own choices steer the ranking (issue 18, part 1).

The positions and industries a graduate picks outweigh the free text (skills, statement), and a
graduate who names only one city sees that city first among comparable postings.
"""

import pytest

from matching import Intention, Matcher, Posting

JAVA = "负责后端接口开发，使用Java、Spring Boot、MySQL，参与大数据平台建设"
TEACH = "承担{subject}学科教学工作，认真备课上课，做好班主任工作，持有教师资格证"


def _posting(pid, title, industry, description, city="贵阳", **kw):
    return Posting.from_dict(
        dict(
            id=pid,
            employer="某单位",
            title=title,
            industry=industry,
            description=description,
            education="本科",
            city=city,
            **kw,
        )
    )


@pytest.fixture
def mixed_postings():
    it = [
        _posting(f"J{k}", t, "软件和信息技术服务", JAVA, majors=["软件工程"], salary_max=9000)
        for k, t in enumerate(
            [
                "Java开发工程师",
                "后端开发工程师",
                "大数据开发工程师",
                "Java软件工程师",
                "Python开发工程师",
                "服务端研发工程师",
                "Java后端开发（政务云）",
                "数据仓库工程师",
            ]
        )
    ]
    teach = [
        _posting("T1", "初中数学教师", "教育", TEACH.format(subject="数学"), salary_max=6000),
        _posting("T2", "小学数学教师", "教育", TEACH.format(subject="数学"), salary_max=6000),
        _posting("T3", "初中英语教师", "教育", TEACH.format(subject="英语"), salary_max=6000),
        _posting("T4", "信息技术教师", "教育", TEACH.format(subject="信息技术"), salary_max=6000),
        _posting("T5", "幼儿园教师", "教育", "负责幼儿一日生活照料和游戏活动组织", salary_max=5000),
    ]
    return it + teach


def _java_graduate(**changes):
    d = dict(
        id="g",
        major="软件工程",
        education="本科",
        industries=["软件", "大数据"],
        positions=["Java开发", "后端开发", "大数据开发"],
        cities=["贵阳"],
        salary_expectation=7000,
        skills="Java、Spring Boot、MySQL、Hadoop、Python",
        statement="大学四年主要写Java，做过校园二手交易平台的后端，也学过大数据，想留在贵阳当程序员。",
    )
    d.update(changes)
    return Intention.from_dict(d)


def test_java_graduate_gets_java_jobs(mixed_postings):
    ranked = [m.posting_id for m in Matcher().fit(mixed_postings).rank(_java_graduate(), top_k=8)]
    assert all(pid.startswith("J") for pid in ranked[:5]), ranked


def test_changed_positions_and_industry_outweigh_skills_and_statement(mixed_postings):
    """Only the industry (教育) and the positions changed: the teaching jobs come first."""
    teacher = _java_graduate(industries=["教育"], positions=["信息技术教师", "初中数学教师"])
    matches = Matcher().fit(mixed_postings).rank(teacher, top_k=None)
    ranked = [m.posting_id for m in matches]
    assert ranked[0] in ("T1", "T4"), ranked
    assert set(ranked[:4]) == {"T1", "T2", "T3", "T4"}, ranked
    score = {m.posting_id: m.score for m in matches}
    # the two positions asked for come before the other subjects and levels
    assert min(score["T1"], score["T4"]) > max(score["T2"], score["T3"])
    # 初中英语教师 and 小学数学教师 each share part of 初中数学教师: they no longer tie
    assert score["T2"] != score["T3"]


NURSE_TEXT = "负责病区患者的日常护理和健康宣教，执行医嘱，完成输液、采血等基础护理操作，持有护士执业资格证"
NURSE_TITLES = ["临床护士", "护理岗", "社区护士"]


@pytest.fixture
def nurse_postings():
    """The same nurse postings in 贵阳 and four other cities, one of them also with an exact 急诊
    title (a better text fit than any 贵阳 posting), and one unrelated 贵阳 posting."""
    out = [
        _posting(f"{c}-{k}", t, "健康医药", NURSE_TEXT, city=c, majors=["护理学"], salary_max=6000)
        for c in ["遵义", "安顺", "贵阳市", "凯里", "毕节"]
        for k, t in enumerate(NURSE_TITLES)
    ]
    out.append(
        _posting("遵义-急诊", "护士（急诊科）", "健康医药", NURSE_TEXT, city="遵义", majors=["护理学"], salary_max=6000)
    )
    out.append(_posting("贵阳-java", "Java开发工程师", "软件和信息技术服务", JAVA, city="贵阳"))
    return out


def _nurse(cities):
    return Intention.from_dict(
        dict(
            id="k",
            major="护理学",
            education="本科",
            industries=["医疗"],
            positions=["急诊护士"],
            cities=cities,
            salary_expectation=4500,
            skills="心肺复苏、急救护理",
            statement="在急诊科实习过，能适应倒班。",
        )
    )


@pytest.mark.parametrize("cities", [["贵阳"], ["贵阳市", "贵安"]])
def test_a_graduate_who_names_guiyang_sees_guiyang_first_among_comparable_fits(nurse_postings, cities):
    matches = Matcher().fit(nurse_postings).rank(_nurse(cities), top_k=None)
    ranked = [m.posting_id for m in matches]
    guiyang = [pid for pid in ranked if pid.startswith("贵阳市-")]
    # every 贵阳 nurse posting comes before every posting of the same title elsewhere
    for pid in guiyang:
        title = pid.split("-")[1]
        others = [r for r in ranked if r.endswith(f"-{title}") and r != pid]
        assert all(ranked.index(pid) < ranked.index(o) for o in others), ranked
    # the three 贵阳 nurse postings are the first three, except that the exact 急诊 title elsewhere may
    # come before them; the unrelated 贵阳 job is below every nurse posting
    top = [r for r in ranked if r != "遵义-急诊"][:3]
    assert sorted(top) == sorted(guiyang), ranked
    assert "贵阳-java" not in ranked[:16]
    assert all("city" in m.rules for m in matches if m.posting_id in guiyang)


def test_one_named_city_weighs_more_than_one_of_several(nurse_postings):
    m = Matcher().fit(nurse_postings)
    only = {x.posting_id: x.score for x in m.rank(_nurse(["贵阳"]), top_k=None)}
    several = {x.posting_id: x.score for x in m.rank(_nurse(["贵阳", "遵义", "安顺", "凯里"]), top_k=None)}
    gap_only = only["贵阳市-0"] - only["毕节-0"]
    gap_several = several["贵阳市-0"] - several["毕节-0"]
    assert gap_only > gap_several > 0


def test_without_a_city_the_best_text_comes_first(nurse_postings):
    ranked = [m.posting_id for m in Matcher().fit(nurse_postings).rank(_nurse([]), top_k=8)]
    assert ranked[0] == "遵义-急诊", ranked
