"""The one CSV/XLSX writer (recruit.core.spreadsheets)."""

import io

from openpyxl import load_workbook

from recruit.core import spreadsheets


def test_csv_has_a_bom_crlf_and_neutralised_cells():
    data = spreadsheets.to_csv(["名称", "数"], [["=1+1", 2], [None, -3], ["-x", "正常"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == ["名称,数", "'=1+1,2", ",-3", "'-x,正常", ""]


def test_xlsx_reports_have_a_bold_frozen_header_and_text_stays_text():
    data = spreadsheets.to_xlsx(["名称", "数"], [["@SUM(A1)", 5]], title="报告" * 20, bold_header=True)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == ("报告" * 20)[:31] and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["名称", "数"], ["'@SUM(A1)", 5]]
    assert sheet["A2"].data_type == "s"


def test_xlsx_notes_sheet_and_plain_header():
    data = spreadsheets.render("xlsx", ["a"], [], title="数据", notes=[("a", "=说明")])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["数据", "填写说明"] and not book["数据"]["A1"].font.bold
    assert [c.value for c in book["填写说明"][2]] == ["a", "'=说明"]
