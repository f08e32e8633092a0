"""The domains' import graph: services and models depend on lower domains only.

Routes, commands and listeners (the web, CLI and event layer) may import any domain's
services; below that layer a domain never imports one that imports it back (a lower layer
that must reach up sends a signal from recruit/signals.py instead).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

RECRUIT = Path(__file__).resolve().parent.parent / "recruit"
TOP_LAYER = {"routes", "commands", "handlers"}


def _domain_edges() -> dict[str, dict[str, set[str]]]:
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in RECRUIT.glob("*/*.py"):
        domain, module = path.parent.name, path.stem
        if module in TOP_LAYER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("recruit."):
                target = node.module.split(".")[1]
                if target != domain and (RECRUIT / target).is_dir():
                    edges[domain][target].add(f"{module} -> {node.module}")
    return edges


def test_no_two_domains_import_each_other_below_the_routes():
    edges = _domain_edges()
    both_ways = sorted(
        f"{a} <-> {b}: {sorted(edges[a][b])} / {sorted(edges[b][a])}"
        for a in edges
        for b in edges[a]
        if a < b and a in edges.get(b, {})
    )
    assert not both_ways, both_ways


def test_the_check_sees_a_cycle(tmp_path, monkeypatch):
    """The check above can fail: two made-up domains importing each other are reported."""
    for name, other in (("alpha", "beta"), ("beta", "alpha")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "services.py").write_text(f"from recruit.{other}.models import X\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["RECRUIT"]), "RECRUIT", tmp_path)
    edges = _domain_edges()
    assert "alpha" in edges["beta"] and "beta" in edges["alpha"]
