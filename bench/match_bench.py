"""Province-scale benchmark of the matching library.

Generates realistic synthetic records (273,000 intentions and 50,000 postings by default) from the
occupation pools of the development set plus varied phrasing, then in one run:

1. fits the matcher on the postings;
2. ranks top-10 postings for every intention with the library's batch (exact, chunked, 2 threads),
   timing the whole path from records to top-10 (text analysis included) and the product alone;
3. runs the naive baseline on the same vectors (scikit-learn ``cosine_similarity`` per chunk, then a
   full ``argsort`` of each row) on a sample of intentions, and extrapolates its full time linearly
   (printed as extrapolated; ``--baseline-full`` times it on everything instead);
4. checks recall@10 of the batch against exact brute force (dense products, full sort) on a random
   sample of 1,000 intentions;
5. times single queries (``Matcher.rank``) against the fitted index: p50 / p95, warm.

Usage::

    python -m bench.match_bench                              # full scale
    python -m bench.match_bench --intentions 20000 --postings 5000
"""

from __future__ import annotations

import argparse
import gc
import os
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from bench.data.make_devset import DEGREES, OCC
from matching import Intention, Matcher, Posting, load_jsonl


def rss_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_now_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


EXTRA_CITIES = [
    "贵阳",
    "遵义",
    "六盘水",
    "安顺",
    "毕节",
    "铜仁",
    "凯里",
    "都匀",
    "兴义",
    "仁怀",
    "清镇",
    "贵安",
    "盘州",
]
PREFIX = ["贵州", "黔南", "黔东南", "遵义", "贵阳", "安顺", "毕节", "铜仁", "六盘水", "黔西南", "仁怀", "贵安"]
SUFFIX = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司", "有限责任公司"]
ORG = [
    "宏远",
    "黔锦",
    "恒信",
    "山水",
    "云腾",
    "众成",
    "联创",
    "盛华",
    "鼎新",
    "安和",
    "同心",
    "博远",
    "金桥",
    "天成",
    "瑞丰",
    "晨光",
    "新航",
    "润泽",
    "德源",
    "兴黔",
    "华鼎",
    "睿达",
    "凯越",
    "青山",
]
EXTRA = [
    "公司提供五险一金、带薪年假。",
    "包住宿，提供工作餐。",
    "表现优秀者可转正并给予股权激励。",
    "入职后有系统的岗前培训。",
    "工作地点可协商。",
    "节假日福利齐全，年终奖丰厚。",
    "晋升通道清晰，每年两次调薪。",
    "欢迎2022届应届毕业生投递。",
    "",
]
VOICE_OPEN = [
    "我是{major}专业的{deg}毕业生",
    "本人{major}专业，{deg}学历",
    "{major}专业应届{deg}生",
    "今年{deg}毕业，学的是{major}",
    "我来自{home}，{major}专业",
]
VOICE_MID = [
    "在校期间成绩中上，拿过两次奖学金",
    "做过和{pos}有关的课程设计",
    "在{city}实习过{n}个月",
    "参加过省级技能大赛并获奖",
    "当过学生会干部，沟通能力还可以",
    "考取了和专业相关的证书",
    "对{ind}行业比较感兴趣",
    "暑假在{city}的企业做过兼职",
    "动手能力比较强",
    "性格踏实，肯吃苦",
    "毕业设计和{pos}相关",
    "自学了一些{skill}",
]
VOICE_CLOSE = [
    "希望在{city}找一份{pos}的工作",
    "想从事{pos}方面的岗位",
    "愿意到基层锻炼，做{pos}",
    "希望进入{ind}企业做{pos}",
    "想留在{city}发展",
    "期待找到稳定的{pos}岗位",
]


