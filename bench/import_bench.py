"""Benchmark of the organizer imports: 10,000 graduates and 10,000 postings, all or nothing.

Generates the files (CSV and XLSX), then imports each into a fresh database and times: the
first import (all created), the re-import (all unchanged) and, for the CSV, the CLI command
``flask --app wsgi import graduates FILE`` end to end (process start included).

Usage::

    .venv/bin/python -m bench.import_bench                     # SQLite in a temporary directory
    .venv/bin/python -m bench.import_bench --rows 20000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/recruit_bench .venv/bin/python -m bench.import_bench
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAJORS = (
    "计算机科学与技术",
    "软件工程",
    "会计学",
    "机械设计制造及其自动化",
    "临床医学",
    "化学工程与工艺",
    "旅游管理",
    "汉语言文学",
)
POSITIONS = ("Java开发", "数据分析", "会计", "机械设计", "护士", "化工工艺", "导游", "文案编辑")
SKILLS = (
    "Java、Spring Boot、MySQL",
    "Python、pandas、SQL",
    "财务报表、用友",
    "CAD、SolidWorks",
    "护理、急救",
    "化工原理",
    "英语导游证",
    "写作、排版",
)


def graduates_rows(n: int):
    from recruit.organizer.importers import GRADUATE_COLUMNS
    from recruit.validation import CITIES, DEGREES, INDUSTRIES

    rnd = random.Random(5)
    yield [h for h, _f in GRADUATE_COLUMNS]
    for i in range(n):
        k = rnd.randrange(len(MAJORS))
        yield [
            f"2026{i:06d}",
            f"学生{i}",
            MAJORS[k],
            rnd.choice(DEGREES[:3]),
            2026,
            f"138{i:08d}",
            f"s{i}@example.edu.cn",
            rnd.choice("是否否否否"),
            rnd.choice("是否否否"),
            rnd.choice("否" * 20 + "是"),
            rnd.choice("是否"),
            "、".join(rnd.sample(INDUSTRIES, 2)),
            POSITIONS[k],
            "、".join(rnd.sample(CITIES, 2)),
            rnd.randrange(3000, 15000, 500),
            SKILLS[k],
            f"我是{MAJORS[k]}专业的毕业生，希望从事{POSITIONS[k]}相关工作。" * 3,
        ]


def postings_rows(n: int, codes: list[str]):
    from recruit.organizer.importers import POSTING_COLUMNS
    from recruit.validation import CITIES, DEGREES, INDUSTRIES

    rnd = random.Random(7)
    yield [h for h, _f in POSTING_COLUMNS]
    for i in range(n):
        k = rnd.randrange(len(MAJORS))
        low = rnd.randrange(3000, 12000, 500)
        yield [
            codes[i % len(codes)],
            f"{POSITIONS[k]}岗位{i}",
            f"负责{POSITIONS[k]}工作，要求熟悉{SKILLS[k]}。" * 4,
            rnd.choice(INDUSTRIES),
            MAJORS[k] if rnd.random() < 0.7 else "",
            rnd.choice(DEGREES[:3]),
            rnd.choice(CITIES),
            low,
            low + 3000,
            rnd.randrange(1, 20),
            "2027-06-30",
        ]


def write(path: Path, rows) -> None:
    from recruit.core.spreadsheets import to_csv, to_xlsx

    rows = list(rows)
    data = to_xlsx(rows[0], rows[1:]) if path.suffix == ".xlsx" else to_csv(rows[0], rows[1:])
    path.write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="recruit-import-bench-"))
    os.environ.setdefault("RECRUIT_INSTANCE_DIR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    from flask_migrate import upgrade

    from recruit import create_app
    from recruit.employers.models import Employer
    from recruit.extensions import db
    from recruit.organizer import importers
    from recruit.universities.models import University
    from recruit.validation import credit_code_check_char

    app = create_app()
    results = []
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            import sqlalchemy as sa

            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        upgrade()
        university = University(code="BENCH", name="基准大学", city="贵阳", majors=list(MAJORS))
        codes = []
        for i in range(200):
            first = f"915201{i:011d}"[:17]
            codes.append(first + credit_code_check_char(first))
            db.session.add(
                Employer(
                    name=f"基准单位{i}",
                    credit_code=codes[-1],
                    industry="大数据电子信息",
                    city="贵阳",
                    status="approved",
                )
            )
        db.session.add(university)
        db.session.commit()
        for fmt in ("csv", "xlsx"):
            gpath, ppath = tmp / f"graduates.{fmt}", tmp / f"postings.{fmt}"
            write(gpath, graduates_rows(args.rows))
            write(ppath, postings_rows(args.rows, codes))
            for label, fn in (
                ("graduates", lambda p: importers.import_graduates(p.read_bytes(), p.name, university)),
                ("postings", lambda p: importers.import_postings(p.read_bytes(), p.name)),
            ):
                path = gpath if label == "graduates" else ppath
                for run in ("first", "again"):
                    start = time.perf_counter()
                    report = fn(path)
                    elapsed = time.perf_counter() - start
                    assert report.ok, report.lines()[:5]
                    results.append((f"{label} {fmt} {run}", elapsed, report.summary()))
                    print(f"{label:9} {fmt:4} {run:5} {elapsed:6.2f} s  {report.summary()}", flush=True)
            if fmt == "csv":
                # A fresh university so the CLI creates every row again.
                db.session.add(University(code="BENCH2", name="基准大学二", city="贵阳", majors=list(MAJORS)))
                db.session.commit()
        db.engine.dispose()
    start = time.perf_counter()
    proc = subprocess.run(
        [
            str(ROOT / ".venv/bin/flask"),
            "--app",
            "wsgi",
            "import",
            "graduates",
            str(tmp / "graduates.csv"),
            "--university",
            "BENCH2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    elapsed = time.perf_counter() - start
    print(
        f"CLI: flask --app wsgi import graduates graduates.csv --university BENCH2: {elapsed:.2f} s, "
        f"exit {proc.returncode}: {proc.stdout.strip()}"
    )
    if proc.returncode:
        print(proc.stderr[-2000:])


if __name__ == "__main__":
    main()
