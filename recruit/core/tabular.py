"""A bounded, streaming reader of CSV and XLSX uploads, for every import of the app.

An upload is untrusted: a 1.6 KB xlsx may claim ``A1:XFD1048576`` in its ``<dimension>``,
a 3.5 MB xlsx may hold 5 million rows, a 10 MB CSV 5 million tiny rows. This reader never
materialises more than the limits allow:

- XLSX is opened in openpyxl's read-only (streaming) mode; a declared dimension beyond the
  limits is refused before any row is read; the zip's declared uncompressed size is capped;
  rows are read at most ``max_columns + 1`` cells wide;
- CSV is decoded (UTF-8 with or without BOM, else GB18030) and parsed row by row;
- every row read (blank or not) counts: more than ``max_rows`` data rows, more than
  ``max_columns`` columns, or more than ``max_cells`` cells stop the reading at once with a
  :class:`TableError` whose message says which limit and what to do;
- a NUL character anywhere in a CSV is refused (PostgreSQL cannot store it).

Usage::

    limits = TableLimits.from_config(current_app.config)
    header, rows = open_table(data, "file.xlsx", limits)   # header: list[str]
    for number, cells in rows:                             # number: row in the sheet (header = 1)
        ...

Limits come from the configuration (``IMPORT_MAX_ROWS``, ``IMPORT_MAX_COLUMNS``,
``IMPORT_MAX_CELLS``, ``IMPORT_MAX_UNZIPPED_BYTES``). Messages are Simplified Chinese msgids;
callers translate them with ``gettext`` when they show them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Mapping

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from recruit.i18n import N_

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
#: Characters that make a spreadsheet cell a formula; exports prefix them with ``'``.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = tuple[int, list]


class TableError(Exception):
    """The file as a whole cannot be read, or breaks a limit. ``message`` is a Chinese msgid
    (with ``%(name)s`` placeholders filled from ``params``)."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.msgid = message
        self.params = params
        self.message = str(self)


@dataclass(frozen=True)
class TableLimits:
    #: Data rows (the header not counted).
    max_rows: int = 50_000
    #: Columns of any row.
    max_columns: int = 50
    #: Cells read in total (rows x columns actually present).
    max_cells: int = 2_000_000
    #: Declared uncompressed size of an xlsx (all parts together), in bytes.
    max_unzipped_bytes: int = 200 * 1024 * 1024

    @classmethod
    def from_config(cls, config: Mapping) -> "TableLimits":
        return cls(
            max_rows=int(config.get("IMPORT_MAX_ROWS", cls.max_rows)),
            max_columns=int(config.get("IMPORT_MAX_COLUMNS", cls.max_columns)),
            max_cells=int(config.get("IMPORT_MAX_CELLS", cls.max_cells)),
            max_unzipped_bytes=int(config.get("IMPORT_MAX_UNZIPPED_BYTES", cls.max_unzipped_bytes)),
        )


def cell_text(value) -> str:
    """A cell as clean text; undoes the export's formula neutralisation (a leading ``'``)."""
    if value.__class__ is str:
        text = value.strip()
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "是" if value else "否"
    elif isinstance(value, float) and value.is_integer():
        return str(int(value))
    elif isinstance(value, datetime):
        return value.date().isoformat()
    elif isinstance(value, date):
        return value.isoformat()
    else:
        text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def _blank(cells) -> bool:
    return all(c is None or (c.__class__ is str and c.strip() == "") for c in cells)


def open_table(data: bytes, filename: str, limits: TableLimits | None = None) -> tuple[list[str], Iterator[Row]]:
    """The header (clean text, trailing blanks and ``*`` marks removed) and an iterator over the
    non-blank data rows ``(row_number, cells)``. Raises :class:`TableError` for the file as a
    whole (now) or for a limit crossed while reading (from the iterator)."""
    limits = limits or TableLimits()
    rows = _bounded(_raw_rows(data, filename, limits), limits)
    for _number, cells in rows:
        if _blank(cells):
            continue
        header = [cell_text(c).lstrip("\ufeff").rstrip("*＊ ") for c in cells]
        while header and header[-1] == "":
            header.pop()
        return header, (row for row in rows if not _blank(row[1]))
    raise TableError(N_("文件是空的：没有表头。"))


def read_table(data: bytes, filename: str, limits: TableLimits | None = None) -> tuple[list[str], list[Row]]:
    """:func:`open_table` with the rows in a list (at most ``limits.max_rows`` of them)."""
    header, rows = open_table(data, filename, limits)
    return header, list(rows)