def gen_postings(n: int, rng: random.Random) -> list[Posting]:
    occs = list(OCC)
    out = []
    for k in range(n):
        o = OCC[rng.choice(occs)]
        duties = rng.sample(o["duties"], k=min(len(o["duties"]), rng.randint(2, 4)))
        reqs = rng.sample(o["reqs"], k=min(len(o["reqs"]), rng.randint(2, 3)))
        employer = rng.choice(PREFIX) + rng.choice(ORG) + rng.choice(ORG) + rng.choice(SUFFIX)
        lo, hi = o["salary"]
        smin = rng.randrange(lo, (lo + hi) // 2, 500)
        desc = (
            "岗位职责："
            + "；".join(f"{j + 1}.{d}" for j, d in enumerate(duties))
            + "。任职要求："
            + "；".join(reqs)
            + "。"
            + rng.choice(EXTRA)
            + f"招聘{rng.randint(1, 20)}人，工作满{rng.randint(1, 3)}年可申请调岗。"
        )
        out.append(
            Posting(
                id=f"P{k}",
                employer=employer,
                title=rng.choice(o["titles"]),
                industry=rng.choice(o["industry"]),
                description=desc,
                majors=list(rng.choice(o["majors"])),
                education=rng.choices(DEGREES, weights=[w + 0.01 for w in o["degree"]])[0],
                city=rng.choice(EXTRA_CITIES),
                salary_min=smin,
                salary_max=smin + rng.randrange(500, 6000, 500),
                headcount=rng.randint(1, 20),
            )
        )
    return out


def gen_intentions(n: int, rng: random.Random) -> list[Intention]:
    occs = list(OCC)
    out = []
    for k in range(n):
        o = OCC[rng.choice(occs)]
        majors = [m for ms in o["majors"] for m in ms] or ["市场营销"]
        major = rng.choice(majors)
        deg = rng.choices(DEGREES, weights=[0.45, 0.45, 0.09, 0.01])[0]
        title = rng.choice(o["titles"])
        pos = title.split("（")[0].replace("工程师", "").replace("专员", "") or title
        skills = [r.split("，")[0].replace("熟悉", "").replace("掌握", "")[:10] for r in rng.sample(o["reqs"], k=2)]
        city = rng.choice(EXTRA_CITIES)
        ind = rng.choice(o["industry"])
        fill = dict(
            major=major,
            deg=deg,
            pos=pos,
            city=city,
            ind=ind,
            n=rng.randint(1, 12),
            home=rng.choice(EXTRA_CITIES),
            skill=rng.choice(skills),
        )
        statement = (
            "，".join(
                [rng.choice(VOICE_OPEN).format(**fill)]
                + [m.format(**fill) for m in rng.sample(VOICE_MID, k=rng.randint(1, 3))]
                + [rng.choice(VOICE_CLOSE).format(**fill)]
            )
            + "。"
        )
        out.append(
            Intention(
                id=f"G{k}",
                major=major,
                education=deg,
                industries=[ind],
                positions=[pos],
                cities=rng.sample(EXTRA_CITIES, k=rng.randint(0, 2)),
                salary_expectation=rng.randrange(3000, 10000, 500),
                skills=skills,
                statement=statement,
            )
        )
    return out


def brute_force_topk(m: Matcher, intentions: list[Intention], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact reference: full dense products, the rules applied from the records, a full sort."""
    from matching import rules as R

    q = m._transform_intentions(intentions, grow=False)
    plevel = np.array([R.posting_level(p) for p in m.postings_])
    psal = np.array([-1 if R.posting_salary(p) is None else R.posting_salary(p) for p in m.postings_])
    idx = np.full((len(intentions), k), -1)
    val = np.zeros((len(intentions), k))
    for lo in range(0, q.shape[0], 250):
        s = (q[lo : lo + 250] @ m.posting_matrix_.T).toarray()
        for r in range(s.shape[0]):
            it = intentions[lo + r]
            row = s[r].copy()
            if it.salary_expectation is not None:
                row += m.bonus_salary * (psal >= it.salary_expectation)
            row = np.round(row, 9)
            row[plevel > R.intention_level(it)] = 0.0
            order = np.lexsort((np.arange(len(row)), -row))[:k]
            order = order[row[order] > 0]
            idx[lo + r, : len(order)] = order
            val[lo + r, : len(order)] = row[order]
    return idx, val


def baseline(m: Matcher, intentions: list[Intention], k: int, chunk: int) -> float:
    """The naive way: cosine_similarity per chunk (dense), then a full argsort of each row."""
    from sklearn.metrics.pairwise import cosine_similarity

    t0 = time.perf_counter()
    for lo in range(0, len(intentions), chunk):
        q = m._transform_intentions(intentions[lo : lo + chunk], grow=False)
        s = cosine_similarity(q, m.posting_matrix_, dense_output=True)
        np.argsort(-s, axis=1)[:, :k]
    return time.perf_counter() - t0


# ---------------------------------------------------------------------- the command-line case
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def _devset(name: str) -> list[dict]:
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def recombine_postings(n: int, rng: random.Random) -> list[dict]:
    """Postings recombined from the development set's realistic ones: the title, industry, majors
    and degree of one, the description of another with the same title, the employer and city of
    others, the salary moved a little. Only about a hundred distinct titles, so many postings share
    a title and most texts repeat, as on a real job board."""
    src = _devset("postings.jsonl")
    by_title: dict[str, list[dict]] = {}
    for p in src:
        by_title.setdefault(p["title"].split("（")[0], []).append(p)
    employers = sorted({p["employer"] for p in src})
    cities = sorted({p["city"] for p in src})
    out = []
    for k in range(n):
        base = rng.choice(src)
        other = rng.choice(by_title[base["title"].split("（")[0]])
        smin = max(base["salary_min"] + rng.randrange(-1000, 1500, 500), 2500)
        out.append(
            dict(
                base,
                id=f"R{k}",
                description=other["description"],
                employer=rng.choice(employers),
                city=rng.choice(cities),
                salary_min=smin,
                salary_max=smin + rng.randrange(500, 5000, 500),
            )
        )
    return out


def recombine_intentions(n: int, rng: random.Random) -> list[dict]:
    """Intentions recombined from the development set's: the positions, industries, major and degree
    of one graduate, their statement and skills or (three times in ten each) another graduate's,
    0-3 intended cities and an expectation drawn afresh."""
    src = _devset("intentions.jsonl")
    cities = sorted({c for i in src for c in i["cities"]})
    out = []
    for k in range(n):
        d = dict(rng.choice(src), id=f"Q{k}")
        if rng.random() < 0.3:
            d["statement"] = rng.choice(src)["statement"]
        if rng.random() < 0.3:
            d["skills"] = rng.choice(src)["skills"]
        d["cities"] = rng.sample(cities, k=rng.choice([0, 1, 1, 2, 3]))
        d["salary_expectation"] = rng.randrange(3000, 10000, 500)
        out.append(d)
    return out


def naive_baseline_from_files(postings_path: str, intentions_path: str, k: int, chunk: int = 1000) -> float:
    """The naive scikit-learn way, from the files: character 1-2 gram TF-IDF of the joined fields,
    ``cosine_similarity`` per chunk of intentions, a full ``argsort`` per row, no rules, no
    reasons. Returns seconds."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    def text(d: dict, fields: tuple[str, ...]) -> str:
        return " ".join(v if isinstance(v, str) else " ".join(map(str, v)) for f in fields if (v := d.get(f)))

    t0 = time.perf_counter()
    with open(postings_path, encoding="utf-8") as f:
        posts = [json.loads(x) for x in f]
    with open(intentions_path, encoding="utf-8") as f:
        intents = [json.loads(x) for x in f]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    P = vec.fit_transform([text(p, ("title", "industry", "majors", "description", "employer")) for p in posts])
    Q = vec.transform([text(i, ("positions", "skills", "industries", "major", "statement")) for i in intents])
    for lo in range(0, Q.shape[0], chunk):
        s = cosine_similarity(Q[lo : lo + chunk], P, dense_output=True)
        np.argsort(-s, axis=1)[:, :k]
    return time.perf_counter() - t0


def cli_case(args: argparse.Namespace) -> None:
    """``python -m matching rank`` with reasons on recombined records, against the naive baseline,
    both timed in this run (issue 18, part 3), ``--repeat`` times each, alternating."""
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="match-cli-")
    pp, ip, out = (os.path.join(work, n) for n in ("postings.jsonl", "intentions.jsonl", "out.jsonl"))
    for path, rows in ((pp, recombine_postings(args.postings, rng)), (ip, recombine_intentions(args.intentions, rng))):
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    titles = len({json.loads(x)["title"] for x in open(pp, encoding="utf-8")})
    print(
        f"recombined {args.postings:,} postings ({titles} distinct titles) and {args.intentions:,} intentions "
        f"from the development set; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    cmd = [sys.executable, "-m", "matching", "rank", "--postings", pp, "--intentions", ip, "--top", str(args.top)]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if args.method:
        cmd += ["--method", args.method]
    if args.processes is not None:
        cmd += ["--processes", str(args.processes)]
    lib, base, lib_cpu, base_cpu = [], [], [], []
    for run in range(max(args.repeat, 1)):
        t0 = time.perf_counter()
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(out, "w", encoding="utf-8") as f:
            subprocess.run(cmd + ["--timings"], stdout=f, check=True, env=env)
        lib.append(time.perf_counter() - t0)
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        lib_cpu.append(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime)
        c0 = time.process_time()
        base.append(naive_baseline_from_files(pp, ip, args.top))
        base_cpu.append(time.process_time() - c0)
        print(
            f"run {run + 1}: python -m matching rank (top {args.top}, with reasons) {lib[-1]:.1f} s wall, "
            f"{lib_cpu[-1]:.1f} s CPU; naive baseline {base[-1]:.1f} s wall, {base_cpu[-1]:.1f} s CPU; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    with open(out, encoding="utf-8") as f:
        first = json.loads(f.readline())
    print("example:", json.dumps(first["matches"][0], ensure_ascii=False)[:300])
    ml, mb = statistics.median(lib), statistics.median(base)
    print(
        f"medians of {len(lib)}: CLI with reasons {ml:.1f} s, naive baseline {mb:.1f} s, ratio {mb / ml:.1f}x "
        f"(CPU: {statistics.median(lib_cpu):.1f} s vs {statistics.median(base_cpu):.1f} s, "
        f"{statistics.median(base_cpu) / statistics.median(lib_cpu):.1f}x)"
    )
    if args.compare_methods:
        compare_methods_in_process(pp, ip, args.top, max(args.repeat, 1))


def compare_methods_in_process(postings_path: str, intentions_path: str, k: int, repeat: int) -> None:
    """Batch top-k without reasons by each path and by "auto" (which logs its choice), alternating,
    wall and CPU time: when does each path win on this corpus?"""
    import logging

    logging.basicConfig(level=logging.INFO, format="  %(message)s")
    postings = load_jsonl(postings_path, Posting)
    intentions = load_jsonl(intentions_path, Intention)
    m = Matcher().fit(postings)
    times: dict[str, list[tuple[float, float]]] = {"bound": [], "topn": [], "auto": []}
    for _ in range(repeat):
        for meth in times:
            t0, c0 = time.perf_counter(), time.process_time()
            m.rank_batch(intentions, top_k=k, explain=False, method=meth)
            times[meth].append((time.perf_counter() - t0, time.process_time() - c0))
            print(
                f"  {meth}: {times[meth][-1][0]:.2f} s wall, {times[meth][-1][1]:.2f} s CPU; "
                f"load average {os.getloadavg()[0]:.1f}"
            )
    for meth, got in times.items():
        print(
            f"batch top-{k} without reasons, {meth}: median {statistics.median(w for w, _ in got):.2f} s wall, "
            f"{statistics.median(c for _, c in got):.2f} s CPU over {len(got)} runs"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--intentions", type=int, default=273_000)
    ap.add_argument("--postings", type=int, default=50_000)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--analyzer", default=None)
    ap.add_argument(
        "--baseline-sample",
        type=int,
        default=10_000,
        help="intentions the baseline is timed on (the library is timed on the same ones too)",
    )
    ap.add_argument("--baseline-full", action="store_true", help="time the baseline on all intentions")
    ap.add_argument("--recall-sample", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=300, help="single queries timed")
    ap.add_argument("--method", default=None, help="batch method: auto, bound, topn")
    ap.add_argument("--compare-methods", action="store_true", help="also time bound and topn on the baseline sample")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the full batch and of the sample comparison; medians are reported",
    )
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument(
        "--processes", type=int, default=None, help="--cli-case: the CLI's worker processes (default: its own)"
    )
    ap.add_argument(
        "--cli-case",
        action="store_true",
        help="time `python -m matching rank` with reasons on records recombined from the development "
        "set against the naive baseline (defaults to 20,000 x 20,000)",
    )
    args = ap.parse_args()
    if args.cli_case:
        if args.intentions == ap.get_default("intentions"):
            args.intentions = 20_000
        if args.postings == ap.get_default("postings"):
            args.postings = 20_000
        cli_case(args)
        return
    rng = random.Random(args.seed)
    k = args.top

    t0 = time.perf_counter()
    postings = gen_postings(args.postings, rng)
    intentions = gen_intentions(args.intentions, rng)
    print(
        f"generated {len(postings):,} postings and {len(intentions):,} intentions in {time.perf_counter() - t0:.1f} s"
    )
    print(f"example intention: {intentions[0].statement}")

    params = {"analyzer": args.analyzer} if args.analyzer else {}
    t0, c0 = time.perf_counter(), time.process_time()
    m = Matcher(**params).fit(postings)
    t_fit = time.perf_counter() - t0
    print(f"fit CPU time {time.process_time() - c0:.1f} s")
    print(
        f"fit: {t_fit:.1f} s; analyzer={m.analyzer}; {len(m.vocabulary_):,} text features; "
        f"posting matrix nnz {m.posting_matrix_.nnz:,}; RSS now {rss_now_mib():.0f} MiB"
    )

    # --- library batch over everything
    gc.collect()
    print(f"load average before the batch (other processes share this machine): {os.getloadavg()[0]:.1f}")
    walls, cpus = [], []
    for run in range(max(args.repeat, 1)):
        c0 = time.process_time()
        t0 = time.perf_counter()
        n_done = 0
        for ids, _idx, _val in m.topk_ids(intentions, top_k=k, method=args.method):
            n_done += len(ids)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        print(
            f"library batch top-{k}, run {run + 1}: {n_done:,} intentions in {walls[-1]:.1f} s wall, "
            f"{cpus[-1]:.1f} s CPU ({n_done / walls[-1]:,.0f}/s, text analysis included); "
            f"peak RSS so far {rss_peak_mib():.0f} MiB"
        )
        gc.collect()
    t_batch = statistics.median(walls)
    print(
        f"library batch top-{k}: median of {len(walls)} runs {t_batch:.1f} s wall, {statistics.median(cpus):.1f} s CPU"
    )

    # --- baseline vs library on the same sample
    ns = len(intentions) if args.baseline_full else min(args.baseline_sample, len(intentions))
    sample = intentions[:ns]
    lib_t, lib_c, base_t, base_c = [], [], [], []
    for _ in range(max(args.repeat, 1)):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in m.topk_ids(sample, top_k=k, method=args.method):
            pass
        lib_t.append(time.perf_counter() - t0)
        lib_c.append(time.process_time() - c0)
        c0 = time.process_time()
        base_t.append(baseline(m, sample, k, chunk=1000))
        base_c.append(time.process_time() - c0)
    t_lib_s, t_base_s = statistics.median(lib_t), statistics.median(base_t)
    print(
        f"CPU time on the sample (medians): library {statistics.median(lib_c):.1f} s, "
        f"baseline {statistics.median(base_c):.1f} s"
    )
    print(
        f"same {ns:,} intentions, medians of {len(lib_t)} runs: library {t_lib_s:.2f} s "
        f"({', '.join(f'{x:.2f}' for x in lib_t)}), baseline (cosine_similarity + full argsort) {t_base_s:.2f} s "
        f"({', '.join(f'{x:.2f}' for x in base_t)}), ratio {t_base_s / t_lib_s:.1f}x"
    )
    if ns < len(intentions):
        est = t_base_s * len(intentions) / ns
        print(
            f"baseline full-scale time EXTRAPOLATED linearly from {ns:,} intentions: {est:.0f} s "
            f"(x{len(intentions) / ns:.1f}); ratio vs measured library full batch {est / t_batch:.1f}x"
        )
    else:
        print(f"baseline full run measured: ratio {t_base_s / t_batch:.1f}x")
    if args.compare_methods:
        for meth in ("bound", "topn"):
            t0 = time.perf_counter()
            for _ in m.topk_ids(sample, top_k=k, method=meth):
                pass
            print(f"  batch method {meth}: {time.perf_counter() - t0:.2f} s on {ns:,} intentions")

    # --- recall against exact brute force
    rs = random.Random(args.seed + 1).sample(intentions, min(args.recall_sample, len(intentions)))
    ref_idx, ref_val = brute_force_topk(m, rs, k)
    got = {}
    for ids, idx, val in m.topk_ids(rs, top_k=k, method=args.method):
        for r, iid in enumerate(ids):
            got[iid] = (idx[r], val[r])
    got_idx = np.vstack([got[i.id][0] for i in rs])
    got_val = np.vstack([got[i.id][1] for i in rs])
    hits = total = 0
    for r in range(len(rs)):
        ref = set(ref_idx[r][ref_idx[r] >= 0].tolist())
        got = set(got_idx[r][got_idx[r] >= 0].tolist())
        total += len(ref)
        hits += len(ref & got)
    exact_scores = bool(np.allclose(ref_val, got_val, atol=1e-9)) and bool((ref_idx == got_idx).all())
    print(
        f"recall@{k} vs exact brute force on {len(rs):,} random intentions: {hits / max(total, 1):.4f} "
        f"(identical ids, order and scores: {exact_scores})"
    )

    # --- single queries, warm
    qs = random.Random(args.seed + 2).sample(intentions, min(args.queries, len(intentions)))
    for q in qs[:20]:
        m.rank(q, top_k=k)
    for explain in (False, True):
        times = []
        for q in qs:
            t0 = time.perf_counter()
            m.rank(q, top_k=k, explain=explain)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"single query (explain={explain}) against {m.n_postings_:,} postings: "
            f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
        )
    print(f"peak RSS (whole run): {rss_peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
