"""The one CSV/XLSX writer of the app: every export (compliance, fair reports, both databases,
applicants, statistics) writes its table here.

CSV is UTF-8 with a BOM (so that Excel opens it with the right encoding) and CRLF line ends.
XLSX is written with openpyxl in write-only mode (rows stream). Every text cell that a spreadsheet
would read as a formula (starting with = + - @ tab or CR, :data:`recruit.core.tabular.FORMULA_PREFIXES`)
gets a leading ``'`` (formula injection, OWASP); the importer (:mod:`recruit.core.tabular`)
removes that ``'`` again.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from recruit.core.tabular import FORMULA_PREFIXES

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """``'=1+1`` for ``=1+1``: a text cell never runs as a formula in a spreadsheet."""
    if isinstance(value, str) and value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A CSV table (UTF-8 with a BOM, CRLF) with ``headers``; None is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "数据",
    notes: Sequence[tuple[str, str]] = (),
    bold_header: bool = False,
) -> bytes:
    """One sheet titled ``title`` (and a 填写说明 sheet with ``notes`` when given).

    ``bold_header``: the header row is bold and stays visible when scrolling (reports for people).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((title or "数据")[:31])
    if bold_header:
        sheet.freeze_panes = "A2"
        sheet.append([_bold(sheet, h) for h in headers])
    else:
        sheet.append(list(headers))
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    if notes:
        info = workbook.create_sheet("填写说明")
        info.append(["列名", "说明"])
        for name, text in notes:
            info.append([name, neutralise(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def render(fmt: str, headers: Sequence[str], rows: Iterable[Sequence], **kw) -> bytes:
    """The table in ``fmt`` (one of :data:`FORMATS`); ``kw`` are :func:`to_xlsx`'s options."""
    if fmt == "xlsx":
        return to_xlsx(headers, rows, **kw)
    return to_csv(headers, rows)
