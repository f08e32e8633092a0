"""Exports of both databases (and the import templates): their headers and rows, written as CSV
or XLSX by :mod:`recruit.core.spreadsheets`.

The columns are the import columns, so an exported file imports back unchanged (the importer
removes the ``'`` the writer puts before formula-like cells).

Key-group flags (低收入家庭/少数民族/残疾) appear only in the graduate export of a university
for its own organizers and province admins (``include_key_groups=True``), never elsewhere.
"""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

from recruit.core import spreadsheets
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate, Intention
from recruit.organizer.importers import (
    GRADUATE_COLUMNS,
    KEY_GROUP_HEADERS,
    POSTING_COLUMNS,
    POSTING_INFO_COLUMNS,
)
from recruit.validation import INDUSTRIES


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _join(items) -> str:
    return "、".join(items or [])


def graduate_headers(include_key_groups: bool) -> list[str]:
    return [h for h, _f in GRADUATE_COLUMNS if include_key_groups or h not in KEY_GROUP_HEADERS]


def graduate_rows(university, include_key_groups: bool) -> Iterable[list]:
    """The university's graduates with their intentions, in the import columns."""
    query = (
        sa.select(Graduate, Intention)
        .outerjoin(Intention, Intention.graduate_id == Graduate.id)
        .where(Graduate.university_id == university.id)
        .order_by(Graduate.student_number)
        .execution_options(yield_per=1000)
    )
    for g, i in db.session.execute(query):
        row = [g.student_number, g.name, g.major, g.degree, g.graduation_year, g.phone, g.email]
        if include_key_groups:
            row += [_yes(g.low_income), _yes(g.ethnic_minority), _yes(g.disability)]
        row.append(_yes(g.visible_to_employers))
        if i is None:
            row += ["", "", "", "", "", ""]
        else:
            row += [
                _join(i.industries),
                _join(i.positions),
                _join(i.cities),
                i.salary_expectation,
                i.skills,
                i.statement,
            ]
        yield row


def posting_headers() -> list[str]:
    return [h for h, _f in POSTING_COLUMNS] + list(POSTING_INFO_COLUMNS)


def posting_rows() -> Iterable[list]:
    """Every posting of the 用人单位需求库 (its status in the informational 状态 column)."""
    query = (
        sa.select(Posting, Employer.credit_code, Employer.name)
        .join(Employer, Employer.id == Posting.employer_id)
        .order_by(Employer.credit_code, Posting.title, Posting.id)
        .execution_options(yield_per=1000)
    )
    for p, code, name in db.session.execute(query):
        yield [
            code,
            p.title,
            p.description,
            p.industry,
            _join(p.majors),
            p.min_degree,
            p.city,
            p.salary_min,
            p.salary_max,
            p.headcount,
            p.deadline.isoformat() if p.deadline else "",
            name,
            "招聘中" if p.status == "open" else "已关闭",
        ]


#: What each column of the templates means (the XLSX template's second sheet).
GRADUATE_NOTES = (
    ("学号", "必填，最多 32 个字符；同一学校内唯一，重复导入按学号更新"),
    ("姓名", "必填，最多 100 个字符"),
    ("专业", "必填，最多 60 个字符"),
    ("学历", "必填：专科、本科、硕士 或 博士"),
    ("毕业年份", "必填：2000–2100 的整数"),
    ("手机", "选填"),
    ("邮箱", "选填"),
    ("低收入家庭", "是/否（重点群体，仅本校就业部门可见）"),
    ("少数民族", "是/否（重点群体，仅本校就业部门可见）"),
    ("残疾", "是/否（重点群体，仅本校就业部门可见）"),
    ("向用人单位公开", "是/否：是否允许用人单位看到其专业、学历、技能与求职陈述"),
    ("意向行业", "多个用顿号分隔，须为平台行业列表中的名称"),
    ("意向岗位", "多个用顿号分隔"),
    ("意向城市", "多个用顿号分隔"),
    ("期望月薪", "整数，单位元"),
    ("技能", "最多 500 个字符"),
    ("求职陈述", "最多 2000 个字符"),
)
POSTING_NOTES = (
    ("单位统一社会信用代码", "必填：18 位，单位须已注册并通过认证"),
    ("岗位名称", "必填，最多 120 个字符；同一单位内按岗位名称更新"),
    ("岗位描述", "选填，最多 5000 个字符"),
    ("行业", "必填，须为平台行业列表中的名称"),
    ("专业要求", "多个用顿号分隔；留空表示不限专业"),
    ("最低学历", "专科、本科、硕士 或 博士；留空为本科"),
    ("工作城市", "必填"),
    ("最低月薪", "整数，单位元"),
    ("最高月薪", "整数，不低于最低月薪；留空同最低月薪"),
    ("招聘人数", "正整数，留空为 1"),
    ("截止日期", "如 2026-06-30，留空表示长期有效"),
)


def template(what: str, fmt: str) -> bytes:
    """An empty import file with the Chinese column names (XLSX: with a notes sheet)."""
    if what == "graduates":
        headers, notes = [h for h, _f in GRADUATE_COLUMNS], GRADUATE_NOTES
    else:
        headers, notes = [h for h, _f in POSTING_COLUMNS], POSTING_NOTES
    notes = (*notes, ("行业列表", "、".join(INDUSTRIES)))
    return spreadsheets.render(fmt, headers, [], title="毕业生" if what == "graduates" else "岗位", notes=notes)
