"""All-or-nothing imports of graduates (with intentions) and postings, CSV and XLSX, and the CLI."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.core import spreadsheets
from recruit.organizer import exporters, importers

G_HEADER = [
    "学号",
    "姓名",
    "专业",
    "学历",
    "毕业年份",
    "手机",
    "邮箱",
    "低收入家庭",
    "少数民族",
    "残疾",
    "向用人单位公开",
    "意向行业",
    "意向岗位",
    "意向城市",
    "期望月薪",
    "技能",
    "求职陈述",
]
P_HEADER = [
    "单位统一社会信用代码",
    "岗位名称",
    "岗位描述",
    "行业",
    "专业要求",
    "最低学历",
    "工作城市",
    "最低月薪",
    "最高月薪",
    "招聘人数",
    "截止日期",
]


def grow(number="2026001", **kw):
    row = dict(
        zip(
            G_HEADER,
            [
                number,
                "张三",
                "计算机科学与技术",
                "本科",
                "2026",
                "13800000000",
                "zs@example.com",
                "是",
                "否",
                "否",
                "是",
                "软件和信息技术服务、磷化工/现代化工",
                "Java开发",
                "贵阳、遵义",
                "6000",
                "Java、SQL",
                "想做后端开发",
            ],
        )
    )
    row.update(kw)
    return [row[h] for h in G_HEADER]


def prow(code, title="Java后端开发工程师", **kw):
    row = dict(
        zip(
            P_HEADER,
            [
                code,
                title,
                "负责后端服务",
                "软件和信息技术服务",
                "计算机科学与技术、软件工程",
                "本科",
                "贵阳",
                "6000",
                "9000",
                "3",
                "2027-06-30",
            ],
        )
    )
    row.update(kw)
    return [row[h] for h in P_HEADER]


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def graduates(university):
    from recruit.graduates.models import Graduate

    return db.session.scalars(
        sa.select(Graduate).where(Graduate.university_id == university.id).order_by(Graduate.student_number)
    ).all()


def postings():
    from recruit.employers.models import Posting

    return db.session.scalars(sa.select(Posting).order_by(Posting.id)).all()


def test_good_file_creates_confirmed_graduates_with_intentions(app, make_university):
    university = make_university()
    data = csv_bytes(
        G_HEADER,
        [
            grow("1"),
            grow("2", **{"意向行业": "", "意向岗位": "", "意向城市": "", "期望月薪": "", "技能": "", "求职陈述": ""}),
        ],
    )
    report = importers.import_graduates(data, "g.csv", university)
    assert report.ok and (report.created, report.updated, report.unchanged) == (2, 0, 0)
    first, second = graduates(university)
    assert first.confirmed and first.low_income and not first.ethnic_minority and first.visible_to_employers
    assert first.intention.industries == ["软件和信息技术服务", "磷化工/现代化工"]
    assert first.intention.cities == ["贵阳", "遵义"] and first.intention.salary_expectation == 6000
    assert second.intention is None


def test_bad_row_in_the_middle_writes_nothing(app, make_university):
    university = make_university()
    data = csv_bytes(G_HEADER, [grow("1"), grow("2"), grow("3", **{"毕业年份": "二〇二六"}), grow("4"), grow("5")])
    report = importers.import_graduates(data, "g.csv", university)
    assert not report.ok
    assert graduates(university) == []
    assert [(e.row, e.column) for e in report.errors] == [(4, "毕业年份")]
    assert "须为整数" in report.errors[0].message
    assert "第 4 行「毕业年份」" in report.lines()[1]
    assert "未写入任何数据" in report.summary()


def test_bad_posting_in_the_middle_writes_nothing(app, make_employer):
    employer = make_employer()
    data = csv_bytes(
        P_HEADER,
        [
            prow(employer.credit_code, "岗位一"),
            prow(employer.credit_code, "岗位二", **{"最低学历": "高中"}),
            prow(employer.credit_code, "岗位三"),
        ],
    )
    report = importers.import_postings(data, "p.csv")
    assert not report.ok and postings() == []
    assert [(e.row, e.column) for e in report.errors] == [(3, "最低学历")]


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("学号", "", "不能为空"),
        ("学号", "1" * 33, "不能超过 32 个字符"),
        ("姓名", "", "不能为空"),
        ("姓名", "名" * 101, "不能超过 100 个字符"),
        ("专业", "", "不能为空"),
        ("学历", "高中", "须为 专科、本科、硕士 或 博士"),
        ("学历", "", "不能为空"),
        ("毕业年份", "1999", "不能小于 2000"),
        ("毕业年份", "abc", "须为整数"),
        ("毕业年份", "", "不能为空"),
        ("手机", "call me", "电话号码格式不正确"),
        ("邮箱", "not-an-email", "邮箱格式不正确"),
        ("低收入家庭", "也许", "须填“是”或“否”"),
        ("向用人单位公开", "maybe", "须填“是”或“否”"),
        ("意向行业", "挖矿", "不在行业列表中"),
        ("意向岗位", "岗" * 61, "每项不能超过 60 个字符"),
        ("意向城市", "、".join(f"城{i}" for i in range(21)), "最多填写 20 项"),
        ("期望月薪", "-1", "不能小于 0"),
        ("期望月薪", "面议", "须为整数"),
        ("技能", "技" * 501, "不能超过 500 个字符"),
        ("求职陈述", "述" * 2001, "不能超过 2000 个字符"),
    ],
)
def test_graduate_validation_messages(app, make_university, column, value, message):
    university = make_university()
    report = importers.import_graduates(
        csv_bytes(G_HEADER, [grow("1"), grow("2", **{column: value})]), "g.csv", university
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    assert graduates(university) == []


def test_duplicate_student_number_in_file(app, make_university):
    university = make_university()
    report = importers.import_graduates(csv_bytes(G_HEADER, [grow("7"), grow("8"), grow("7")]), "g.csv", university)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(4, "学号", "与第 2 行的学号重复")]


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("单位统一社会信用代码", "", "不能为空"),
        ("单位统一社会信用代码", "91520100000000000X", "格式或校验位不正确"),
        ("岗位名称", "", "不能为空"),
        ("岗位名称", "岗" * 121, "不能超过 120 个字符"),
        ("岗位描述", "述" * 5001, "不能超过 5000 个字符"),
        ("行业", "挖矿", "不在行业列表中"),
        ("行业", "", "不能为空"),
        ("最低学历", "高中", "须为 专科、本科、硕士 或 博士"),
        ("工作城市", "", "不能为空"),
        ("最低月薪", "五千", "须为整数"),
        ("最高月薪", "3000", "不能低于最低月薪"),
        ("招聘人数", "0", "不能小于 1"),
        ("截止日期", "明年", "日期格式应为 2026-06-30"),
        ("截止日期", "2026-02-30", "日期格式应为 2026-06-30"),
        ("截止日期", "9999-12-31", "截止日期不能晚于一年之后"),
    ],
)
def test_posting_validation_messages(app, make_employer, column, value, message):
    employer = make_employer()
    data = csv_bytes(
        P_HEADER, [prow(employer.credit_code, "好岗位"), prow(employer.credit_code, "坏岗位", **{column: value})]
    )
    report = importers.import_postings(data, "p.csv")
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    assert postings() == []


@pytest.mark.parametrize(
    "status, message", [("pending", "尚未通过认证"), ("rejected", "尚未通过认证"), (None, "未找到")]
)
def test_posting_employer_must_exist_and_be_approved(app, make_employer, status, message):
    from tests.conftest import credit_code

    code = make_employer(status=status).credit_code if status else credit_code(987654)
    report = importers.import_postings(csv_bytes(P_HEADER, [prow(code)]), "p.csv")
    assert report.errors[0].column == "单位统一社会信用代码" and message in report.errors[0].message


def test_duplicate_posting_title_in_file(app, make_employer):
    employer = make_employer()
    report = importers.import_postings(
        csv_bytes(P_HEADER, [prow(employer.credit_code), prow(employer.credit_code)]), "p.csv"
    )
    assert (report.errors[0].row, report.errors[0].column) == (3, "岗位名称") and "与第 2 行重复" in report.errors[
        0
    ].message


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("g.txt", b"a,b", "只能导入 .csv 或 .xlsx 文件"),
        ("g.xlsx", "学号,姓名\n".encode(), "不是有效的 XLSX"),
        ("g.csv", b"PK\x03\x04rest-of-a-zip", "不是文本 CSV"),
        ("g.csv", b"", "没有表头"),
        ("g.csv", "学号,姓名,专业,学历,毕业年份\n".encode(), "没有数据行"),
        ("g.csv", "学号,姓名\n1,张三\n".encode(), "缺少必需的列：专业、学历、毕业年份"),
        ("g.csv", "学号,姓名,专业,学历,毕业年份,爱好\n1,张三,会计学,本科,2026,唱歌\n".encode(), "无法识别的列：爱好"),
        ("g.csv", "学号,姓名,专业,学历,毕业年份,姓名\n1,张三,会计学,本科,2026,张三\n".encode(), "列名重复：姓名"),
        ("g.csv", b"\xff\xfe\x00\x00garbage\x81", "不是文本 CSV"),
        ("g.csv", b"\x81\x30\x81", "无法识别文件编码"),
    ],
)
def test_file_level_errors(app, make_university, filename, data, message):
    university = make_university()
    report = importers.import_graduates(data, filename, university)
    assert not report.ok and report.errors[0].row is None
    assert message in report.errors[0].message, report.errors
    assert graduates(university) == []


def test_reimport_changes_nothing_and_update_is_counted(app, make_university):
    university = make_university()
    data = csv_bytes(G_HEADER, [grow("1"), grow("2")])
    assert importers.import_graduates(data, "g.csv", university).created == 2
    before = {g.id: (g.name, g.intention.updated_at) for g in graduates(university)}
    again = importers.import_graduates(data, "g.csv", university)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    db.session.expire_all()
    assert {g.id: (g.name, g.intention.updated_at) for g in graduates(university)} == before
    changed = importers.import_graduates(
        csv_bytes(G_HEADER, [grow("1"), grow("2", **{"技能": "Go"})]), "g.csv", university
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    db.session.expire_all()
    assert graduates(university)[1].intention.skills == "Go"


def test_import_confirms_a_self_registered_graduate_and_keeps_other_universities(app, make_university, make_graduate):
    university, other = make_university(), make_university()
    mine = make_graduate(university=university, student_number="1", confirmed=False)
    theirs = make_graduate(university=other, student_number="1", name="别校学生")
    report = importers.import_graduates(csv_bytes(G_HEADER, [grow("1")]), "g.csv", university)
    assert (report.created, report.updated) == (0, 1)
    db.session.expire_all()
    assert mine.confirmed and mine.name == "张三"
    assert theirs.name == "别校学生"


def test_posting_reimport_is_idempotent_and_upserts_by_title(app, make_employer):
    employer = make_employer()
    data = csv_bytes(
        P_HEADER, [prow(employer.credit_code, "岗位一"), prow(employer.credit_code, "岗位二", **{"最高月薪": ""})]
    )
    first = importers.import_postings(data, "p.csv")
    assert first.ok and first.created == 2
    one, two = postings()
    assert two.salary_max == two.salary_min == 6000 and one.majors == ["计算机科学与技术", "软件工程"]
    again = importers.import_postings(data, "p.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = importers.import_postings(
        csv_bytes(P_HEADER, [prow(employer.credit_code, "岗位一", **{"招聘人数": "9"})]), "p.csv"
    )
    assert (changed.created, changed.updated) == (0, 1)
    db.session.expire_all()
    assert len(postings()) == 2 and postings()[0].headcount == 9


def test_import_bumps_the_matching_version(app, make_university):
    from recruit.core.models import AppState

    def version():
        row = db.session.get(AppState, "matching.data_version")
        return int(row.value) if row else 0

    university = make_university()
    before = version()
    importers.import_graduates(csv_bytes(G_HEADER, [grow("1")]), "g.csv", university)
    db.session.expire_all()
    assert version() == before + 1
    importers.import_graduates(csv_bytes(G_HEADER, [grow("1")]), "g.csv", university)
    db.session.expire_all()
    assert version() == before + 1  # nothing changed, nothing announced


@pytest.mark.parametrize("bom", [False, True])
def test_utf8_csv_with_or_without_bom(app, make_university, bom):
    university = make_university()
    data = csv_bytes(G_HEADER, [grow("1")])
    report = importers.import_graduates((b"\xef\xbb\xbf" if bom else b"") + data, "g.csv", university)
    assert report.ok and graduates(university)[0].name == "张三"


def test_gb18030_csv(app, make_university):
    university = make_university()
    data = csv_bytes(G_HEADER, [grow("1", **{"姓名": "龘䶮"})], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = importers.import_graduates(data, "g.csv", university)
    assert report.ok, report.lines()
    assert graduates(university)[0].name == "龘䶮" and graduates(university)[0].major == "计算机科学与技术"


def test_xlsx_round_trip_is_unchanged(app, make_university, make_employer):
    from openpyxl import Workbook

    university = make_university()
    employer = make_employer()
    wb = Workbook()
    ws = wb.active
    ws.append(G_HEADER)
    ws.append(
        [
            2026001,
            "张三",
            "会计学",
            "本科",
            2026,
            "",
            "",
            "否",
            "是",
            "否",
            "否",
            "金融",
            "会计",
            "贵阳",
            5000,
            "用友",
            "踏实",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    assert importers.import_graduates(buf.getvalue(), "g.xlsx", university).created == 1
    assert graduates(university)[0].student_number == "2026001"
    for fmt in ("xlsx", "csv"):
        data = spreadsheets.render(fmt, exporters.graduate_headers(True), exporters.graduate_rows(university, True))
        report = importers.import_graduates(data, f"export.{fmt}", university)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1), report.lines()
    assert importers.import_postings(csv_bytes(P_HEADER, [prow(employer.credit_code)]), "p.csv").created == 1
    for fmt in ("xlsx", "csv"):
        data = spreadsheets.render(fmt, exporters.posting_headers(), exporters.posting_rows())
        report = importers.import_postings(data, f"postings.{fmt}")
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1), report.lines()


def test_formula_injection_is_neutralised_and_round_trips(app, make_university):
    from openpyxl import load_workbook

    university = make_university()
    evil = '=HYPERLINK("http://evil.example","点我")'
    report = importers.import_graduates(
        csv_bytes(G_HEADER, [grow("1", **{"姓名": evil, "技能": "@SUM(A1)", "手机": "+86 138 0013 8000"})]),
        "g.csv",
        university,
    )
    assert report.ok and graduates(university)[0].name == evil
    text = spreadsheets.render(
        "csv", exporters.graduate_headers(True), exporters.graduate_rows(university, True)
    ).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'+86 138 0013 8000" in text
    assert ",=" not in text and ",@" not in text
    data = spreadsheets.render("xlsx", exporters.graduate_headers(True), exporters.graduate_rows(university, True))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    values = [c.value for c in sheet[2]]
    assert values[1] == "'" + evil and sheet.cell(2, 2).data_type == "s"
    for cell in ("-1+1", "\tx", "\rx"):
        assert spreadsheets.neutralise(cell) == "'" + cell
    assert spreadsheets.neutralise("正常") == "正常" and spreadsheets.neutralise(-5) == -5
    again = importers.import_graduates(data, "g.xlsx", university)
    assert again.unchanged == 1, again.lines()


def test_export_csv_has_bom_and_key_groups_only_when_asked(app, make_university, make_graduate):
    university = make_university()
    make_graduate(university=university, low_income=True)
    with_flags = spreadsheets.render("csv", exporters.graduate_headers(True), exporters.graduate_rows(university, True))
    without = spreadsheets.render("csv", exporters.graduate_headers(False), exporters.graduate_rows(university, False))
    assert with_flags.startswith(b"\xef\xbb\xbf") and "低收入家庭" in with_flags.decode("utf-8-sig")
    assert all(word not in without.decode("utf-8-sig") for word in ("低收入家庭", "少数民族", "残疾"))


@pytest.mark.parametrize(
    "what, fmt", [("graduates", "csv"), ("graduates", "xlsx"), ("postings", "csv"), ("postings", "xlsx")]
)
def test_templates_import_as_empty_files(app, make_university, what, fmt):
    data = exporters.template(what, fmt)
    header, body = importers.read_table(data, f"t.{fmt}")
    assert header[0] == ("学号" if what == "graduates" else "单位统一社会信用代码") and body == []


def test_cli_import_graduates(app, runner, make_university, tmp_path):
    university = make_university(code="CLI1")
    good = tmp_path / "g.csv"
    good.write_bytes(csv_bytes(G_HEADER, [grow("1"), grow("2")]))
    result = runner.invoke(args=["import", "graduates", str(good), "--university", "CLI1"])
    assert result.exit_code == 0, result.output
    assert "新建 2" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(G_HEADER, [grow("3"), grow("4", **{"学历": "高中"})]))
    result = runner.invoke(args=["import", "graduates", str(bad), "--university", "CLI1"])
    assert result.exit_code == 2
    assert "第 3 行「学历」" in result.output
    assert len(graduates(university)) == 2


def test_cli_needs_a_known_university(app, runner, make_university, tmp_path):
    make_university(), make_university()
    path = tmp_path / "g.csv"
    path.write_bytes(csv_bytes(G_HEADER, [grow("1")]))
    assert runner.invoke(args=["import", "graduates", str(path)]).exit_code == 2
    result = runner.invoke(args=["import", "graduates", str(path), "--university", "NOPE"])
    assert result.exit_code == 2 and "NOPE" in result.output


def test_cli_import_postings(app, runner, make_employer, tmp_path):
    employer = make_employer()
    path = tmp_path / "p.xlsx"
    path.write_bytes(spreadsheets.to_xlsx(P_HEADER, [prow(employer.credit_code)]))
    result = runner.invoke(args=["import", "postings", str(path)])
    assert result.exit_code == 0 and "新建 1" in result.output
    bad = tmp_path / "p.csv"
    bad.write_bytes(csv_bytes(P_HEADER, [prow("91520100000000000X")]))
    assert runner.invoke(args=["import", "postings", str(bad)]).exit_code == 2


def test_a_zip_that_is_not_a_workbook_is_refused(app, make_university):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    report = importers.import_graduates(buf.getvalue(), "renamed.xlsx", make_university())
    assert not report.ok and "无法读取 XLSX 工作簿" in report.errors[0].message
