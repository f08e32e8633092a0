"""All-or-nothing import of universities from CSV or XLSX (UTF-8 or GB18030).

Reads with the shared reader of :mod:`recruit.organizer.importers` (file type checked by
content, encodings, the export's formula neutralisation undone), bounded by
:data:`MAX_BYTES` and :data:`MAX_ROWS`. Every row is validated first; any bad row (or a
conflict with another university already stored) writes nothing and the report lists each
one. A good file creates or updates universities by ``code`` in one transaction; a row equal
to the stored university is counted unchanged, so re-importing a file changes nothing.
Columns and their meaning: docs/import-format.md.
"""

from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from recruit.admin.services import UNIVERSITY_FIELDS, add_university, check_university
from recruit.core import audit
from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.core.spreadsheets import render
from recruit.core.tabular import cell_text
from recruit.organizer.importers import ImportFileError, ImportReport, RowError, read_table
from recruit.universities.models import University

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: An XLSX is a zip: refuse one whose parts would expand beyond this (a "zip bomb").
MAX_XLSX_EXPANDED = 50 * 1024 * 1024

#: field -> (Chinese header, English header, required)
COLUMNS = {
    "code": ("代码", "code", True),
    "name": ("院校名称", "name", True),
    "moe_code": ("院校代码", "moe_code", False),
    "city": ("所在地", "city", True),
    "level": ("办学层次", "level", True),
    "graduates_count": ("毕业生人数", "graduates", True),
}
#: Accepted header -> field (Chinese and English, English case-insensitive).
HEADERS = {**{zh: f for f, (zh, _en, _r) in COLUMNS.items()}, **{en: f for f, (_zh, en, _r) in COLUMNS.items()}}
NOTES = (
    ("代码 / code", "必填：学校简码，2–20 个英文字母或数字（如 GZU），用于网址；按代码新建或更新"),
    ("院校名称 / name", "必填，最多 100 个字符，全省唯一"),
    ("院校代码 / moe_code", "选填：教育部 5 位院校代码（如 10657），全省唯一"),
    ("所在地 / city", "必填，如 贵阳"),
    ("办学层次 / level", "必填：本科 或 高职专科"),
    ("毕业生人数 / graduates", "必填：当年毕业生人数，0–1000000 的整数"),
)
EXAMPLE = ["GZU", "贵州大学", "10657", "贵阳", "本科", "28000"]


def template(fmt: str) -> bytes:
    """The template file: Chinese headers and one example row (XLSX: with a notes sheet)."""
    headers = [zh for zh, _en, _r in COLUMNS.values()]
    return render(fmt, headers, [EXAMPLE], title="高校", notes=NOTES)


def _columns(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    unknown, repeated = [], []
    for i, name in enumerate(header):
        if name == "":
            continue
        field = HEADERS.get(name) or HEADERS.get(name.lower())
        if field is None:
            unknown.append(name)
        elif field in index:
            repeated.append(name)
        else:
            index[field] = i
    problems = []
    missing = [f"{zh}（{en}）" for f, (zh, en, req) in COLUMNS.items() if req and f not in index]
    if missing:
        problems.append("缺少必需的列：" + "、".join(missing))
    if repeated:
        problems.append("列重复：" + "、".join(repeated))
    if unknown:
        problems.append("无法识别的列：" + "、".join(unknown) + "（请使用模板中的列名）")
    if problems:
        raise ImportFileError("；".join(problems))
    return index


def _expanded_size(data: bytes) -> int:
    """The declared uncompressed size of a zip's parts (0 when it is not a readable zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


def _cell(cells: list, index: dict[str, int], field: str) -> str:
    i = index.get(field)
    return cell_text(cells[i]) if i is not None and i < len(cells) else ""


def import_universities(data: bytes, filename: str, actor) -> ImportReport:
    """Validate every row, then write all of them in one transaction (or nothing)."""
    report = ImportReport("universities")
    if len(data) > MAX_BYTES:
        report.errors.append(RowError(None, "", f"文件太大：最多 {MAX_BYTES // (1024 * 1024)} MB。"))
        return report
    if data[:4] == b"PK\x03\x04" and _expanded_size(data) > MAX_XLSX_EXPANDED:
        report.errors.append(RowError(None, "", "工作簿解压后过大，请只保留高校名录一张工作表后重试。"))
        return report
    try:
        header, body = read_table(data, filename)
        index = _columns(header)
    except ImportFileError as error:
        report.errors.append(RowError(None, "", str(error)))
        return report
    if not body:
        report.errors.append(RowError(None, "", "文件中没有数据行。"))
        return report
    if len(body) > MAX_ROWS:
        report.errors.append(RowError(None, "", f"一次最多导入 {MAX_ROWS} 行（本文件 {len(body)} 行）。"))
        return report
    report.rows = len(body)
    rows: list[tuple[int, dict]] = []
    seen: dict[str, dict[str, int]] = {"code": {}, "name": {}, "moe_code": {}}
    for number, cells in body:
        raw = {field: _cell(cells, index, field) for field in COLUMNS}
        try:
            values = check_university(raw)
        except ServiceError as error:
            zh, en, _r = COLUMNS.get(error.field, ("", "", False))
            report.errors.append(RowError(number, zh, error.message.rstrip("。")))
            continue
        duplicate = False
        for field in ("code", "name", "moe_code"):
            key = values[field]
            if key is None:
                continue
            key = key.upper() if field == "code" else key
            if key in seen[field]:
                report.errors.append(
                    RowError(number, COLUMNS[field][0], f"“{values[field]}”与第 {seen[field][key]} 行重复")
                )
                duplicate = True
            else:
                seen[field][key] = number
        if not duplicate:
            rows.append((number, values))
    existing = {u.code.upper(): u for u in db.session.scalars(sa.select(University))}
    by_name = {u.name: u for u in existing.values()}
    by_moe = {u.moe_code: u for u in existing.values() if u.moe_code}
    for number, values in rows:
        mine = existing.get(values["code"])
        other = by_name.get(values["name"])
        if other is not None and other is not mine:
            report.errors.append(RowError(number, "院校名称", f"“{values['name']}”已属于学校 {other.code}"))
        other = by_moe.get(values["moe_code"]) if values["moe_code"] else None
        if other is not None and other is not mine:
            report.errors.append(RowError(number, "院校代码", f"“{values['moe_code']}”已属于学校 {other.code}"))
    if report.errors:
        report.errors.sort(key=lambda e: e.row or 0)
        return report
    for _number, values in rows:
        university = existing.get(values["code"])
        if university is None:
            add_university(values, actor)
            report.created += 1
            continue
        values["code"] = university.code
        if all(getattr(university, k) == v for k, v in values.items()):
            report.unchanged += 1
            continue
        audit.update(
            actor, university, values, UNIVERSITY_FIELDS, "university.update", "university", university_id=university.id
        )
        report.updated += 1
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        report.created = report.updated = report.unchanged = 0
        report.errors.append(
            RowError(None, "", "导入时与同时保存的其他学校冲突（代码、名称或院校代码重复），未写入任何数据，请重试。")
        )
    return report
