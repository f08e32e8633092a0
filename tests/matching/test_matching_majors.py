"""The majors catalogue (matching/majors.py) and the 相关专业 rule it enables."""

import pytest

from matching import Intention, Matcher, Posting
from matching.majors import CatalogueError, catalogue, major_key, parse_catalogue, requirement_classes
from matching.rules import RELATED_MAJOR_SHARE, intention_features, posting_features


def test_both_catalogues_load_with_their_classes():
    cat = catalogue()
    levels = {m.level for m in cat.majors}
    assert levels == {"本科", "专科"}
    assert len(cat.names("本科")) > 700
    assert len(cat.names("专科")) > 600
    # every major's code starts with its class code, which starts with its discipline code
    for m in cat.majors:
        assert m.code.startswith(m.class_code) and m.class_code.startswith(m.discipline_code), m
    assert cat.lookup("数据科学与大数据技术").code == "080910T"
    assert cat.lookup("软件技术").class_name == "计算机类"
    assert set(cat.editions) == {"本科", "专科"}


@pytest.mark.parametrize(
    "text, name",
    [
        ("软件工程", "软件工程"),
        ("软件工程专业", "软件工程"),
        ("数学与应用数学（师范）", "数学与应用数学"),
        ("数学与应用数学(师范)", "数学与应用数学"),
        (" 计算机科学与技术 ", "计算机科学与技术"),
        ("ＡＩ应用", None),
    ],
)
def test_lookup_normalises_the_spelling(text, name):
    m = catalogue().lookup(text)
    assert (m.name if m else None) == name


@pytest.mark.parametrize(
    "text, classes",
    [
        ("计算机类", ("计算机类",)),
        ("计算机类专业", ("计算机类",)),
        ("计算机相关专业", ("计算机类",)),
        ("计算机类等相关专业", ("计算机类",)),
        ("电子信息类相关专业", ("电子信息类",)),
        ("软件工程", ("计算机类",)),
        ("会计学", ("工商管理类",)),
        ("不限", ()),
        ("", ()),
    ],
)
def test_what_a_posting_asks_for(text, classes):
    assert requirement_classes(text) == classes


def test_a_bracketed_major_is_the_catalogued_one():
    assert major_key("数学与应用数学（师范）") == major_key("数学与应用数学")
    assert major_key("不在目录里的专业") == "不在目录里的"


@pytest.mark.parametrize(
    "text, message",
    [
        ("010101 哲学\n", "outside its class"),
        ("= 01 哲学\n== 0101 哲学类\n010101 哲学\n010102 哲学\n", "named twice"),
        ("= 01 哲学\n== 0101 哲学类\n0201 经济学\n", "outside its class"),
        ("= 01\n", "expected a code and a name"),
    ],
)
def test_a_malformed_catalogue_is_refused(text, message):
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(text, "本科")


def _posting(pid, majors, title="开发工程师"):
    return dict(
        id=pid,
        employer="甲公司",
        title=title,
        description="负责软件开发",
        industry="软件和信息技术服务",
        majors=majors,
        education="本科",
        city="贵阳",
        salary_min=6000,
        salary_max=9000,
        headcount=1,
    )


def _graduate(gid, major):
    return dict(id=gid, major=major, education="本科", positions=["开发工程师"], skills="软件开发")


@pytest.mark.parametrize("asks", ["计算机类", "计算机相关专业", "计算机类等相关专业"])
@pytest.mark.parametrize("major", ["软件工程", "数据科学与大数据技术"])
def test_a_class_requirement_opens_its_majors(asks, major):
    m = Matcher().fit([_posting("p", [asks])])
    (match,) = m.rank(_graduate("g", major), top_k=1)
    assert "related_major" in match.rules
    assert "major" not in match.rules
    related = [r for r in match.reasons if r.code == "related_major"]
    assert [r.data["group"] for r in related] == ["计算机类"] and related[0].data["major"] == major
    assert str(related[0]).startswith("相关专业")


def _rule_bonus(posting, graduate, bonus_major=0.1):
    """The major bonus a pair earns: the dot product of the two sides' rule features."""
    p, g = Posting.from_dict(posting), Intention.from_dict(graduate)
    side = dict(posting_features(p))
    return sum(v * side.get(name, 0.0) for name, v in intention_features(g, bonus_major, 0.0, 0.0))


def test_the_listed_major_earns_the_whole_bonus_a_related_one_a_share_never_more():
    posting = _posting("p", ["软件工程"])
    assert _rule_bonus(posting, _graduate("g1", "软件工程")) == pytest.approx(0.1)
    assert _rule_bonus(posting, _graduate("g2", "计算机科学与技术")) == pytest.approx(0.1 * RELATED_MAJOR_SHARE)
    assert _rule_bonus(posting, _graduate("g3", "会计学")) == 0.0
    # a posting that names both the class and the major still pays the listed major once
    both = _posting("q", ["软件工程", "计算机类", "计算机相关专业"])
    assert _rule_bonus(both, _graduate("g1", "软件工程")) == pytest.approx(0.1)
    # a major outside the catalogue keeps the whole bonus on an exact match
    odd = _posting("r", ["未收录专业"])
    assert _rule_bonus(odd, _graduate("g4", "未收录专业")) == pytest.approx(0.1)

    m = Matcher().fit([posting])
    assert m.rank(_graduate("g1", "软件工程"), top_k=1)[0].rules[:1] == ["major"]
    assert m.rank(_graduate("g2", "计算机科学与技术"), top_k=1)[0].rules[:1] == ["related_major"]
    assert not {"major", "related_major"} & set(m.rank(_graduate("g3", "会计学"), top_k=1)[0].rules)


def test_the_batch_paths_agree_with_rank_on_related_majors():
    postings = [_posting("a", ["计算机类"]), _posting("b", ["会计学"]), _posting("c", ["软件工程"])]
    m = Matcher().fit(postings)
    grads = [_graduate("g1", "软件工程"), _graduate("g2", "网络工程"), _graduate("g3", "财务管理")]
    batch = m.rank_batch(grads, top_k=3)
    for g in grads:
        single = m.rank(g, top_k=3)
        assert [x.posting_id for x in batch[g["id"]]] == [x.posting_id for x in single]
        assert [x.score for x in batch[g["id"]]] == pytest.approx([x.score for x in single])


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("软件工程专业", "软件工程"),
        ("  软件工程 ", "软件工程"),
        ("计算机科学与技术", "计算机科学与技术"),
        ("数学与应用数学（师范）", "数学与应用数学（师范）"),  # the qualifier is kept
        ("区块链金融创新", "区块链金融创新"),  # unknown majors are accepted as typed
    ],
)
def test_typed_majors_are_stored_in_the_catalogue_spelling_where_known(typed, stored):
    from matching.majors import spelling

    assert spelling(typed) == stored


def test_forms_suggest_classes_then_majors_once():
    from matching.majors import names_for_forms

    names = names_for_forms()
    assert len(names) == len(set(names))
    assert names.index("计算机类") < names.index("软件工程")
    assert {"软件技术", "数据科学与大数据技术"} <= set(names)
