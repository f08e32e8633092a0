"""The ``province`` demo profile: the demo's eight universities plus 67 more, so the province
pages, the dashboard and the load test are seen at real size (about 75 universities, §1 of
the brief). Names are Guizhou's universities and colleges; codes, MoE codes, graduate numbers,
majors and venues are generated (plausible, not official figures).
"""

from __future__ import annotations

import random

from recruit.demo import texts

#: (name, city, level) of the universities added by the profile.
EXTRA = (
    ("遵义师范学院", "遵义", "本科"),
    ("铜仁学院", "铜仁", "本科"),
    ("安顺学院", "安顺", "本科"),
    ("凯里学院", "凯里", "本科"),
    ("贵州工程应用技术学院", "毕节", "本科"),
    ("黔南民族师范学院", "都匀", "本科"),
    ("兴义民族师范学院", "兴义", "本科"),
    ("贵州中医药大学", "贵阳", "本科"),
    ("贵阳学院", "贵阳", "本科"),
    ("贵州商学院", "贵阳", "本科"),
    ("贵州警察学院", "贵阳", "本科"),
    ("贵州师范学院", "贵阳", "本科"),
    ("茅台学院", "仁怀", "本科"),
    ("贵阳人文科技学院", "贵阳", "本科"),
    ("贵阳信息科技学院", "贵阳", "本科"),
    ("贵州黔南科技学院", "都匀", "本科"),
    ("贵州黔南经济学院", "都匀", "本科"),
    ("贵州大学科技学院", "贵阳", "本科"),
    ("贵州师范大学求是学院", "贵阳", "本科"),
    ("遵义医科大学医学与科技学院", "遵义", "本科"),
    ("贵州中医药大学时珍学院", "贵阳", "本科"),
    ("贵州民族大学人文科技学院", "贵阳", "本科"),
    ("贵州交通职业技术学院", "贵阳", "高职专科"),
    ("贵州电子信息职业技术学院", "凯里", "高职专科"),
    ("贵州航天职业技术学院", "遵义", "高职专科"),
    ("贵州职业技术学院", "贵阳", "高职专科"),
    ("贵州轻工职业技术学院", "贵阳", "高职专科"),
    ("贵州电力职业技术学院", "贵阳", "高职专科"),
    ("贵州建设职业技术学院", "贵阳", "高职专科"),
    ("贵州机电职业技术学院", "都匀", "高职专科"),
    ("贵州工业职业技术学院", "贵阳", "高职专科"),
    ("贵州农业职业学院", "清镇", "高职专科"),
    ("贵州水利水电职业技术学院", "贵阳", "高职专科"),
    ("贵州城市职业学院", "贵阳", "高职专科"),
    ("贵州电子科技职业学院", "贵安新区", "高职专科"),
    ("贵州装备制造职业学院", "贵阳", "高职专科"),
    ("贵州工商职业学院", "贵阳", "高职专科"),
    ("贵州健康职业学院", "铜仁", "高职专科"),
    ("贵州护理职业技术学院", "贵阳", "高职专科"),
    ("贵州盛华职业学院", "贵阳", "高职专科"),
    ("贵州经贸职业技术学院", "都匀", "高职专科"),
    ("贵州食品工程职业学院", "清镇", "高职专科"),
    ("贵州电子商务职业技术学院", "贵阳", "高职专科"),
    ("贵州文化旅游职业学院", "贵阳", "高职专科"),
    ("贵州工贸职业学院", "毕节", "高职专科"),
    ("贵州工程职业学院", "毕节", "高职专科"),
    ("贵州财经职业学院", "都匀", "高职专科"),
    ("贵州航空职业技术学院", "贵阳", "高职专科"),
    ("贵州体育职业学院", "贵阳", "高职专科"),
    ("遵义职业技术学院", "遵义", "高职专科"),
    ("遵义医药高等专科学校", "遵义", "高职专科"),
    ("黔东南民族职业技术学院", "凯里", "高职专科"),
    ("黔南民族职业技术学院", "都匀", "高职专科"),
    ("黔西南民族职业技术学院", "兴义", "高职专科"),
    ("铜仁职业技术学院", "铜仁", "高职专科"),
    ("铜仁幼儿师范高等专科学校", "铜仁", "高职专科"),
    ("毕节职业技术学院", "毕节", "高职专科"),
    ("毕节医学高等专科学校", "毕节", "高职专科"),
    ("毕节幼儿师范高等专科学校", "毕节", "高职专科"),
    ("六盘水职业技术学院", "六盘水", "高职专科"),
    ("安顺职业技术学院", "安顺", "高职专科"),
    ("黔南民族医学高等专科学校", "都匀", "高职专科"),
    ("贵阳职业技术学院", "贵阳", "高职专科"),
    ("贵阳护理职业学院", "贵阳", "高职专科"),
    ("贵阳幼儿师范高等专科学校", "贵阳", "高职专科"),
    ("贵州应用技术职业学院", "都匀", "高职专科"),
    ("贵州水利水电学校", "贵阳", "高职专科"),
)
#: MoE codes of the demo's own eight universities (plausible, generated for the others).
DEMO_MOE = {
    "GZU": "10657",
    "GZNU": "10663",
    "GMU": "10660",
    "GUFE": "10671",
    "ZMU": "10661",
    "GZMU": "10672",
    "GIT": "11731",
    "LPSSY": "10977",
}
#: Words in a name that suggest which majors it offers.
_HINTS = (
    ("医", ["临床医学", "护理学", "药学", "医学检验技术", "康复治疗学", "预防医学"]),
    ("中医药", ["中药学", "中西医临床医学", "护理学", "药学"]),
    ("护理", ["护理学", "康复治疗学", "医学检验技术"]),
    ("师范", ["学前教育", "小学教育", "汉语言文学", "数学与应用数学", "英语", "体育教育"]),
    ("幼儿", ["学前教育", "音乐学", "美术学", "舞蹈学"]),
    ("交通", ["土木工程", "工程管理", "物流管理", "机械设计制造及其自动化"]),
    ("电子", ["电子信息工程", "计算机科学与技术", "软件工程", "电子商务"]),
    ("电力", ["电气工程及其自动化", "新能源科学与工程"]),
    ("水利", ["土木工程", "工程管理", "电气工程及其自动化"]),
    ("航", ["机械设计制造及其自动化", "电子信息工程", "车辆工程"]),
    ("机电", ["机械设计制造及其自动化", "电气工程及其自动化", "车辆工程"]),
    ("装备", ["机械设计制造及其自动化", "材料成型及控制工程", "车辆工程"]),
    ("建设", ["土木工程", "工程管理"]),
    ("农业", ["农学", "茶学", "食品科学与工程", "生态学"]),
    ("食品", ["食品科学与工程", "酿酒工程", "茶学"]),
    ("茅台", ["酿酒工程", "食品科学与工程", "市场营销"]),
    ("商", ["会计学", "市场营销", "电子商务", "工商管理", "物流管理"]),
    ("财经", ["会计学", "财务管理", "金融学", "审计学", "税收学"]),
    ("经", ["经济学", "国际经济与贸易", "会计学"]),
    ("旅游", ["旅游管理", "市场营销"]),
    ("警察", ["法学", "计算机科学与技术", "心理学"]),
    ("体育", ["体育教育", "社会工作"]),
    ("信息", ["计算机科学与技术", "软件工程", "数据科学与大数据技术"]),
)
_GENERAL = [
    "计算机科学与技术",
    "会计学",
    "汉语言文学",
    "电子商务",
    "旅游管理",
    "工商管理",
    "法学",
    "英语",
    "土木工程",
    "市场营销",
    "人力资源管理",
    "数据科学与大数据技术",
]
_CAMPUS_VENUES = (("体育馆", 150, 320), ("大学生活动中心", 60, 140), ("就业指导中心报告厅", 30, 70))


