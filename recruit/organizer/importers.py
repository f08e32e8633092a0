"""All-or-nothing imports of the 毕业生求职意愿库 and the 用人单位需求库 from CSV or XLSX.

Shared by the web page (``organizer.imports``, small files in the request, large ones as a
background job: :mod:`recruit.organizer.import_jobs`) and the CLI (``flask --app wsgi import``).
Three steps, three modules:

- reading: :mod:`recruit.core.tabular` streams the rows and stops at the configured limits
  (rows, columns, cells; a lying ``<dimension>``; a zip that unpacks too far);
- checking: :mod:`recruit.organizer.import_checks` validates each row; a file with any bad row
  writes nothing and the report lists each bad row (numbered as in Excel: the header is row
  1), column and reason;
- applying: :mod:`recruit.organizer.import_writes` writes a good file in one transaction with
  bulk statements; the report gives the created, updated and unchanged counts.

Keys (see docs/import-format.md), unique in the database:

- graduates: (university, 学号) -- the university is the organizer's own, or ``--university``;
- postings: (employer found by 单位统一社会信用代码, 岗位名称). An organizer imports postings only
  for employers with a pending or approved booth request at one of its university's fairs;
  admins and the CLI for every approved employer. Every employer whose postings changed is
  notified.

Re-importing the same file changes nothing: a row whose values equal the stored ones is
counted as unchanged and not written; two identical imports at once give the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from matching import majors

from recruit.core.tabular import TableError, TableLimits, open_table
from recruit.core.tabular import read_table as _read_table
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.organizer.import_checks import cell, columns, validate_graduate_row, validate_posting_row
from recruit.organizer.import_writes import INTENTION_FIELDS, write_graduates, write_postings

__all__ = ["ImportFileError", "ImportReport", "RowError", "import_graduates", "import_postings", "read_table"]

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
CHUNK = 1000
#: Row errors kept in a report (a file with 50,000 bad rows does not need 50,000 lines).
MAX_ERRORS = 1000
#: Distinct majors outside the catalogue listed in a report.
MAX_NOTICES = 50

ImportFileError = TableError
Progress = Callable[[int, int], None]
CONCURRENT_IMPORT = "另一个相同的导入正在进行，请稍后刷新页面查看结果后再试。"


@dataclass
class RowError:
    row: int | None  #: spreadsheet row number (header = 1); None for the whole file
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return (
            f"第 {self.row} 行「{self.column}」：{self.message}" if self.column else f"第 {self.row} 行：{self.message}"
        )


@dataclass
class ImportReport:
    """The outcome of an import: errors (nothing written) or counts (all written)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Bad rows beyond MAX_ERRORS, counted but not listed.
    more_errors: int = 0
    #: What was imported but should be checked (majors outside the MoE catalogue), one line each.
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, error: RowError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1

    def summary(self) -> str:
        if not self.ok:
            rows = len({e.row for e in self.errors if e.row is not None})
            if rows:
                return f"导入失败：{rows} 行有错误，未写入任何数据。"
            return "导入失败：文件无法读取，未写入任何数据。"
        return f"导入成功：共 {self.rows} 行，新建 {self.created}，更新 {self.updated}，未变 {self.unchanged}。"

    def lines(self) -> list[str]:
        more = [f"另有 {self.more_errors} 个错误未列出。"] if self.more_errors else []
        return [self.summary(), *(str(e) for e in self.errors), *more, *(self.notices if self.ok else ())]

    def note_uncatalogued(self, rows, names_of, known, what: str) -> None:
        """List the majors of the imported ``rows`` ((row number, values, ...) each) that the MoE
        catalogue does not know (``names_of(values)`` gives a row's majors, ``known`` judges one),
        with their rows: imported as written, for the office to check (supply and demand lists
        them too)."""
        found: dict[str, list[int]] = {}
        for number, values, *_ in rows:
            for name in names_of(values):
                if name and not known(name):
                    found.setdefault(name, []).append(number)
        names = sorted(found, key=lambda name: found[name][0])
        for name in names[:MAX_NOTICES]:
            rows_of = found[name]
            where = "、".join(str(n) for n in rows_of[:10]) + (f" 等 {len(rows_of)} 行" if len(rows_of) > 10 else " 行")
            self.notices.append(f"第 {where}的{what}「{name}」不在教育部专业目录中，已按原文导入，请核对。")
        if len(names) > MAX_NOTICES:
            self.notices.append(f"另有 {len(names) - MAX_NOTICES} 个不在专业目录中的{what}未列出。")


def limits() -> TableLimits:
    return TableLimits.from_config(current_app.config) if has_app_context() else TableLimits()


def read_table(data: bytes, filename: str):
    """The header and the non-blank data rows of a CSV or XLSX file (within the limits)."""
    return _read_table(data, filename, limits())