def _raw_rows(data: bytes, filename: str, limits: TableLimits) -> Iterator[Row]:
    ext = Path(filename or "").suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise TableError(N_("只能导入 .csv 或 .xlsx 文件。"))
    is_zip = data[:4] == b"PK\x03\x04"
    if ext == ".xlsx":
        if not is_zip:
            raise TableError(N_("文件内容不是有效的 XLSX 工作簿（扩展名与内容不符）。"))
        return _xlsx_rows(data, limits)
    if is_zip or b"\x00" in data[:4096]:
        raise TableError(N_("文件内容不是文本 CSV（扩展名与内容不符）；Excel 文件请保存为 .xlsx 或 CSV。"))
    return _csv_rows(data, limits)


def _bounded(rows: Iterator[Row], limits: TableLimits) -> Iterator[Row]:
    """Count what is read and stop at the first limit crossed.

    Data rows may number ``max_rows`` (plus the header); blank rows count too, up to as many
    again, so a file of millions of empty rows stops as early as one of millions of full ones.
    """
    physical_cap = 2 * limits.max_rows + 1
    data_rows = cells_read = physical = 0
    for number, cells in rows:
        physical += 1
        width = len(cells)
        while width and (cells[width - 1] is None or cells[width - 1] == ""):
            width -= 1
        if width > limits.max_columns:
            raise TableError(
                N_("第 %(row)d 行超过 %(limit)d 列的上限：请删去多余的列。"), row=number, limit=limits.max_columns
            )
        cells_read += width
        if cells_read > limits.max_cells:
            raise TableError(N_("文件超过 %(limit)d 个单元格的上限：请分成几个文件导入。"), limit=limits.max_cells)
        if width:
            data_rows += 1
        if data_rows > limits.max_rows + 1 or physical > physical_cap:
            raise TableError(N_("文件超过 %(limit)d 行的上限：请分成几个文件导入。"), limit=limits.max_rows)
        yield number, list(cells[:width])


def _csv_rows(data: bytes, limits: TableLimits) -> Iterator[Row]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise TableError(N_("无法识别文件编码：请使用 UTF-8 或 GB18030（Excel 默认）编码的 CSV。")) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise TableError(N_("无法识别文件编码：请使用 UTF-8 或 GB18030（Excel 默认）编码的 CSV。")) from None
    if "\x00" in text:
        raise TableError(N_("文件中含有空字符（NUL），不是有效的文本 CSV。"))
    return _csv_iter(text)


def _csv_iter(text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise TableError(
                N_("CSV 格式错误（第 %(row)d 行附近）：%(error)s"), row=number + 1, error=str(error)
            ) from None
        number += 1
        yield number, row


def _xlsx_rows(data: bytes, limits: TableLimits) -> Iterator[Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError(N_("无法读取 XLSX 工作簿，文件可能已损坏。")) from None
    if unzipped > limits.max_unzipped_bytes:
        raise TableError(
            N_("工作簿解压后超过 %(limit)d MB 的上限：请分成几个文件导入。"),
            limit=limits.max_unzipped_bytes // (1024 * 1024),
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # noqa: BLE001  openpyxl raises many types for a foreign or broken zip
        raise TableError(N_("无法读取 XLSX 工作簿，文件可能已损坏。")) from None
    declared = None
    try:
        declared = sheet.calculate_dimension() if sheet.max_row and sheet.max_column else None
        _min_col, min_row, max_col, max_row = range_boundaries(declared) if declared else (1, 1, 0, 0)
    except (ValueError, TypeError):
        min_row = 1
        max_col = max_row = 0
    if declared and (max_row - min_row > limits.max_rows or max_col > limits.max_columns):
        workbook.close()
        raise TableError(
            N_("工作表声明的范围 %(range)s 超过上限（%(rows)d 行、%(cols)d 列）：请只保留数据区域后重新保存。"),
            range=declared[:40],
            rows=limits.max_rows,
            cols=limits.max_columns,
        )
    # The declared dimension is only a hint: read what is there, never wider than the limit + 1.
    sheet.reset_dimensions()
    return _xlsx_iter(workbook, sheet, limits.max_columns + 1)


def _xlsx_iter(workbook, sheet, width: int) -> Iterator[Row]:
    try:
        for number, row in enumerate(sheet.iter_rows(min_row=1, max_col=width, values_only=True), start=1):
            yield number, list(row)
    except TableError:
        raise
    except Exception:  # noqa: BLE001  a broken sheet XML
        raise TableError(N_("无法读取 XLSX 工作簿，文件可能已损坏。")) from None
    finally:
        workbook.close()
