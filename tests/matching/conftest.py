import pytest

from matching import Intention, Posting


@pytest.fixture
def postings():
    return [
        Posting.from_dict(
            dict(
                id=1,
                employer="贵州数智云科技有限公司",
                title="Java后端开发工程师",
                industry="软件和信息技术服务",
                description="负责政务云平台的后端开发，使用Spring Boot与MySQL",
                majors=["软件工程", "计算机科学与技术"],
                education="本科",
                city="贵阳市",
                salary_min=6000,
                salary_max=9000,
                headcount=2,
            )
        ),
        Posting.from_dict(
            dict(
                id=2,
                employer="贵州数智云科技有限公司",
                title="软件产品销售代表",
                industry="软件",
                description="负责软件产品的市场推广和客户关系维护",
                education="专科",
                city="遵义",
                salary_min=4000,
                salary_max=8000,
            )
        ),
        Posting.from_dict(
            dict(
                id=3,
                employer="某研究院",
                title="机器学习算法研究员",
                industry="人工智能",
                description="从事机器学习算法研究，熟练使用Python",
                education="博士",
                city="贵阳",
                salary_max=20000,
            )
        ),
        Posting.from_dict(
            dict(
                id=4,
                employer="仁怀某酒业",
                title="白酒酿造技术员",
                industry="优质烟酒",
                description="参与酱香型白酒的制曲和蒸馏",
                majors=["酿酒工程"],
                education="专科",
                city="仁怀",
                salary_min=4500,
                salary_max=6500,
            )
        ),
        Posting.from_dict(
            dict(
                id=5,
                employer="贵州医科大学附属医院",
                title="临床护士",
                industry="健康医药",
                description="负责病区患者的日常护理",
                majors=["护理学"],
                education="专科",
                city="贵阳",
                salary_min=4000,
                salary_max=6000,
            )
        ),
        Posting.from_dict(
            dict(
                id=6,
                employer="云上贵州",
                title="大数据开发工程师",
                industry="大数据电子信息",
                description="基于Spark和Hive建设数据仓库，后端开发经验优先",
                majors=["数据科学与大数据技术"],
                education="硕士",
                city="贵阳",
                salary_min=8000,
                salary_max=14000,
            )
        ),
    ]


@pytest.fixture
def intention():
    return Intention.from_dict(
        dict(
            id="g1",
            major="软件工程",
            education="本科",
            industries=["互联网"],
            positions=["Java开发"],
            cities=["贵阳"],
            salary_expectation=7000,
            skills="Java、MySQL、Python",
            statement="我学的是软件工程，想在贵阳做后端开发",
        )
    )


@pytest.fixture
def ids_scores():
    """Match lists in comparable form: {id: [(posting id, score rounded to 9 decimals)]}."""

    def convert(result):
        return {k: [(m.posting_id, round(m.score, 9)) for m in v] for k, v in result.items()}

    return convert


@pytest.fixture
def single_queries(ids_scores):
    """``rank`` called for each intention (dicts with an ``id``), in the form of ``ids_scores``."""

    def run(matcher, intentions, **kw):
        return ids_scores({i["id"]: matcher.rank(i, explain=False, **kw) for i in intentions})

    return run
