"""CSV and XLSX exports of the province summary (cells that could be formulas are neutralised)."""
from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from recruit.compliance.services import province_rows

HEADERS = ["高校代码", "高校名称", "周达标（已举办）", "周已满足（含已安排）", "应办周数", "月达标（已举办）",
           "月已满足（含已安排）", "应办月数", "未达标期数", "有风险期数", "14天内有风险", "是否达标",
           "结论", "已核实场次", "签到不足场次"]
VERDICTS = {"met": "达标", "at_risk": "有风险", "missed": "未达标"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix text that a spreadsheet would run as a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def summary_rows(results, today: date) -> list[list]:
    rows = []
    for r in province_rows(results, today):
        u = r["university"]
        rows.append([u.code, u.name, r["weeks_met"], r["weeks_ok"], r["weeks_required"], r["months_met"],
                     r["months_ok"], r["months_required"], r["missed"], r["at_risk"], r["at_risk_soon"],
                     "是" if r["compliant"] else "否", VERDICTS[r["verdict"]], r["verified"], r["below"]])
    return rows


def to_csv(rows: list[list], headers: list[str] = HEADERS) -> str:
    """A CSV table with ``headers``; formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def to_xlsx(rows: list[list], title: str, headers: list[str] = HEADERS) -> bytes:
    """One sheet titled ``title``: bold frozen ``headers``, formula-like cells neutralised and
    every text cell stored as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "summary"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(c) for c in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
