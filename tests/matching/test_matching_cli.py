import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "matching", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60
    )


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


P = [
    dict(id="p1", title="Java后端开发工程师", description="后端开发，Spring Boot", education="本科", city="贵阳"),
    dict(id="p2", title="临床护士", description="病区护理", education="专科", city="遵义"),
]
I = [
    dict(id="g1", major="软件工程", education="本科", positions=["Java开发"], statement="想做后端开发"),
    dict(id="g2", major="护理", education="专科", positions=["护士"], statement="想当护士"),
]


def inproc(args, capsys, monkeypatch, stdin=None):
    import io

    from matching.cli import main

    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(args)
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def test_cli_rank_and_reverse(tmp_path, capsys, monkeypatch):
    write(tmp_path / "p.jsonl", P)
    write(tmp_path / "i.jsonl", I)
    r = inproc(
        ["rank", "--postings", str(tmp_path / "p.jsonl"), "--intentions", "-", "--top", "1"],
        capsys,
        monkeypatch,
        stdin="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in I),
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["intention"] == "g1" and lines[0]["matches"][0]["posting"] == "p1"
    assert lines[1]["matches"][0]["posting"] == "p2"
    assert "共同关键词" not in r.stdout  # codes plus data; --text adds the sentences
    first = lines[0]["matches"][0]
    assert first["band"] in ("strong", "good", "fair")
    assert first["reasons"][0]["code"] == "terms" and first["reasons"][0]["terms"]
    r = inproc(
        [
            "rank",
            "--postings",
            str(tmp_path / "p.jsonl"),
            "--intentions",
            str(tmp_path / "i.jsonl"),
            "--top",
            "1",
            "--text",
        ],
        capsys,
        monkeypatch,
    )
    assert json.loads(r.stdout.splitlines()[0])["matches"][0]["reasons"][0]["text"].startswith("共同关键词：")
    r = inproc(
        ["rank", "--postings", str(tmp_path / "p.jsonl"), "--intentions", str(tmp_path / "i.jsonl"), "--reverse"],
        capsys,
        monkeypatch,
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["posting"] == "p1" and [m["intention"] for m in lines[0]["matches"]] == ["g1"]


def test_cli_bad_line_exit_2(tmp_path, capsys, monkeypatch):
    write(tmp_path / "p.jsonl", P + [dict(id="p3", title="x", education="幼儿园")])
    write(tmp_path / "i.jsonl", I)
    r = run(["rank", "--postings", str(tmp_path / "p.jsonl"), "--intentions", str(tmp_path / "i.jsonl")])
    assert r.returncode == 2
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "line 3" in err and "education" in err
    write(tmp_path / "p.jsonl", P)
    (tmp_path / "i2.jsonl").write_text('{"id": "g1"}\n{not json\n', encoding="utf-8")
    r = inproc(
        ["rank", "--postings", str(tmp_path / "p.jsonl"), "--intentions", str(tmp_path / "i2.jsonl")],
        capsys,
        monkeypatch,
    )
    assert "line 2" in r.stderr
    assert r.returncode == 2


def test_cli_evaluate(tmp_path, capsys, monkeypatch):
    write(tmp_path / "p.jsonl", P)
    write(tmp_path / "i.jsonl", I)
    (tmp_path / "q.tsv").write_text("g1\tp1\t2\ng2\tp2\t1\n", encoding="utf-8")
    r = inproc(
        [
            "evaluate",
            "--postings",
            str(tmp_path / "p.jsonl"),
            "--intentions",
            str(tmp_path / "i.jsonl"),
            "--qrels",
            str(tmp_path / "q.tsv"),
            "--detail",
        ],
        capsys,
        monkeypatch,
    )
    assert r.returncode == 0, r.stderr
    assert "nDCG@10=1.0000" in r.stdout and "MRR=1.0000" in r.stdout and r.stdout.count("\n") == 3


def test_warm_compiles_the_batch_kernel(capsys, monkeypatch):
    from matching import bound

    if not bound.available():
        import pytest

        pytest.skip("numba is not installed")
    r = inproc(["warm"], capsys, monkeypatch)
    assert r.returncode == 0 and r.stdout.startswith("batch kernel ready in ") and r.stderr == ""


def test_warm_without_numba_says_so(capsys, monkeypatch):
    from matching import bound

    monkeypatch.setattr(bound, "available", lambda: False)
    r = inproc(["warm"], capsys, monkeypatch)
    assert r.returncode == 2 and "numba is not installed" in r.stderr and r.stdout == ""


def test_worker_processes_write_what_one_process_writes(tmp_path, capsys, monkeypatch):
    """The development set ranked with reasons by worker processes (tasks of 5 intentions, so
    many of them, finishing out of order) is byte-identical to the same run in one process: the
    same lines in input order, a repeated id repeating its (last record's) line."""
    import gc
    import multiprocessing

    from matching import cli

    data = os.path.join(ROOT, "bench", "data")
    with open(os.path.join(data, "intentions.jsonl"), encoding="utf-8") as f:
        intentions = [json.loads(x) for x in f if x.strip()]
    again = dict(intentions[3], id=intentions[0]["id"], positions=["临床护士"])
    write(tmp_path / "i.jsonl", intentions + [again])
    monkeypatch.setattr(cli, "_TASK", 5)
    forks = []
    real = multiprocessing.get_context
    monkeypatch.setattr(cli.multiprocessing, "get_context", lambda m=None: forks.append(m) or real(m))
    args = ["rank", "--postings", os.path.join(data, "postings.jsonl"), "--intentions", str(tmp_path / "i.jsonl")]
    one = inproc(args + ["--processes", "0", "--text"], capsys, monkeypatch)
    assert forks == []
    many = inproc(args + ["--processes", "2", "--text"], capsys, monkeypatch)
    assert forks == ["fork"]
    assert one.returncode == many.returncode == 0, many.stderr
    assert many.stdout == one.stdout
    lines = many.stdout.splitlines()
    assert len(lines) == len(intentions) + 1
    assert lines[0] == lines[-1] and json.loads(lines[0])["matches"][0]["reasons"]
    write(tmp_path / "last.jsonl", [again])
    alone = inproc(args[:-1] + [str(tmp_path / "last.jsonl"), "--processes", "0", "--text"], capsys, monkeypatch)
    assert alone.stdout.splitlines() == [lines[0]]
    assert gc.isenabled()  # the run turns the cycle collector off and back on
    write(tmp_path / "few.jsonl", intentions[1:9])  # fewer than two tasks: not worth forking
    few = inproc(args[:-1] + [str(tmp_path / "few.jsonl"), "--processes", "2", "--text"], capsys, monkeypatch)
    assert forks == ["fork"] and few.stdout.splitlines() == lines[1:9]


def test_reader_going_away_stops_the_run_quietly(tmp_path):
    """``python -m matching rank ... | head -1``: the reader closes the pipe after one line; the run
    (and its worker processes: 600 intentions, enough for them) stop without a traceback."""
    data = os.path.join(ROOT, "bench", "data")
    with open(os.path.join(data, "intentions.jsonl"), encoding="utf-8") as f:
        dev = [json.loads(x) for x in f if x.strip()]
    write(tmp_path / "i.jsonl", [dict(dev[n % len(dev)], id=f"q{n}") for n in range(600)])
    p = subprocess.Popen(
        [sys.executable, "-m", "matching", "rank", "--postings", os.path.join(data, "postings.jsonl")]
        + ["--intentions", str(tmp_path / "i.jsonl"), "--processes", "2", "--text"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert p.stdout.readline().startswith(b'{"intention": ')
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 1
    assert err == ""


def test_a_killed_worker_ends_the_run_with_a_message(tmp_path, capsys, monkeypatch):
    """A worker process that dies (the out-of-memory killer, a signal) ends the run with exit
    status 1 and one line, instead of a wait for a task that will never finish."""
    from matching import Matcher, cli

    data = os.path.join(ROOT, "bench", "data")
    monkeypatch.setattr(cli, "_TASK", 5)
    monkeypatch.setattr(Matcher, "explain_items", lambda self, items, explain=True: os._exit(9))  # in the workers
    args = ["rank", "--postings", os.path.join(data, "postings.jsonl")]
    r = inproc(args + ["--intentions", os.path.join(data, "intentions.jsonl"), "--processes", "2"], capsys, monkeypatch)
    assert r.returncode == 1
    assert r.stderr == "error: a worker process stopped; try --processes 0\n"


@pytest.mark.parametrize("count", ["-1", "65", "99999999999999999999"])
def test_a_process_count_out_of_range_is_refused_before_any_fork(tmp_path, capsys, monkeypatch, count):
    from matching import cli

    forks = []
    monkeypatch.setattr(cli, "ProcessPoolExecutor", lambda *a, **k: forks.append(a))
    write(tmp_path / "p.jsonl", P)
    write(tmp_path / "i.jsonl", I)
    args = ["rank", "--postings", str(tmp_path / "p.jsonl"), "--intentions", str(tmp_path / "i.jsonl")]
    r = inproc(args + ["--processes", count], capsys, monkeypatch)
    assert r.returncode == 2 and r.stderr == "error: --processes must be between 0 and 64\n" and r.stdout == ""
    assert forks == []
