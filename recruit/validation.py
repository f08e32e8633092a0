"""Validation rules and limits declared once, used by forms, imports, the CLI and the models."""
from __future__ import annotations

import re

from matching.records import split_items as split_list  # noqa: F401  (the one list splitter, re-exported)

#: Maximum lengths of text fields, in characters. Forms, imports and columns use these.
LIMITS = {
    "name": 100,
    "title": 120,
    "short": 60,
    "email": 254,
    "phone": 30,
    "url": 500,
    "address": 200,
    "description": 5000,
    "statement": 2000,
    "skills": 500,
    "reason": 500,
    "note": 2000,
    "student_number": 32,
    "credit_code": 18,
    "code": 20,
}

DEGREES = ("专科", "本科", "硕士", "博士")
DEGREE_RANK = {d: i for i, d in enumerate(DEGREES)}

#: Guizhou's priority industries (notice §1, §2) plus common sectors graduates choose.
INDUSTRIES = (
    "大数据电子信息",
    "软件和信息技术服务",
    "先进装备制造",
    "新能源汽车",
    "磷化工/现代化工",
    "铝及铝加工",
    "健康医药",
    "生态特色食品",
    "基础能源",
    "清洁高效电力",
    "新型建材",
    "优质烟酒",
    "旅游",
    "现代山地特色高效农业",
    "教育",
    "金融",
    "建筑工程",
    "交通物流",
    "公共管理",
    "文化传媒",
)

CITIES = (
    "贵阳", "遵义", "六盘水", "安顺", "毕节", "铜仁", "凯里", "都匀", "兴义", "贵安新区",
    "仁怀", "盘州", "清镇", "北京", "上海", "广州", "深圳", "杭州", "成都", "重庆", "长沙", "昆明",
)

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def credit_code_check_char(first17: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015)."""
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` is an 18-character 统一社会信用代码 with a correct check character."""
    if not isinstance(code, str):
        return False
    code = code.strip().upper()
    if not _CREDIT_RE.match(code):
        return False
    return credit_code_check_char(code[:17]) == code[17]



#: A university's level (办学层次): data values, stored in Chinese, shown through the catalogue.
UNIVERSITY_LEVELS = ("本科", "高职专科")