def _progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _check_rows(
    report: ImportReport, data: bytes, filename: str, known, required, ignored, check_row, progress: Progress | None
) -> tuple[dict | None, list]:
    """Stream the rows through ``check_row(number, cells, index) -> (item, [(column, message)])``.

    Returns the column index and the checked items; on any error the report says why and the
    index is None.
    """
    items: list = []
    try:
        header, rows = open_table(data, filename, limits())
        index = columns(header, known, required, ignored)
        for number, cells in rows:
            item, errors = check_row(number, cells, index)
            for column, message in errors:
                report.add_error(RowError(number, column, message))
            items.append(item)
            if len(items) % CHUNK == 0:
                _progress(progress, len(items), 2 * len(items))
    except TableError as error:
        message = gettext(error.msgid, **error.params) if has_request_context() else error.message
        report.errors[:0] = [RowError(None, "", message)]
        return None, []
    if not items:
        report.errors.append(RowError(None, "", "文件中没有数据行。"))
    report.rows = len(items)
    _progress(progress, len(items), 2 * len(items))
    return (index if report.ok else None), items


def _apply(write, report: ImportReport) -> ImportReport:
    """Run ``write()`` once; a lost race on the natural key (an identical import committed
    first) is retried once against the winner's rows, then reported, never raised."""
    for attempt in (1, 2):
        report.created = report.updated = report.unchanged = 0
        try:
            write()
            return report
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                report.errors.append(RowError(None, "", CONCURRENT_IMPORT))
                return report
        except Exception:
            db.session.rollback()
            raise
    return report  # pragma: no cover


# --------------------------------------------------------------------------- graduates


def import_graduates(data: bytes, filename: str, university, *, progress: Progress | None = None) -> ImportReport:
    """Validate every row, then upsert graduates (and intentions) by (university, 学号), all or nothing."""
    report = ImportReport("graduates")
    first_row: dict[str, int] = {}

    def check_row(number, cells, index):
        values, errors = validate_graduate_row(cells, index)
        key = values.get("student_number")
        if key:
            if key in first_row:
                errors.append(("学号", f"与第 {first_row[key]} 行的学号重复"))
            else:
                first_row[key] = number
        given = any(cell(cells, index, f) != "" for f in INTENTION_FIELDS if f in index)
        return (number, values, given), errors

    index, rows = _check_rows(report, data, filename, GRADUATE_COLUMNS, GRADUATE_REQUIRED, (), check_row, progress)
    if index is None:
        return report
    total = 2 * len(rows)
    report = _apply(lambda: write_graduates(rows, index, university, report, progress, total), report)
    if report.ok:
        report.note_uncatalogued(rows, lambda values: [values.get("major")], majors.known_major, "专业")
    return report


# --------------------------------------------------------------------------- postings


def importable_employers(user=None) -> dict[str, tuple[int, str, bool]]:
    """``credit_code -> (employer id, status, allowed)`` for an import by ``user``.

    Allowed: every employer for an admin or the CLI (``user`` None); for an organizer only
    employers with a pending or approved booth request at one of its university's fairs.
    """
    query = sa.select(Employer.id, Employer.credit_code, Employer.status)
    allowed_ids: set[int] | None = None
    if user is not None and user.role != "admin":
        allowed_ids = set(
            db.session.scalars(
                sa.select(FairRegistration.employer_id)
                .join(Fair, Fair.id == FairRegistration.fair_id)
                .where(Fair.university_id == user.university_id, FairRegistration.status.in_(("pending", "approved")))
            )
        )
    return {
        r.credit_code: (r.id, r.status, allowed_ids is None or r.id in allowed_ids) for r in db.session.execute(query)
    }


def import_postings(data: bytes, filename: str, *, user=None, progress: Progress | None = None) -> ImportReport:
    """Validate every row, then upsert postings by (employer, 岗位名称), all or nothing.

    ``user``: who imports (None: the CLI). See :func:`importable_employers` for whose postings.
    """
    report = ImportReport("postings")
    employers = importable_employers(user)
    first_row: dict[tuple[str, str], int] = {}

    def check_row(number, cells, index):
        values, errors = validate_posting_row(cells, index)
        employer_id = None
        code = values.get("credit_code")
        if code:
            employer_id, status, allowed = employers.get(code, (None, None, False))
            if employer_id is None:
                errors.append(("单位统一社会信用代码", "未找到该统一社会信用代码对应的用人单位（单位须先注册）"))
            elif status != "approved":
                errors.append(("单位统一社会信用代码", "该用人单位尚未通过认证，不能导入其岗位"))
            elif not allowed:
                errors.append(("单位统一社会信用代码", "该单位未报名本校的招聘会，不能代其导入岗位（请单位自行发布）"))
        if code and values.get("title"):
            key = (code, values["title"])
            if key in first_row:
                errors.append(("岗位名称", f"与第 {first_row[key]} 行重复（同一单位的岗位名称须唯一）"))
            else:
                first_row[key] = number
        return (number, values, employer_id), errors

    index, rows = _check_rows(
        report, data, filename, POSTING_COLUMNS, POSTING_REQUIRED, POSTING_INFO_COLUMNS, check_row, progress
    )
    if index is None:
        return report
    total = 2 * len(rows)
    actor = _actor(user)
    report = _apply(lambda: write_postings(rows, index, report, progress, total, actor), report)
    if report.ok:
        report.note_uncatalogued(rows, lambda values: values.get("majors") or (), majors.known_requirement, "专业要求")
    return report


def _actor(user) -> str:
    if user is None or user.role == "admin":
        return "系统管理员"
    university = getattr(user, "university", None)
    return f"{university.name}就业部门" if university is not None else "高校就业部门"
