"""Validation rules and limits declared once, used by forms, imports, the CLI and the models."""

from __future__ import annotations

import re
import unicodedata

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
    "贵阳",
    "遵义",
    "六盘水",
    "安顺",
    "毕节",
    "铜仁",
    "凯里",
    "都匀",
    "兴义",
    "贵安新区",
    "仁怀",
    "盘州",
    "清镇",
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "重庆",
    "长沙",
    "昆明",
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


# --- numbers from URLs, query strings and forms -----------------------------------------------

#: The largest value an INTEGER column holds (PostgreSQL ``integer``, 32-bit): every id, count
#: and amount read from a request is bounded by it before it reaches a query.
INT_MAX = 2_147_483_647
_INT_RE = re.compile(r"^\s*[+-]?[0-9]{1,18}\s*$")


def parse_int(
    value, *, default: int | None = None, minimum: int = 0, maximum: int = INT_MAX, clamp: bool = False
) -> int | None:
    """``value`` (a query/form string) as an int within ``[minimum, maximum]``.

    Not an integer (``abc``, ``1e20``, ``1.5``, a NUL byte, 19+ digits): ``default``. Out of range:
    the nearest bound when ``clamp`` (page numbers), else ``default``. Never raises.
    """
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT_RE.match(value):
        number = int(value)
    else:
        return default
    if number < minimum or number > maximum:
        return min(max(number, minimum), maximum) if clamp else default
    return number


def page_number(value, maximum: int = 100_000) -> int:
    """A page number from ``?page=``: 1 when missing or malformed, clamped to ``[1, maximum]``."""
    return parse_int(value, default=1, minimum=1, maximum=maximum, clamp=True)


def normalize_student_number(value: str) -> str:
    """A 学号 as stored and compared: NFKC (full-width ``２０２２`` = ``2022``), trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()
