"""Time the 为我推荐 page (/graduates/me/matches) on the demo data, end to end through Flask.

Builds a throwaway SQLite database (or uses ``DATABASE_URL``: point it at your own, empty
database), runs the migrations, loads the demo data (``flask demo load``), optionally adds
``--extra-postings`` synthetic postings (copies of the demo postings in other cities) to see
the page at a larger scale, logs in as the demo graduate and requests the page
``--requests`` times (plus filtered and second-page variants, and page 1 with the per-process
memo of ranked lists dropped before each request, i.e. a first visit). Prints the cold start (fit
or load of the index), the median and p95 of the warm requests and their CPU time (other
processes may share the machine: the load average is printed too), and the matcher sizes.

Usage::

    .venv/bin/python -m bench.matches_page_bench
    .venv/bin/python -m bench.matches_page_bench --extra-postings 30000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--extra-postings", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the warm requests")
    ap.add_argument(
        "--profile-cold",
        action="store_true",
        help="with --profile: profile first visits (memo of ranked lists dropped each time)",
    )
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="recruit-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["MATCHING_INDEX_DIR"] = os.path.join(tmp, "matching")
    os.environ["RECRUIT_INSTANCE_DIR"] = tmp

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from config import Config
    from recruit import create_app
    from recruit.extensions import db

    class BenchConfig(Config):
        PROPAGATE_EXCEPTIONS = True
        SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        MATCHING_INDEX_DIR = os.environ["MATCHING_INDEX_DIR"]
        MATCHING_REFRESH_SECONDS = 30
        WTF_CSRF_ENABLED = False

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        from recruit.demo.data import DEMO_PASSWORD, load_demo
        from recruit.auth.models import User
        from recruit.employers.models import Posting
        from recruit.graduates.models import Graduate, Intention
        from recruit.validation import CITIES

        load_demo()
        if args.extra_postings:
            rng = random.Random(1)
            base = db.session.scalars(sa.select(Posting).where(Posting.status == "open")).all()
            rows = []
            for _ in range(args.extra_postings):
                p = rng.choice(base)
                rows.append(
                    dict(
                        employer_id=p.employer_id,
                        title=p.title,
                        description=p.description,
                        industry=p.industry,
                        majors=p.majors,
                        min_degree=p.min_degree,
                        city=rng.choice(CITIES),
                        salary_min=p.salary_min,
                        salary_max=p.salary_max,
                        headcount=p.headcount,
                        deadline=p.deadline,
                        status="open",
                    )
                )
            db.session.execute(sa.insert(Posting), rows)
            db.session.commit()
        user = db.session.scalar(
            sa.select(User)
            .join(Graduate, Graduate.id == User.graduate_id)
            .join(Intention)
            .where(User.role == "graduate")
            .order_by(User.id)
        )
        email = user.email
        n_postings = db.session.scalar(sa.select(sa.func.count()).select_from(Posting))
        n_intentions = db.session.scalar(sa.select(sa.func.count()).select_from(Intention))
        db.session.remove()

    client = app.test_client()
    r = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert r.status_code == 302, r.status_code

    t0 = time.perf_counter()
    r = client.get("/graduates/me/matches")
    cold = time.perf_counter() - t0
    assert r.status_code == 200, (r.status_code, r.get_data(as_text=True)[:2000])
    shown = r.get_data(as_text=True).count('class="match card')

    cpu: dict[str, list[float]] = {}

    def forget_rankings() -> None:
        """Drop this process's memo of ranked lists (a graduate's first visit after a change)."""
        from recruit.matchmaking.index import manager

        with app.app_context():
            manager().state().__dict__.pop("_rank_cache", None)

    def timed(url: str, cold: bool = False) -> list[float]:
        out = []
        spent = cpu.setdefault(url + (" cold" if cold else ""), [])
        for _ in range(args.requests):
            if cold:
                forget_rankings()
            t, c = time.perf_counter(), time.process_time()
            resp = client.get(url)
            out.append((time.perf_counter() - t) * 1000)
            spent.append((time.process_time() - c) * 1000)
            assert resp.status_code == 200
        return out

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        timed("/graduates/me/matches", cold=args.profile_cold)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    load_before = os.getloadavg()
    results = {
        "matches": timed("/graduates/me/matches"),
        "matches?page=2": timed("/graduates/me/matches?page=2"),
        "matches?city=贵阳&min_score=0.2": timed("/graduates/me/matches?city=%E8%B4%B5%E9%98%B3&min_score=0.2"),
        "matches (ranking not memoised)": timed("/graduates/me/matches", cold=True),
    }
    with app.app_context():
        from recruit.matchmaking.index import manager

        mgr = manager()
        st = mgr.state()
        sizes = (st.matcher.n_postings_, st.matcher.n_intentions_)
        stats = dict(mgr.stats)
    print(
        f"database: {n_postings} postings, {n_intentions} intentions; index: {sizes[0]} postings, "
        f"{sizes[1]} intentions; stats {stats}"
    )
    print(f"cold first request (fit + save + page): {cold * 1000:.0f} ms; {shown} matches on page 1")
    print(
        "load average (1, 5, 15 min) before the warm requests: %.2f %.2f %.2f, after: %.2f %.2f %.2f"
        % (load_before + os.getloadavg())
    )
    print("(other processes on this machine compete for the CPU: the CPU time per request is the fairer figure)")
    urls = {
        "matches": "/graduates/me/matches",
        "matches?page=2": "/graduates/me/matches?page=2",
        "matches?city=贵阳&min_score=0.2": "/graduates/me/matches?city=%E8%B4%B5%E9%98%B3&min_score=0.2",
        "matches (ranking not memoised)": "/graduates/me/matches cold",
    }
    for name, ms in results.items():
        ms.sort()
        p95 = ms[max(int(len(ms) * 0.95) - 1, 0)]
        c = cpu[urls[name]][-len(ms) :]
        print(
            f"GET /graduates/me/{name:32s} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   "
            f"CPU median {statistics.median(c):6.1f} ms   (n={len(ms)})"
        )


if __name__ == "__main__":
    main()
