"""Checking the rows of an import: the columns of the header and the cells of each row.

Pure functions (no database): each ``validate_*_row`` turns one row's cells into values and
``(column, message)`` errors. Used by :mod:`recruit.organizer.importers`.
"""

from __future__ import annotations

import re
from datetime import date

from recruit.core import dates
from recruit.core.emails import is_valid_email
from recruit.core.phones import is_valid_phone
from recruit.core.tabular import TableError, cell_text
from recruit.validation import DEGREES, INDUSTRIES, LIMITS, is_valid_credit_code, normalize_student_number

MAX_SALARY = 1_000_000
MAX_HEADCOUNT = 100_000
MAX_LIST_ITEMS = 20

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "", "无"}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS_RE = re.compile(r"\s*[\r\n]+\s*")


def split_items(value: str) -> list[str]:
    """``a、b, c；d`` as clean, de-duplicated items. Not split on ``/``: 磷化工/现代化工 is one industry."""
    seen: list[str] = []
    for part in re.split(r"[、,，;；\n]+", value or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


class CellError(Exception):
    pass


def clean(value: str) -> str:
    """Control characters (other than tab and line breaks) refused anywhere."""
    if _CONTROL_RE.search(value):
        raise CellError("不能包含控制字符")
    return value


def one_line(value: str) -> str:
    """A single-line cell: line breaks typed with Alt+Enter become one space."""
    return _LINE_BREAKS_RE.sub(" ", value)


def _required(value: str) -> str:
    if value == "":
        raise CellError("不能为空")
    return value


def _length(value: str, limit: int) -> str:
    if len(value) > limit:
        raise CellError(f"不能超过 {limit} 个字符（现有 {len(value)} 个）")
    return value


def _int(value: str, *, minimum: int = 0, maximum: int = MAX_SALARY, default: int | None = 0) -> int:
    if value == "":
        if default is None:
            raise CellError("不能为空")
        return default
    cleaned = value.replace(",", "").replace("，", "")
    if not re.fullmatch(r"-?\d{1,18}", cleaned):
        raise CellError(f"须为整数，不能是“{value[:20]}”")
    number = int(cleaned)
    if number < minimum:
        raise CellError(f"不能小于 {minimum}")
    if number > maximum:
        raise CellError(f"不能大于 {maximum}")
    return number


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"须填“是”或“否”，不能是“{value[:20]}”")


def _degree(value: str, *, default: str | None = None) -> str:
    if value == "" and default:
        return default
    if value not in DEGREES:
        raise CellError("须为 专科、本科、硕士 或 博士" if value else "不能为空")
    return value


def _industry(value: str) -> str:
    if value not in INDUSTRIES:
        raise CellError(f"“{value[:30]}”不在行业列表中（见模板说明）")
    return value


def _list(value: str, *, item_limit: int = LIMITS["short"], industries: bool = False) -> list[str]:
    items = split_items(value)
    if len(items) > MAX_LIST_ITEMS:
        raise CellError(f"最多填写 {MAX_LIST_ITEMS} 项")
    for item in items:
        if len(item) > item_limit:
            raise CellError(f"每项不能超过 {item_limit} 个字符：“{item[:20]}…”")
        if industries:
            _industry(item)
    return items


def _email(value: str) -> str:
    _length(value, LIMITS["email"])
    if value and not is_valid_email(value):
        raise CellError("邮箱格式不正确")
    return value.lower()


def _phone(value: str) -> str:
    if value and not is_valid_phone(value):
        raise CellError("电话号码格式不正确（手机号或带区号的固话：数字、空格、+、-、括号，7–20 位数字）")
    return value


def _date(value: str) -> date | None:
    if value == "":
        return None
    match = _DATE_RE.match(value)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(f"日期格式应为 2026-06-30，不能是“{value[:20]}”")


def _deadline(value: str) -> date | None:
    """A posting's deadline: a date no more than a year ahead (:func:`recruit.core.dates.deadline_error`)."""
    day = _date(value)
    error = dates.deadline_error(day, allow_past=True)
    if error:
        raise CellError(error.rstrip("。"))
    return day


def _short(limit: int, required: bool = True):
    """A required (or optional) single-line text of at most ``limit`` characters."""

    def check(v: str) -> str:
        v = one_line(v)
        return _length(_required(v) if required else v, limit)

    return check


# --------------------------------------------------------------------------- header


