"""Write constraints.txt: exact versions of the requirements files' packages and all they need.

Run by `make lock` with the venv the suite passed in: .venv/bin/python scripts/lock_constraints.py
requirements.txt requirements-dev.txt requirements-e2e.txt > constraints.txt
"""

from __future__ import annotations

import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

roots: list[Requirement] = []
for f in sys.argv[1:]:
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#")[0].strip()
            if line:
                roots.append(Requirement(line))
seen: dict[tuple, str] = {}


def visit(req: Requirement, extras: tuple = ()) -> None:
    """Record ``req``'s installed version and walk what it requires (markers as installed)."""
    name = canonicalize_name(req.name)
    try:
        dist = metadata.distribution(req.name)
    except metadata.PackageNotFoundError:
        print("missing", req.name, file=sys.stderr)
        return
    key = (name, tuple(sorted(set(extras) | set(req.extras))))
    if key in seen:
        return
    seen[key] = dist.version
    for r in dist.requires or []:
        rq = Requirement(r)
        envs = [{"extra": e} for e in (set(req.extras) | set(extras) | {""})]
        if rq.marker is None or any(rq.marker.evaluate(e) for e in envs):
            visit(rq)


for r in roots:
    visit(r)
pins = {}
for name, _extras in seen:
    pins[name] = metadata.distribution(name).metadata["Name"], metadata.distribution(name).version
print("# Exact versions the suite was run with: every package of requirements.txt,")
print("# requirements-dev.txt and requirements-e2e.txt and everything they pull in.")
print("# Install with -c constraints.txt; regenerate after changing a requirement (see Makefile: lock).")
for name in sorted(pins):
    print(f"{pins[name][0]}=={pins[name][1]}")
