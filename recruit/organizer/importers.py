"""All-or-nothing imports of the 毕业生求职意愿库 and the 用人单位需求库 from CSV or XLSX.

Shared by the web page (``organizer.imports``) and the CLI (``flask --app wsgi import ...``).
Every row is validated first; a file with any bad row writes nothing and the report lists
each bad row (numbered as in Excel: the header is row 1), column and reason. A good file is
written in one transaction with bulk statements and the report gives the created, updated
and unchanged counts. Keys (see docs/import-format.md):

- graduates: (university, 学号) -- the university is the organizer's own, or ``--university``;
- postings: (employer found by 单位统一社会信用代码, 岗位名称).

Re-importing the same file changes nothing: a row whose values equal the stored ones is
counted as unchanged and not written.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable

import sqlalchemy as sa

from recruit.extensions import db
from recruit.timeutil import utcnow
from recruit.validation import DEGREES, INDUSTRIES, LIMITS, is_valid_credit_code, split_list

#: (Chinese header, field) of the graduates file, in template order.
GRADUATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("学号", "student_number"),
    ("姓名", "name"),
    ("专业", "major"),
    ("学历", "degree"),
    ("毕业年份", "graduation_year"),
    ("手机", "phone"),
    ("邮箱", "email"),
    ("低收入家庭", "low_income"),
    ("少数民族", "ethnic_minority"),
    ("残疾", "disability"),
    ("向用人单位公开", "visible_to_employers"),
    ("意向行业", "industries"),
    ("意向岗位", "positions"),
    ("意向城市", "cities"),
    ("期望月薪", "salary_expectation"),
    ("技能", "skills"),
    ("求职陈述", "statement"),
)
GRADUATE_REQUIRED = ("学号", "姓名", "专业", "学历", "毕业年份")
KEY_GROUP_HEADERS = ("低收入家庭", "少数民族", "残疾")
GRADUATE_FIELDS = ("name", "major", "degree", "graduation_year", "phone", "email",
                   "low_income", "ethnic_minority", "disability", "visible_to_employers")
INTENTION_FIELDS = ("industries", "positions", "cities", "salary_expectation", "skills", "statement")

#: (Chinese header, field) of the postings file, in template order.
POSTING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("单位统一社会信用代码", "credit_code"),
    ("岗位名称", "title"),
    ("岗位描述", "description"),
    ("行业", "industry"),
    ("专业要求", "majors"),
    ("最低学历", "min_degree"),
    ("工作城市", "city"),
    ("最低月薪", "salary_min"),
    ("最高月薪", "salary_max"),
    ("招聘人数", "headcount"),
    ("截止日期", "deadline"),
)
POSTING_REQUIRED = ("单位统一社会信用代码", "岗位名称", "行业", "工作城市")
#: Columns the export adds for people; the importer accepts and ignores them.
POSTING_INFO_COLUMNS = ("单位名称", "状态")
POSTING_FIELDS = ("description", "industry", "majors", "min_degree", "city", "salary_min",
                  "salary_max", "headcount", "deadline")

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_SALARY = 1_000_000
MAX_HEADCOUNT = 100_000
MAX_LIST_ITEMS = 20
CHUNK = 1000

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "", "无"}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]{5,30}$")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
#: Characters that make a spreadsheet cell a formula; exports prefix them with ``'``.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, encoding, columns)."""


@dataclass
class RowError:
    row: int | None  #: spreadsheet row number (header = 1); None for the whole file
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"第 {self.row} 行「{self.column}」：{self.message}" if self.column else f"第 {self.row} 行：{self.message}"


