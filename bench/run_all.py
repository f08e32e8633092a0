"""``make bench``: every benchmark script present in bench/ (about 15 min on 2 cores).

Each entry is run in turn with the venv's Python (``python -m bench.NAME`` from the checkout).
``--only NAME[,NAME]`` picks entries.

    .venv/bin/python -m bench.run_all
    .venv/bin/python -m bench.run_all --only load
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable

#: (name, script, arguments): the matching library at province scale (273,000 intentions x 50,000
#: postings, three runs of the batch; ``--intentions``/``--postings`` make it smaller), then the
#: app-level benchmarks, then the load run.
BENCHES = (
    ("match", "match_bench.py", ["--baseline-sample", "5000"]),
    ("feeds", "feed_bench.py", []),
    ("matches_page", "matches_page_bench.py", []),
    ("import", "import_bench.py", []),
    ("load", "load.py", []),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="comma-separated names: " + ", ".join(b[0] for b in BENCHES))
    args = ap.parse_args()
    only = {x for x in args.only.split(",") if x}
    failed = []
    for name, script, extra in BENCHES:
        if only and name not in only:
            continue
        path = HERE / script
        print(f"== {name}: bench/{script} {' '.join(extra)} ==", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.run([PYTHON, "-m", f"bench.{path.stem}", *extra], cwd=HERE.parent).returncode
        print(f"== {name}: exit {rc} in {time.perf_counter() - t0:.0f} s ==\n", flush=True)
        if rc != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
