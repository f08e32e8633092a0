"""The import page as office staff see it (issue 14, item 12)."""

from __future__ import annotations

import pytest

from tests.organizer.test_organizer_pages import school, upload  # noqa: F401  (fixture)


def test_no_command_line_hint_for_office_staff(client, auth, school):  # noqa: F811
    auth.login(school[1])
    page = client.get("/org/imports").get_data(as_text=True)
    assert "flask --app" not in page and "命令行" not in page


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "g.csv", "上传的文件是空的。"),
        (b"%PDF-1.4", "g.pdf", "只能导入 .csv 或 .xlsx 文件。"),
    ],
)
def test_upload_error_is_shown_once_next_to_the_field(client, auth, school, data, filename, message):  # noqa: F811
    auth.login(school[1])
    response = upload(client, "graduates", data, filename)
    assert response.status_code == 422
    assert response.get_data(as_text=True).count(message) == 1


def test_no_file_at_all_is_shown_once(client, auth, school):  # noqa: F811
    auth.login(school[1])
    response = client.post("/org/imports/graduates", content_type="multipart/form-data", data={})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("请选择要导入的文件。") == 1


@pytest.mark.parametrize("url", ["/org/templates/graduates.csv", "/org/exports/postings.csv"])
def test_csv_downloads_name_their_charset_once(client, auth, school, url):  # noqa: F811
    auth.login(school[1])
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