@dataclass
class ImportReport:
    """The outcome of an import: errors (nothing written) or counts (all written)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            rows = len({e.row for e in self.errors if e.row is not None})
            if rows:
                return f"导入失败：{rows} 行有错误，未写入任何数据。"
            return "导入失败：文件无法读取，未写入任何数据。"
        return f"导入成功：共 {self.rows} 行，新建 {self.created}，更新 {self.updated}，未变 {self.unchanged}。"

    def lines(self) -> list[str]:
        return [self.summary(), *(str(e) for e in self.errors)]


Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- reading


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """The header and the non-blank data rows ``(row_number, cells)`` of a CSV or XLSX file."""
    ext = Path(filename or "").suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ImportFileError("只能导入 .csv 或 .xlsx 文件。")
    is_zip = data[:4] == b"PK\x03\x04"
    if ext == ".xlsx":
        if not is_zip:
            raise ImportFileError("文件内容不是有效的 XLSX 工作簿（扩展名与内容不符）。")
        rows = _read_xlsx(data)
    else:
        if is_zip or b"\x00" in data[:4096]:
            raise ImportFileError("文件内容不是文本 CSV（扩展名与内容不符）；Excel 文件请保存为 .xlsx 或 CSV。")
        rows = _read_csv(data)
    header: list[str] | None = None
    body: list[tuple[int, list]] = []
    for number, cells in rows:
        if header is None:
            if all(_text(c) == "" for c in cells):
                continue
            header = [_text(c).lstrip("\ufeff").rstrip("*＊ ") for c in cells]
            while header and header[-1] == "":
                header.pop()
            continue
        if all(_text(c) == "" for c in cells):
            continue
        body.append((number, list(cells)))
    if header is None:
        raise ImportFileError("文件是空的：没有表头。")
    return header, body


def _read_csv(data: bytes) -> Iterable[tuple[int, list]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise ImportFileError("无法识别文件编码：请使用 UTF-8 或 GB18030（Excel 默认）编码的 CSV。") from None
    try:
        return [(i, row) for i, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as error:
        raise ImportFileError(f"CSV 格式错误：{error}") from None


def _read_xlsx(data: bytes) -> Iterable[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ImportFileError("无法读取 XLSX 工作簿，文件可能已损坏。") from error
    except Exception as error:  # openpyxl raises its own types for foreign zips
        raise ImportFileError("无法读取 XLSX 工作簿，文件可能已损坏。") from error
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _text(value) -> str:
    """A cell as clean text; undoes the export's formula neutralisation (a leading ``'``)."""
    if value.__class__ is str:
        text = value.strip()
        if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
            text = text[1:]
        return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


# --------------------------------------------------------------------------- cell validators


class CellError(Exception):
    pass


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
    if not re.fullmatch(r"-?\d+", cleaned):
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
    items = split_list(value)
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
    if value and not _EMAIL_RE.match(value):
        raise CellError("邮箱格式不正确")
    return value.lower()


def _phone(value: str) -> str:
    if value and not _PHONE_RE.match(value):
        raise CellError("电话号码格式不正确（只能包含数字、空格、+、-、括号，5–30 位）")
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


# --------------------------------------------------------------------------- shared steps


def _columns(header: list[str], known: tuple[tuple[str, str], ...], required: tuple[str, ...],
             ignored: tuple[str, ...] = ()) -> dict[str, int]:
    """Map field -> column index; raise when columns are missing, unknown or repeated."""
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
        problems.append("无法识别的列：" + "、".join(unknown) + "（请使用模板中的列名）")
    if problems:
        raise ImportFileError("；".join(problems))
    return index


def _cell(cells: list, index: dict[str, int], name: str) -> str:
    i = index.get(name)
    return _text(cells[i]) if i is not None and i < len(cells) else ""


def _progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _load(data: bytes, filename: str, kind: str, known, required, ignored=()):
    report = ImportReport(kind)
    try:
        header, body = read_table(data, filename)
        index = _columns(header, known, required, ignored)
    except ImportFileError as error:
        report.errors.append(RowError(None, "", str(error)))
        return report, None, None
    if not body:
        report.errors.append(RowError(None, "", "文件中没有数据行。"))
        return report, None, None
    report.rows = len(body)
    return report, index, body


# --------------------------------------------------------------------------- graduates


def _row_checker(cells: list, index: dict[str, int]):
    """``(values, errors, check)`` for one row: ``check(header, name, fn)`` converts the cell
    of column ``name`` with ``fn`` into ``values``, or records ``(header, message)`` in ``errors``."""
    values: dict = {}
    errors: list[tuple[str, str]] = []

    def check(header: str, name: str, fn) -> None:
        if name not in index:
            return
        try:
            values[name] = fn(_cell(cells, index, name))
        except CellError as error:
            errors.append((header, str(error)))

    return values, errors, check


def validate_graduate_row(cells: list, index: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
    """The graduate values of one row and its errors ``(column, message)``."""
    values, errors, check = _row_checker(cells, index)

    check("学号", "student_number", lambda v: _length(_required(v), LIMITS["student_number"]))
    check("姓名", "name", lambda v: _length(_required(v), LIMITS["name"]))
    check("专业", "major", lambda v: _length(_required(v), LIMITS["short"]))
    check("学历", "degree", _degree)
    check("毕业年份", "graduation_year", lambda v: _int(v, minimum=2000, maximum=2100, default=None))
    check("手机", "phone", lambda v: _phone(_length(v, LIMITS["phone"])))
    check("邮箱", "email", _email)
    for header, name in (("低收入家庭", "low_income"), ("少数民族", "ethnic_minority"), ("残疾", "disability"),
                         ("向用人单位公开", "visible_to_employers")):
        check(header, name, _bool)
    check("意向行业", "industries", lambda v: _list(v, industries=True))
    check("意向岗位", "positions", _list)
    check("意向城市", "cities", _list)
    check("期望月薪", "salary_expectation", lambda v: _int(v, maximum=MAX_SALARY))
    check("技能", "skills", lambda v: _length(v, LIMITS["skills"]))
    check("求职陈述", "statement", lambda v: _length(v, LIMITS["statement"]))
    return values, errors


def _intention_given(values: dict, index: dict[str, int], cells: list) -> bool:
    return any(_cell(cells, index, f) != "" for f in INTENTION_FIELDS if f in index)


def import_graduates(data: bytes, filename: str, university, *, progress: Progress | None = None) -> ImportReport:
    """Validate every row, then upsert graduates (and intentions) by (university, 学号), all or nothing."""

    report, index, body = _load(data, filename, "graduates", GRADUATE_COLUMNS, GRADUATE_REQUIRED)
    if index is None:
        return report
    total = len(body) * 2
    rows: list[tuple[int, dict, bool]] = []
    first_row: dict[str, int] = {}
    for n, (number, cells) in enumerate(body, start=1):
        values, errors = validate_graduate_row(cells, index)
        for column, message in errors:
            report.errors.append(RowError(number, column, message))
        number_key = values.get("student_number")
        if number_key:
            if number_key in first_row:
                report.errors.append(RowError(number, "学号", f"与第 {first_row[number_key]} 行的学号重复"))
            else:
                first_row[number_key] = number
        rows.append((number, values, _intention_given(values, index, cells)))
        if n % CHUNK == 0:
            _progress(progress, n, total)
    _progress(progress, len(body), total)
    if not report.ok:
        return report

    try:
        _write_graduates(rows, index, university, report, progress, total)
    except Exception:
        db.session.rollback()
        raise
    return report


def _write_graduates(rows, index, university, report: ImportReport, progress, total) -> None:
    from recruit.graduates.models import Graduate, Intention

    grad_cols = [getattr(Graduate, f) for f in ("id", "student_number", "confirmed", *GRADUATE_FIELDS)]
    existing = {
        r.student_number: r
        for r in db.session.execute(sa.select(*grad_cols).where(Graduate.university_id == university.id))
    }
    int_cols = [Intention.id, Intention.graduate_id, *(getattr(Intention, f) for f in INTENTION_FIELDS)]
    intentions = {
        r.graduate_id: r
        for r in db.session.execute(
            sa.select(*int_cols).join(Graduate, Graduate.id == Intention.graduate_id)
            .where(Graduate.university_id == university.id)
        )
    }
    given_grad = [f for f in GRADUATE_FIELDS if f in index]
    given_int = [f for f in INTENTION_FIELDS if f in index]
    defaults = {"phone": "", "email": "", "low_income": False, "ethnic_minority": False, "disability": False,
                "visible_to_employers": False}
    int_defaults = {"industries": [], "positions": [], "cities": [], "salary_expectation": 0, "skills": "", "statement": ""}
    now = utcnow()
    new_grads: list[dict] = []
    new_grad_intentions: dict[str, dict] = {}
    grad_updates: list[dict] = []
    new_intentions: list[dict] = []
    int_updates: list[dict] = []
    changed_graduate_ids: list[int] = []
    touch_intentions: list[int] = []
    for _number, values, has_intention in rows:
        key = values["student_number"]
        old = existing.get(key)
        intention_values = {f: values[f] for f in given_int} if has_intention else None
        if old is None:
            row = {"university_id": university.id, "student_number": key, "confirmed": True, "created_at": now}
            row.update(defaults)
            row.update({f: values[f] for f in given_grad})
            new_grads.append(row)
            if intention_values is not None:
                new_grad_intentions[key] = intention_values
            report.created += 1
            continue
        changed = False
        diff = {f: values[f] for f in given_grad if getattr(old, f) != values[f]}
        if diff or not old.confirmed:
            grad_updates.append({"id": old.id, **{f: values[f] for f in given_grad}, "confirmed": True})
            changed = True
            if old.id in intentions:
                touch_intentions.append(old.id)
        if intention_values is not None:
            current = intentions.get(old.id)
            if current is None:
                row = dict(int_defaults)
                row.update(intention_values)
                new_intentions.append({"graduate_id": old.id, **row, "updated_at": now})
                changed = True
            elif any(getattr(current, f) != v for f, v in intention_values.items()):
                int_updates.append({"id": current.id, **intention_values, "updated_at": now})
                changed = True
            if changed:
                changed_graduate_ids.append(old.id)
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1

    done = len(rows)
    for start in range(0, len(new_grads), CHUNK):
        chunk = new_grads[start:start + CHUNK]
        result = db.session.execute(
            sa.insert(Graduate).returning(Graduate.id, Graduate.student_number, sort_by_parameter_order=True), chunk
        )
        for gid, key in result:
            if key in new_grad_intentions:
                row = dict(int_defaults)
                row.update(new_grad_intentions[key])
                new_intentions.append({"graduate_id": gid, **row, "updated_at": now})
                changed_graduate_ids.append(gid)
        done += len(chunk)
        _progress(progress, done, total)
    for start in range(0, len(grad_updates), CHUNK):
        db.session.execute(sa.update(Graduate), grad_updates[start:start + CHUNK])
        done += min(CHUNK, len(grad_updates) - start)
        _progress(progress, done, total)
    for start in range(0, len(new_intentions), CHUNK):
        db.session.execute(sa.insert(Intention), new_intentions[start:start + CHUNK])
    for start in range(0, len(int_updates), CHUNK):
        db.session.execute(sa.update(Intention), int_updates[start:start + CHUNK])
    touch = [gid for gid in touch_intentions if gid not in set(changed_graduate_ids)]
    for start in range(0, len(touch), CHUNK):
        # Degree, major or visibility changed: the intention's record in the index changes too.
        db.session.execute(
            sa.update(Intention).where(Intention.graduate_id.in_(touch[start:start + CHUNK]))
            .values(updated_at=now).execution_options(synchronize_session=False)
        )
    if changed_graduate_ids or touch:
        _announce_matching()
    db.session.commit()
    _progress(progress, total, total)


# --------------------------------------------------------------------------- postings


def validate_posting_row(cells: list, index: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
    values, errors, check = _row_checker(cells, index)

    def credit(v: str) -> str:
        v = _required(v).upper()
        if not is_valid_credit_code(v):
            raise CellError("统一社会信用代码格式或校验位不正确")
        return v

    check("单位统一社会信用代码", "credit_code", credit)
    check("岗位名称", "title", lambda v: _length(_required(v), LIMITS["title"]))
    check("岗位描述", "description", lambda v: _length(v, LIMITS["description"]))
    check("行业", "industry", lambda v: _industry(_required(v)))
    check("专业要求", "majors", _list)
    check("最低学历", "min_degree", lambda v: _degree(v, default="本科"))
    check("工作城市", "city", lambda v: _length(_required(v), LIMITS["short"]))
    check("最低月薪", "salary_min", _int)
    check("最高月薪", "salary_max", lambda v: None if v == "" else _int(v))
    check("招聘人数", "headcount", lambda v: _int(v, minimum=1, maximum=MAX_HEADCOUNT, default=1))
    check("截止日期", "deadline", _date)
    if "salary_max" in values and values["salary_max"] is None:
        values["salary_max"] = values.get("salary_min", 0)  # blank: the same as the minimum
    low, high = values.get("salary_min"), values.get("salary_max")
    if low is not None and high is not None and high < low:
        errors.append(("最高月薪", "不能低于最低月薪"))
    return values, errors


def import_postings(data: bytes, filename: str, *, progress: Progress | None = None) -> ImportReport:
    """Validate every row, then upsert postings by (employer, 岗位名称), all or nothing."""
    from recruit.employers.models import Employer

    report, index, body = _load(data, filename, "postings", POSTING_COLUMNS, POSTING_REQUIRED, POSTING_INFO_COLUMNS)
    if index is None:
        return report
    total = len(body) * 2
    employers = {
        r.credit_code: r for r in db.session.execute(sa.select(Employer.id, Employer.credit_code, Employer.status))
    }
    rows: list[tuple[int, dict, int]] = []
    first_row: dict[tuple[str, str], int] = {}
    for n, (number, cells) in enumerate(body, start=1):
        values, errors = validate_posting_row(cells, index)
        employer_id = None
        code = values.get("credit_code")
        if code:
            employer = employers.get(code)
            if employer is None:
                errors.append(("单位统一社会信用代码", "未找到该统一社会信用代码对应的用人单位（单位须先注册）"))
            elif employer.status != "approved":
                errors.append(("单位统一社会信用代码", "该用人单位尚未通过认证，不能导入其岗位"))
            else:
                employer_id = employer.id
        if code and values.get("title"):
            key = (code, values["title"])
            if key in first_row:
                errors.append(("岗位名称", f"与第 {first_row[key]} 行重复（同一单位的岗位名称须唯一）"))
            else:
                first_row[key] = number
        for column, message in errors:
            report.errors.append(RowError(number, column, message))
        rows.append((number, values, employer_id))
        if n % CHUNK == 0:
            _progress(progress, n, total)
    _progress(progress, len(body), total)
    if not report.ok:
        return report
    try:
        _write_postings(rows, index, report, progress, total)
    except Exception:
        db.session.rollback()
        raise
    return report


def _write_postings(rows, index, report: ImportReport, progress, total) -> None:
    from recruit.employers.models import Posting

    employer_ids = sorted({e for _n, _v, e in rows})
    cols = [Posting.id, Posting.employer_id, Posting.title, *(getattr(Posting, f) for f in POSTING_FIELDS)]
    existing: dict[tuple[int, str], sa.Row] = {}
    for start in range(0, len(employer_ids), CHUNK):
        for r in db.session.execute(
            sa.select(*cols).where(Posting.employer_id.in_(employer_ids[start:start + CHUNK])).order_by(Posting.id)
        ):
            existing[(r.employer_id, r.title)] = r  # the newest posting of that title wins
    given = [f for f in POSTING_FIELDS if f in index]
    defaults = {"description": "", "majors": [], "min_degree": "本科", "salary_min": 0, "salary_max": 0,
                "headcount": 1, "deadline": None}
    now = utcnow()
    inserts: list[dict] = []
    updates: list[dict] = []
    for _number, values, employer_id in rows:
        old = existing.get((employer_id, values["title"]))
        if old is None:
            row = {"employer_id": employer_id, "title": values["title"], "status": "open", "created_at": now,
                   "updated_at": now}
            row.update(defaults)
            row.update({f: values[f] for f in given})
            if row["salary_max"] < row["salary_min"]:
                row["salary_max"] = row["salary_min"]
            inserts.append(row)
            report.created += 1
            continue
        new = {f: values[f] for f in given}
        merged = {f: new.get(f, getattr(old, f)) for f in ("salary_min", "salary_max")}
        if merged["salary_max"] < merged["salary_min"]:
            new["salary_max"] = merged["salary_min"]
        if any(getattr(old, f) != v for f, v in new.items()):
            updates.append({"id": old.id, **new, "updated_at": now})
            report.updated += 1
        else:
            report.unchanged += 1
    done = len(rows)
    new_ids: list[int] = []
    for start in range(0, len(inserts), CHUNK):
        chunk = inserts[start:start + CHUNK]
        new_ids.extend(db.session.scalars(sa.insert(Posting).returning(Posting.id, sort_by_parameter_order=True), chunk))
        done += len(chunk)
        _progress(progress, done, total)
    for start in range(0, len(updates), CHUNK):
        db.session.execute(sa.update(Posting), updates[start:start + CHUNK])
        done += min(CHUNK, len(updates) - start)
        _progress(progress, done, total)
    if new_ids or updates:
        _announce_matching()
    db.session.commit()
    _progress(progress, total, total)


# --------------------------------------------------------------------------- matching refresh


def _announce_matching() -> None:
    """Tell every process's matching index that data changed (inside the transaction).

    The written rows already carry ``updated_at = now``, so the index's incremental sync picks
    them up; one version bump for the whole import replaces one signal per row (10,000 signals
    would mean 10,000 UPDATEs of the same AppState row).
    """
    from flask import current_app

    from recruit.matchmaking.index import bump_version, manager

    bump_version()
    try:
        manager(current_app._get_current_object()).invalidate()
    except RuntimeError:  # pragma: no cover - no app context
        pass
