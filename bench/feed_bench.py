"""Benchmark of the iCal feeds: a province feed of 2,000 fairs, built cold vs served from cache.

Creates a throw-away database (SQLite in a temporary directory unless ``--database-url``),
fills it with one province's worth of fairs (each with approved employers), then times:

- ``cold``: the feed cache and the VEVENT memo emptied before each run: queries + building the VEVENTs + serialising;
- ``builder only``: the pure :func:`recruit.feeds.ical.build_calendar` on ready data;
- ``rebuild after one change``: a fair changed (``fair_changed`` bumps the version), so the feed
  is rebuilt, but 1,999 VEVENTs come from the per-event memo;
- ``cached``: :func:`recruit.feeds.services.province_feed` with a warm cache (one small query
  for the shared feeds version, then a dict lookup);
- ``HTTP cold`` / ``HTTP cached`` / ``HTTP 304``: the same through the Flask test client.

Every figure is the median of repeated runs. Usage::

    .venv/bin/python -m bench.feed_bench                  # 2,000 fairs, 7 cold runs
    .venv/bin/python -m bench.feed_bench --fairs 5000 --runs 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, time as dtime, timedelta, timezone


def median_ms(fn, runs: int, setup=None) -> float:
    times = []
    for k in range(runs):
        if setup is not None:
            setup(k)
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fairs", type=int, default=2000)
    parser.add_argument("--employers-per-fair", type=int, default=12)
    parser.add_argument("--runs", type=int, default=7, help="cold runs (cached runs are 50x this)")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="feed-bench-")
    os.environ.setdefault("RECRUIT_INSTANCE_DIR", tmp)
    from config import TestConfig

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        PUBLIC_BASE_URL = "https://recruit.example.edu.cn"

    from recruit import create_app
    from recruit.employers.models import Employer
    from recruit.extensions import db
    from recruit.fairs.models import Fair, FairRegistration
    from recruit.feeds import ical, services
    from recruit.timeutil import combine_local, today_local
    from recruit.universities.models import University, Venue

    app = create_app(BenchConfig)
    rng = random.Random(20261208)
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        universities = [
            University(code=f"U{i:02d}", name=f"贵州第{i}大学", city="贵阳", graduates_count=5000) for i in range(75)
        ]
        db.session.add_all(universities)
        db.session.flush()
        venues = [
            Venue(university=u, name=f"活动中心{j}", capacity=200, address=f"贵阳市花溪区大学路{j}号")
            for u in universities
            for j in range(2)
        ]
        employers = [
            Employer(
                name=f"贵州第{i}号大数据电子信息有限公司",
                credit_code=f"9152{i:014d}",
                industry="大数据电子信息",
                city="贵阳",
                status="approved",
            )
            for i in range(1500)
        ]
        db.session.add_all(venues + employers)
        db.session.flush()
        start = today_local()
        fairs = []
        for i in range(args.fairs):
            venue = venues[i % len(venues)]
            day = start + timedelta(days=(i // len(venues)) * 2)
            starts = combine_local(day, dtime(9 if i % 3 else 14))
            fmt = ("onsite", "onsite", "hybrid", "online")[i % 4]
            fairs.append(
                Fair(
                    university_id=venue.university_id,
                    kind="large" if i % 5 == 0 else "special",
                    title=f"{venue.university.name}2027届{('春季', '秋季')[i % 2]}校园招聘会（第{i}场），欢迎参加; 共享",
                    format=fmt,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    venue_id=None if fmt == "online" else venue.id,
                    online_url=None if fmt == "onsite" else f"https://meeting.example.com/{i}",
                    description="面向2027届毕业生。\n请携带简历、身份证。",
                    status="scheduled",
                    revision=1,
                    updated_at=datetime(2026, 10, 1, tzinfo=timezone.utc) + timedelta(minutes=i),
                )
            )
        db.session.add_all(fairs)
        db.session.flush()
        regs = []
        for fair in fairs:
            for n, employer in enumerate(rng.sample(employers, args.employers_per_fair)):
                regs.append(
                    FairRegistration(fair_id=fair.id, employer_id=employer.id, status="approved", booth_number=n + 1)
                )
        db.session.add_all(regs)
        db.session.commit()
        print(
            f"setup: {args.fairs} fairs, {len(regs)} approved booths, {time.perf_counter() - t0:.1f}s "
            f"({db.engine.dialect.name})"
        )

    def cold():
        with app.test_request_context():
            services.cache().clear()
            ical.event_bytes.cache_clear()
            return services.province_feed()

    def change_one_fair(k):
        from recruit.signals import fair_changed

        with app.app_context():
            fair = db.session.get(Fair, k + 1)
            fair.title = f"{fair.title}（已更新{k}）"
            fair.bump_revision()
            fair_changed.send(fair, change="updated")
            db.session.commit()

    def cached():
        with app.test_request_context():
            return services.province_feed()

    with app.test_request_context():
        feed = cold()
        n_events = feed.body.count(b"BEGIN:VEVENT")
        assert n_events == args.fairs, n_events
        assert cached().body == feed.body
        # Ready data for the builder-only figure.
        events = services.load_events(services.in_feed_window())
        meta = ical.FeedMeta(name="贵州省高校招聘会", host="recruit.example.edu.cn")

    cold_ms = median_ms(cold, args.runs)
    build_ms = median_ms(
        lambda: ical.build_calendar(meta, events), args.runs, setup=lambda k: ical.event_bytes.cache_clear()
    )
    rebuild_ms = median_ms(cached, args.runs, setup=change_one_fair)
    cached_runs = args.runs * 50
    cached_ms = median_ms(cached, cached_runs)

    client = app.test_client()

    def http_cold():
        with app.app_context():
            services.cache().clear()
            ical.event_bytes.cache_clear()
        r = client.get("/feeds/fairs.ics")
        assert r.status_code == 200

    def http_cached():
        r = client.get("/feeds/fairs.ics")
        assert r.status_code == 200

    etag = client.get("/feeds/fairs.ics").headers["ETag"]

    def http_304():
        r = client.get("/feeds/fairs.ics", headers={"If-None-Match": etag})
        assert r.status_code == 304

    http_cold_ms = median_ms(http_cold, args.runs)
    http_cached_ms = median_ms(http_cached, cached_runs)
    http_304_ms = median_ms(http_304, cached_runs)

    size = len(feed.body)
    print(f"feed: {n_events} VEVENTs, {size / 1024:.0f} KiB")
    print(f"cold build (queries + iCal), median of {args.runs}: {cold_ms:9.1f} ms")
    print(f"  of which builder only,     median of {args.runs}: {build_ms:9.1f} ms")
    print(f"rebuild after one fair changed (VEVENT memo warm), median of {args.runs}: {rebuild_ms:9.1f} ms")
    print(f"cached (version check + lookup), median of {cached_runs}: {cached_ms:9.3f} ms")
    print(f"ratio cold / cached: {cold_ms / cached_ms:,.0f}x")
    print(f"HTTP GET cold,   median of {args.runs}: {http_cold_ms:9.1f} ms")
    print(f"HTTP GET cached, median of {cached_runs}: {http_cached_ms:9.2f} ms")
    print(f"HTTP 304,        median of {cached_runs}: {http_304_ms:9.2f} ms")
    print(f"ratio HTTP cold / cached: {http_cold_ms / http_cached_ms:,.0f}x")
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


if __name__ == "__main__":
    main()
