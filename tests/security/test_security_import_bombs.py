"""Import bombs (issue 12, item 8): each file is generated here, small on disk, and refused
early with a clear message; nothing is written; the upload size is capped with a friendly 413.

Today's code (before core/tabular) read a whole sheet into memory: the lying ``<dimension>``
padded every row to 16,384 columns, the 5-million-row files were read to the end.
"""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from recruit.core.tabular import TableError, TableLimits, open_table
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
G_HEADER_XML = b"".join(
    b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), name.encode())
    for col, name in zip("ABCDE", ("学号", "姓名", "专业", "学历", "毕业年份"))
)


def xlsx(sheet_body: bytes, dimension: str | None = None) -> bytes:
    """A minimal workbook written by hand (openpyxl would write an honest dimension)."""
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", _HEAD + dim + b"<sheetData>" + sheet_body + b"</sheetData></worksheet>")
    return buf.getvalue()


def header_row() -> bytes:
    return b'<row r="1">' + G_HEADER_XML + b"</row>"


def upload(client, what, data, filename):
    return client.post(
        f"/org/imports/{what}", content_type="multipart/form-data", data={f"{what}-file": (io.BytesIO(data), filename)}
    )


@pytest.fixture
def organizer(app, auth, make_university, make_user):
    app.config["IMPORT_JOBS_INLINE"] = True  # large files become jobs: run them in the request here
    user = make_user("organizer", university=make_university(code="BOMB"))
    auth.login(user)
    return user


def _nothing_written():
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Graduate)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0


def test_lying_dimension_is_refused_before_any_row(client, organizer):
    data = xlsx(header_row(), dimension="A1:XFD1048576")
    assert len(data) < 2000  # the attack: 1.6 KB
    response = upload(client, "graduates", data, "dim.xlsx")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A1:XFD1048576" in page and "超过上限" in page and "未写入任何数据" in page
    _nothing_written()


def test_five_million_rows_claimed_by_one_far_row(client, organizer):
    """One row numbered 5,000,000: a reader that fills the gap would build 5 million rows."""
    data = xlsx(header_row() + b'<row r="5000000"><c r="A5000000"><v>1</v></c></row>')
    response = upload(client, "graduates", data, "far.xlsx")
    assert response.status_code == 422 and "文件超过 50000 行的上限" in response.get_data(as_text=True)
    _nothing_written()


def test_many_real_rows_stop_at_the_limit(app, client, organizer):
    app.config["IMPORT_MAX_ROWS"] = 1000
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 20002))
    data = xlsx(header_row() + rows)
    response = upload(client, "graduates", data, "many.xlsx")
    assert response.status_code == 422 and "文件超过 1000 行的上限" in response.get_data(as_text=True)
    _nothing_written()


def test_ten_megabytes_of_tiny_csv_rows(client, organizer):
    data = "学号,姓名,专业,学历,毕业年份\n".encode() + b"1\n" * 5_200_000
    assert len(data) < 10 * 1024 * 1024
    response = upload(client, "graduates", data, "tiny.csv")
    assert response.status_code == 302 and "/org/imports/jobs/" in response.headers["Location"]  # a background job
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="failed"' in page and "文件超过 50000 行的上限" in page
    _nothing_written()


def test_blank_rows_count_too(client, organizer):
    data = "学号,姓名,专业,学历,毕业年份\n".encode() + b",,,,\n" * 200_000
    response = client.get(upload(client, "graduates", data, "blank.csv").headers["Location"])
    assert "行的上限" in response.get_data(as_text=True)


def test_too_many_columns(client, organizer):
    data = ",".join(["学号"] + [f"列{i}" for i in range(80)]).encode() + b"\n1\n"
    response = upload(client, "graduates", data, "wide.csv")
    assert response.status_code == 422 and "超过 50 列的上限" in response.get_data(as_text=True)


def test_too_many_cells(app, client, organizer):
    app.config["IMPORT_MAX_CELLS"] = 5000
    data = "学号,姓名,专业,学历,毕业年份\n".encode() + b"1,2,3,4,5\n" * 2000
    response = upload(client, "graduates", data, "cells.csv")
    assert response.status_code == 422 and "5000 个单元格的上限" in response.get_data(as_text=True)


def test_xlsx_that_unzips_too_far(app, client, organizer):
    app.config["IMPORT_MAX_UNZIPPED_BYTES"] = 1024 * 1024
    padding = b"<!--" + b" " * (3 * 1024 * 1024) + b"-->"  # 3 MB of nothing, a few KB zipped
    data = xlsx(header_row() + padding)
    assert len(data) < 50_000
    response = upload(client, "graduates", data, "zip.xlsx")
    assert response.status_code == 422 and "解压后超过 1 MB 的上限" in response.get_data(as_text=True)


def test_nul_after_the_first_4_kb_of_a_csv(client, organizer):
    rows = "".join(f"{n},张三,计算机,本科,2026\n" for n in range(1000, 1400))
    data = ("学号,姓名,专业,学历,毕业年份\n" + rows).encode() + b"1401,\x00,x,\xe6\x9c\xac\xe7\xa7\x91,2026\n"
    assert data.index(b"\x00") > 4096
    response = upload(client, "graduates", data, "nul.csv")
    assert response.status_code == 422 and "空字符（NUL）" in response.get_data(as_text=True)
    _nothing_written()


def test_upload_above_max_content_length_is_a_friendly_413(app, client, organizer):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload(client, "postings", b"x" * (128 * 1024), "big.csv")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "文件太大" in page and "Traceback" not in page


def test_limits_come_from_the_configuration(app):
    limits = TableLimits.from_config(app.config)
    assert limits.max_rows == 50_000 and limits.max_columns == 50
    app.config["IMPORT_MAX_ROWS"] = 3
    with pytest.raises(TableError, match="3 行"):
        list(open_table(b"a\n1\n2\n3\n4\n", "x.csv", TableLimits.from_config(app.config))[1])
    header, rows = open_table(b"a\n1\n2\n3\n", "x.csv", TableLimits.from_config(app.config))
    assert header == ["a"] and [n for n, _ in rows] == [2, 3, 4]
