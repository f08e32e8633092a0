"""How fast the bounded reader (recruit/core/tabular.py) refuses the import bombs of issue 12.

Builds each bomb in memory (the same constructions as tests/security/test_security_import_bombs.py)
and times ``open_table`` until it refuses, with the default limits (50,000 rows, 50 columns).

Usage::

    .venv/bin/python bench/import_bombs.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recruit.core.tabular import TableError, TableLimits, open_table  # noqa: E402
from tests.security.test_security_import_bombs import header_row, xlsx  # noqa: E402


def bombs():
    yield "xlsx, <dimension> A1:XFD1048576", xlsx(header_row(), dimension="A1:XFD1048576"), "d.xlsx"
    yield (
        "xlsx, one row numbered 5,000,000",
        xlsx(header_row() + b'<row r="5000000"><c r="A5000000"><v>1</v></c></row>'),
        "f.xlsx",
    )
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 200_002))
    yield "xlsx, 200,000 real rows", xlsx(header_row() + rows), "m.xlsx"
    yield "csv, 5,200,000 tiny rows (10 MB)", "学号,姓名\n".encode() + b"1\n" * 5_200_000, "t.csv"
    yield "csv, 200,000 blank rows", "学号,姓名\n".encode() + b",\n" * 200_000, "b.csv"


def main() -> None:
    print(f"{'bomb':40} {'size':>12} {'refused in':>11}  message")
    for name, data, filename in bombs():
        start = time.perf_counter()
        try:
            _header, rows = open_table(data, filename, TableLimits())
            for _ in rows:
                pass
            message = "(accepted!)"
        except TableError as error:
            message = error.message
        print(f"{name:40} {len(data):>10} B {time.perf_counter() - start:>9.2f} s  {message[:60]}")


if __name__ == "__main__":
    main()