def columns(
    header: list[str], known: tuple[tuple[str, str], ...], required: tuple[str, ...], ignored: tuple[str, ...] = ()
) -> dict[str, int]:
    """Map field -> column index; raise TableError when columns are missing, unknown or repeated."""
    names = {h: f for h, f in known}
    index: dict[str, int] = {}
    seen: set[str] = set()
    unknown, repeated = [], []
    for i, h in enumerate(header):
        if h == "":
            continue
        if h in seen:
            repeated.append(h)
        seen.add(h)
        if h in names:
            index[names[h]] = i
        elif h not in ignored:
            unknown.append(h)
    problems = []
    missing = [h for h in required if names[h] not in index]
    if missing:
        problems.append("缺少必需的列：" + "、".join(missing))
    if repeated:
        problems.append("列名重复：" + "、".join(repeated))
    if unknown:
        problems.append("无法识别的列：" + "、".join(u[:30] for u in unknown[:10]) + "（请使用模板中的列名）")
    if problems:
        raise TableError("；".join(problems))
    return index


def cell(cells: list, index: dict[str, int], name: str) -> str:
    i = index.get(name)
    return cell_text(cells[i]) if i is not None and i < len(cells) else ""


def _row_checker(cells: list, index: dict[str, int]):
    """``(values, errors, check)`` for one row: ``check(header, name, fn)`` converts the cell
    of column ``name`` with ``fn`` into ``values``, or records ``(header, message)`` in ``errors``."""
    values: dict = {}
    errors: list[tuple[str, str]] = []

    def check(header: str, name: str, fn) -> None:
        if name not in index:
            return
        try:
            values[name] = fn(clean(cell(cells, index, name)))
        except CellError as error:
            errors.append((header, str(error)))

    return values, errors, check


# --------------------------------------------------------------------------- rows


def validate_graduate_row(cells: list, index: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
    """The graduate values of one row and its errors ``(column, message)``."""
    values, errors, check = _row_checker(cells, index)

    check("学号", "student_number", lambda v: _length(_required(normalize_student_number(v)), LIMITS["student_number"]))
    check("姓名", "name", _short(LIMITS["name"]))
    check("专业", "major", _short(LIMITS["short"]))
    check("学历", "degree", _degree)
    check("毕业年份", "graduation_year", lambda v: _int(v, minimum=2000, maximum=2100, default=None))
    check("手机", "phone", lambda v: _phone(_length(v, LIMITS["phone"])))
    check("邮箱", "email", _email)
    for header, name in (
        ("低收入家庭", "low_income"),
        ("少数民族", "ethnic_minority"),
        ("残疾", "disability"),
        ("向用人单位公开", "visible_to_employers"),
    ):
        check(header, name, _bool)
    check("意向行业", "industries", lambda v: _list(v, industries=True))
    check("意向岗位", "positions", _list)
    check("意向城市", "cities", _list)
    check("期望月薪", "salary_expectation", lambda v: _int(v, maximum=MAX_SALARY))
    check("技能", "skills", lambda v: _length(v, LIMITS["skills"]))
    check("求职陈述", "statement", lambda v: _length(v, LIMITS["statement"]))
    return values, errors


def validate_posting_row(cells: list, index: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
    values, errors, check = _row_checker(cells, index)

    def credit(v: str) -> str:
        v = _required(v).upper()
        if not is_valid_credit_code(v):
            raise CellError("统一社会信用代码格式或校验位不正确")
        return v

    check("单位统一社会信用代码", "credit_code", credit)
    check("岗位名称", "title", _short(LIMITS["title"]))
    check("岗位描述", "description", lambda v: _length(v, LIMITS["description"]))
    check("行业", "industry", lambda v: _industry(_required(v)))
    check("专业要求", "majors", _list)
    check("最低学历", "min_degree", lambda v: _degree(v, default="本科"))
    check("工作城市", "city", _short(LIMITS["short"]))
    check("最低月薪", "salary_min", _int)
    check("最高月薪", "salary_max", lambda v: None if v == "" else _int(v))
    check("招聘人数", "headcount", lambda v: _int(v, minimum=1, maximum=MAX_HEADCOUNT, default=1))
    check("截止日期", "deadline", _deadline)
    if "salary_max" in values and values["salary_max"] is None:
        values["salary_max"] = values.get("salary_min", 0)  # blank: the same as the minimum
    low, high = values.get("salary_min"), values.get("salary_max")
    if low is not None and high is not None and high < low:
        errors.append(("最高月薪", "不能低于最低月薪"))
    return values, errors