def _majors(name: str, rng: random.Random) -> list[str]:
    chosen: list[str] = []
    for hint, majors in _HINTS:
        if hint in name:
            chosen += [m for m in majors if m not in chosen]
    for major in rng.sample(_GENERAL, 4):
        if major not in chosen:
            chosen.append(major)
    return [m for m in chosen if m in texts.MAJOR_PROFILE][:10]


def extra_specs(rng: random.Random) -> list[dict]:
    """Specs (as in :data:`recruit.demo.texts.UNIVERSITIES`) of the 67 added universities."""
    specs = []
    for n, (name, city, level) in enumerate(EXTRA, start=1):
        undergraduate = level == "本科"
        graduates = rng.randrange(2500, 9000, 50) if undergraduate else rng.randrange(1500, 7000, 50)
        majors = _majors(name, rng)
        venues = [
            (f"{label}", rng.randint(lo, hi), f"贵州省{city}市{name}{label}")
            for label, lo, hi in _CAMPUS_VENUES[: rng.randint(2, 3)]
        ]
        specs.append(
            {
                "code": f"GZ{n:03d}",
                "name": name,
                "city": city,
                "level": level,
                "moe_code": f"{(10980 if undergraduate else 12200) + n:05d}",
                "graduates_count": graduates,
                "degrees": (0, 92, 8, 0) if undergraduate else (100, 0, 0, 0),
                "majors": majors,
                "venues": venues,
            }
        )
    return specs


def major_stats(spec: dict, rng: random.Random) -> list[dict]:
    """Graduates per major and degree adding up to the university's graduates (§4)."""
    weights = [rng.randint(2, 9) for _ in spec["majors"]]
    total, rows = spec["graduates_count"], []
    degrees = [d for d, share in zip(("专科", "本科", "硕士", "博士"), spec["degrees"]) if share]
    shares = [share for share in spec["degrees"] if share]
    left = total
    for i, (major, weight) in enumerate(zip(spec["majors"], weights)):
        count = left if i == len(weights) - 1 else total * weight // sum(weights)
        left -= count
        for j, (degree, share) in enumerate(zip(degrees, shares)):
            part = count if j == len(degrees) - 1 else count * share // 100
            count -= part if j < len(degrees) - 1 else 0
            if part:
                rows.append({"major": major, "degree": degree, "graduates": part})
    return rows
