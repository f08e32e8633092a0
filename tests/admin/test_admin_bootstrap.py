"""Bootstrap from the command line: create-admin and the universities import (CLI and browser)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.core.audit import AuditEntry
from recruit.extensions import db
from recruit.universities.models import University

HEADER_ZH = "代码,院校名称,院校代码,所在地,办学层次,毕业生人数\n"
HEADER_EN = "code,name,moe_code,city,level,graduates\n"
GOOD_ROWS = "GZU,贵州大学,10657,贵阳,本科,28000\nGZNU,贵州师范大学,10663,贵阳,本科,12000\nGZJT,贵州交通职业技术学院,14223,贵阳,高职专科,6000\n"


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ------------------------------------------------------------------ create-admin


def test_create_admin_from_the_environment_then_twice_changes_nothing(runner, monkeypatch):
    monkeypatch.setenv("RECRUIT_ADMIN_PASSWORD", "s3cret-pass")
    result = runner.invoke(args=["accounts", "create-admin", "Office@Edu.GZ.gov.cn"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "office@edu.gz.gov.cn" and user.role == "admin" and user.check_password("s3cret-pass")
    hash_before = user.password_hash
    monkeypatch.setenv("RECRUIT_ADMIN_PASSWORD", "another-pass")
    again = runner.invoke(args=["accounts", "create-admin", "office@edu.gz.gov.cn"])
    assert again.exit_code == 0 and "未做任何修改" in again.output
    db.session.expire_all()
    assert _count(User) == 1 and db.session.scalar(sa.select(User.password_hash)) == hash_before
    assert db.session.scalar(sa.select(AuditEntry.action)) == "admin.create"


def test_create_admin_prompts_when_no_environment(runner, monkeypatch):
    monkeypatch.delenv("RECRUIT_ADMIN_PASSWORD", raising=False)
    result = runner.invoke(args=["accounts", "create-admin", "a@example.com"], input="good-password\ngood-password\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User)).check_password("good-password")


@pytest.mark.parametrize(
    "email, password, message",
    [
        ("not-an-email", "good-password", "请输入有效的电子邮箱地址。"),
        ("a@example.com", "short", "密码长度应在 8 到 128 个字符之间。"),
    ],
)
def test_create_admin_refuses_bad_input(runner, monkeypatch, email, password, message):
    monkeypatch.setenv("RECRUIT_ADMIN_PASSWORD", password)
    result = runner.invoke(args=["accounts", "create-admin", email])
    assert result.exit_code == 2 and message in result.output
    assert _count(User) == 0


def test_create_admin_for_an_email_of_another_role_refuses(runner, monkeypatch, make_user):
    organizer = make_user("organizer")
    monkeypatch.setenv("RECRUIT_ADMIN_PASSWORD", "good-password")
    result = runner.invoke(args=["accounts", "create-admin", organizer.email])
    assert result.exit_code == 2
    db.session.refresh(organizer)
    assert organizer.role == "organizer"


# ------------------------------------------------------------------ universities import (CLI)


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.mark.parametrize(
    "header, encoding",
    [(HEADER_ZH, "utf-8"), (HEADER_EN, "utf-8"), (HEADER_ZH, "gb18030"), ("\ufeff" + HEADER_ZH, "utf-8")],
)
def test_import_creates_then_reimport_changes_nothing(runner, tmp_path, header, encoding):
    path = _write(tmp_path, "u.csv", header + GOOD_ROWS, encoding)
    result = runner.invoke(args=["universities", "import", path])
    assert result.exit_code == 0, result.output
    assert "新建 3" in result.output
    gzu = db.session.scalar(sa.select(University).where(University.code == "GZU"))
    assert (gzu.name, gzu.moe_code, gzu.city, gzu.level, gzu.graduates_count) == (
        "贵州大学",
        "10657",
        "贵阳",
        "本科",
        28000,
    )
    entries = _count(AuditEntry)
    again = runner.invoke(args=["universities", "import", path])
    assert again.exit_code == 0 and "未变 3" in again.output
    assert _count(University) == 3 and _count(AuditEntry) == entries


def test_import_updates_by_code(runner, tmp_path, make_university):
    make_university(code="GZU", name="贵州大学", city="贵阳", graduates_count=1)
    path = _write(tmp_path, "u.csv", HEADER_ZH + "gzu,贵州大学,10657,贵阳,本科,28000\n")
    result = runner.invoke(args=["universities", "import", path])
    assert result.exit_code == 0 and "更新 1" in result.output
    assert db.session.scalar(sa.select(University.graduates_count)) == 28000 and _count(University) == 1


@pytest.mark.parametrize(
    "row, message",
    [
        ("G ZU,贵州大学,10657,贵阳,本科,28000", "第 2 行「代码」：学校代码只能由 2–20 个英文字母或数字组成"),
        (",贵州大学,10657,贵阳,本科,28000", "第 2 行「代码」：请填写学校代码"),
        ("GZU,,10657,贵阳,本科,28000", "第 2 行「院校名称」：请填写院校名称"),
        ("GZU,贵州大学,1065,贵阳,本科,28000", "第 2 行「院校代码」：院校代码应为教育部的 5 位数字代码"),
        ("GZU,贵州大学,10657,,本科,28000", "第 2 行「所在地」：请填写所在地"),
        ("GZU,贵州大学,10657,贵阳,研究生,28000", "第 2 行「办学层次」：办学层次应为“本科”或“高职专科”"),
        ("GZU,贵州大学,10657,贵阳,本科,-3", "第 2 行「毕业生人数」：毕业生人数应为 0 到 1000000 之间的整数"),
        ("GZU,贵州大学,10657,贵阳,本科,99999999999999999999", "第 2 行「毕业生人数」"),
        ("GZU,贵州大学,10657,贵阳,本科,1.5", "第 2 行「毕业生人数」"),
        ("GZU,贵州\x00大学,10657,贵阳,本科,28000", "文件内容不是文本 CSV"),  # a NUL byte: not a text file
    ],
)
def test_import_reports_each_bad_row_and_writes_nothing(runner, tmp_path, row, message):
    path = _write(tmp_path, "u.csv", HEADER_ZH + row + "\nGZNU,贵州师范大学,10663,贵阳,本科,12000\n")
    result = runner.invoke(args=["universities", "import", path])
    assert result.exit_code == 2
    assert message in result.output
    assert _count(University) == 0


def test_import_reports_every_bad_row_and_duplicates(runner, tmp_path, make_university):
    make_university(code="OLD", name="已有学院", moe_code="19999")
    text = HEADER_ZH + (
        "GZU,贵州大学,10657,贵阳,本科,28000\n"
        "gzu,贵州大学二,10658,贵阳,本科,1\n"  # code repeated (case-insensitive)
        "NEW,已有学院,10001,贵阳,本科,1\n"  # name of another stored university
        "NEW2,新学院,19999,贵阳,本科,1\n"  # MoE code of another stored university
        "BAD,坏学院,abc,贵阳,专科,x\n"
    )
    result = runner.invoke(args=["universities", "import", _write(tmp_path, "u.csv", text)])
    assert result.exit_code == 2
    for expected in (
        "第 3 行「代码」：“GZU”与第 2 行重复",
        "第 4 行「院校名称」：“已有学院”已属于学校 OLD",
        "第 5 行「院校代码」：“19999”已属于学校 OLD",
        "第 6 行「院校代码」",
    ):
        assert expected in result.output
    assert _count(University) == 1


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("u.csv", "名称,城市\nx,y\n", "缺少必需的列"),
        ("u.csv", HEADER_ZH, "文件中没有数据行"),
        ("u.txt", HEADER_ZH + GOOD_ROWS, "只能导入 .csv 或 .xlsx 文件"),
        ("u.xlsx", HEADER_ZH + GOOD_ROWS, "扩展名与内容不符"),
        ("u.csv", "代码,code,院校名称,所在地,办学层次,毕业生人数\n", "列重复"),
    ],
)
def test_import_refuses_unreadable_files(runner, tmp_path, name, data, message):
    result = runner.invoke(args=["universities", "import", _write(tmp_path, name, data)])
    assert result.exit_code == 2 and message in result.output


def test_import_is_bounded(runner, tmp_path, monkeypatch):
    from recruit.admin import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    result = runner.invoke(args=["universities", "import", _write(tmp_path, "u.csv", HEADER_ZH + GOOD_ROWS)])
    assert result.exit_code == 2 and "一次最多导入 2 行" in result.output
    monkeypatch.setattr(importer, "MAX_BYTES", 10)
    result = runner.invoke(args=["universities", "import", _write(tmp_path, "u.csv", HEADER_ZH + GOOD_ROWS)])
    assert result.exit_code == 2 and "文件太大" in result.output


def test_xlsx_template_round_trips(runner, tmp_path):
    from recruit.admin import importer

    path = tmp_path / "t.xlsx"
    path.write_bytes(importer.template("xlsx"))
    result = runner.invoke(args=["universities", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(University.code)) == "GZU"


# ------------------------------------------------------------------ the same import in the browser


def test_admin_imports_in_the_browser(client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin)
    page = client.get("/admin/universities/import").get_data(as_text=True)
    assert "/admin/universities/template.xlsx" in page and "flask" not in page
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/admin/universities/template.{fmt}")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    bad = client.post(
        "/admin/universities/import",
        data={"file": (io.BytesIO((HEADER_ZH + "XX,,1,贵阳,本科,1\n").encode()), "u.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "第 2 行「院校名称」" in bad.get_data(as_text=True)
    good = client.post(
        "/admin/universities/import",
        data={"file": (io.BytesIO((HEADER_EN + GOOD_ROWS).encode("gb18030")), "u.csv")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 200 and "新建 3" in good.get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "university.create").limit(1))
    assert entry.actor_id == admin.id and entry.after["level"] in ("本科", "高职专科")


def test_organizer_cannot_import(client, auth, make_user):
    auth.login(make_user("organizer"))
    assert client.get("/admin/universities/import").status_code == 403


def test_an_xlsx_that_would_expand_too_far_is_refused_before_reading(runner, tmp_path, monkeypatch):
    from recruit.admin import importer

    path = tmp_path / "t.xlsx"
    path.write_bytes(importer.template("xlsx"))
    monkeypatch.setattr(importer, "MAX_XLSX_EXPANDED", 1000)
    result = runner.invoke(args=["universities", "import", str(path)])
    assert result.exit_code == 2 and "工作簿解压后过大" in result.output
    assert db.session.scalar(sa.select(sa.func.count(University.id))) == 0
