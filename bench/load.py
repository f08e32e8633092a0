"""Load run: gunicorn (4 workers) on PostgreSQL with the demo scaled up to province size.

Steps (loopback only, every loop bounded):

1. drop and create the database ``recruit_load`` (``--database``), ``flask db upgrade``,
   ``flask demo load``;
2. scale up with bulk inserts, cloning the demo's own rows: 75 universities (each new one with
   a venue, an organizer and the fairs of a demo university), 20,000 graduates with intentions,
   5,000 postings; login accounts for the virtual graduates and organizers;
3. start ``gunicorn -w 4`` on a free port, log every virtual user in through the real form
   (CSRF token included), warm every worker up;
4. for ``--seconds`` (60) in equal stages of rising concurrency (10, 50, 100, 200 users), each
   virtual user loops: a graduate opens /graduates/me/matches, an anonymous visitor fetches a
   feed (/feeds/...), an organizer opens /compliance/season, an anonymous visitor browses the
   public job board (/postings with a keyword, a city or a page, and one posting), a logged-in
   graduate opens a posting and applies to it (a second application to the same posting answers
   409, which is expected, not an error); with ``--think`` seconds of mean think time between
   requests (0 = closed loop, as fast as possible);
5. print requests/s, p50/p95/p99 per endpoint and stage, and the error count; stop gunicorn.

Usage::

    .venv/bin/python -m bench.load                       # full run, about 3-4 minutes
    .venv/bin/python -m bench.load --seconds 20 --stages 10,50 --skip-setup   # reuse the database
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
PASSWORD = "load12345"
MIX = (("graduate", 0.35), ("feed", 0.2), ("organizer", 0.15), ("board", 0.2), ("apply", 0.1))
#: Keywords a board visitor searches for (Chinese substrings of demo titles, descriptions and majors).
BOARD_KEYWORDS = ("后端", "Java", "会计", "数据", "销售", "护理", "工程师", "教师", "机械", "旅游")


# ------------------------------------------------------------------------------------------
# Database and scale-up
# ------------------------------------------------------------------------------------------


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def flask(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _row(obj, skip=("id",)) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}


def scale_up(env: dict, universities: int, graduates: int, postings: int, users: int) -> dict:
    """Clone the demo's rows up to the target sizes; returns the login accounts made."""
    os.environ.update(env)
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from config import Config
    from recruit import create_app
    from recruit.auth.models import PASSWORD_METHOD, User
    from recruit.employers.models import Employer, Posting
    from recruit.extensions import db
    from recruit.fairs.models import Fair
    from recruit.graduates.models import Graduate, Intention
    from recruit.universities.models import University, Venue

    rng = random.Random(75)
    app = create_app(Config)
    t0 = time.perf_counter()
    with app.app_context():
        if db.session.scalar(sa.select(User.id).where(User.email.like("load-%")).limit(1)):
            _ensure_resumes(db, sa)
            return _accounts(db, sa, users)
        pw_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
        demo_unis = list(db.session.scalars(sa.select(University).order_by(University.id)))
        # Universities, each with a venue and the published fairs of a demo university.
        new_unis = []
        for i in range(len(demo_unis), universities):
            src = demo_unis[i % len(demo_unis)]
            row = _row(src)
            row.update(code=f"L{i:03d}", name=f"{src.name}（第{i}分校）", moe_code=None)
            new_unis.append(row)
        if new_unis:
            db.session.execute(sa.insert(University), new_unis)
        unis = list(db.session.scalars(sa.select(University).order_by(University.id)))
        venues = {v.university_id: v for v in db.session.scalars(sa.select(Venue).order_by(Venue.id))}
        new_venues = [
            dict(university_id=u.id, name=f"{u.code}就业大厅", capacity=120, address="贵阳")
            for u in unis
            if u.id not in venues
        ]
        if new_venues:
            db.session.execute(sa.insert(Venue), new_venues)
        venues = {v.university_id: v for v in db.session.scalars(sa.select(Venue).order_by(Venue.id.desc()))}
        fairs_by_uni = defaultdict(list)
        for f in db.session.scalars(sa.select(Fair).where(Fair.status.in_(("scheduled", "held")))):
            fairs_by_uni[f.university_id].append(f)
        new_fairs = []
        for k, u in enumerate(unis[len(demo_unis) :]):
            src = demo_unis[k % len(demo_unis)]
            for f in fairs_by_uni[src.id]:
                row = _row(f, skip=("id", "created_by_id"))
                row.update(university_id=u.id, venue_id=venues[u.id].id if f.venue_id else None)
                new_fairs.append(row)
        for start in range(0, len(new_fairs), 2000):
            db.session.execute(sa.insert(Fair), new_fairs[start : start + 2000])
        # Postings: clone the demo's, spread over the demo's employers.
        demo_postings = list(db.session.scalars(sa.select(Posting).where(Posting.status == "open")))
        employers = list(db.session.scalars(sa.select(Employer.id).where(Employer.status == "approved")))
        have = db.session.scalar(sa.select(sa.func.count(Posting.id)))
        rows = []
        for i in range(have, postings):
            src = demo_postings[i % len(demo_postings)]
            row = _row(src)
            row.update(
                employer_id=rng.choice(employers),
                title=f"{src.title}（{i}）",
                salary_min=src.salary_min + 500 * rng.randint(0, 4),
            )
            row["salary_max"] = max(row["salary_max"], row["salary_min"])
            rows.append(row)
        for start in range(0, len(rows), 2000):
            db.session.execute(sa.insert(Posting), rows[start : start + 2000])
        # Graduates with intentions, cloned from the demo's, spread over all universities.
        demo_grads = list(db.session.scalars(sa.select(Graduate).where(Graduate.intention.has())))
        have = db.session.scalar(sa.select(sa.func.count(Graduate.id)))
        todo = list(range(have, graduates))
        for start in range(0, len(todo), 2000):
            chunk = todo[start : start + 2000]
            grow, irow = [], []
            for i in chunk:
                src = demo_grads[i % len(demo_grads)]
                u = unis[i % len(unis)]
                row = _row(src)
                row.update(
                    university_id=u.id,
                    student_number=f"L{i:08d}",
                    name=f"{src.name}{i}",
                    email=f"l{i}@stu.example.edu.cn",
                    phone="",
                )
                grow.append(row)
            ids = db.session.scalars(
                sa.insert(Graduate).returning(Graduate.id, sort_by_parameter_order=True), grow
            ).all()
            for gid, i in zip(ids, chunk):
                src = demo_grads[i % len(demo_grads)].intention
                row = _row(src)
                row["graduate_id"] = gid
                irow.append(row)
            db.session.execute(sa.insert(Intention), irow)
        # Accounts for the virtual users: graduates (with intentions) and one organizer per university.
        grads = db.session.execute(
            sa.select(Graduate.id, Graduate.university_id)
            .join(Intention)
            .where(Graduate.student_number.like("L%"))
            .order_by(Graduate.id)
            .limit(users)
        ).all()
        accounts = {"graduate": [], "organizer": []}
        urows = []
        for gid, uid in grads:
            email = f"load-g{gid}@recruit.load"
            urows.append(
                dict(
                    email=email,
                    password_hash=pw_hash,
                    display_name=f"g{gid}",
                    role="graduate",
                    graduate_id=gid,
                    university_id=uid,
                )
            )
            accounts["graduate"].append(email)
        for u in unis:
            email = f"load-o{u.id}@recruit.load"
            urows.append(
                dict(email=email, password_hash=pw_hash, display_name=f"o{u.id}", role="organizer", university_id=u.id)
            )
            accounts["organizer"].append(email)
        db.session.execute(sa.insert(User), urows)
        db.session.commit()
        _ensure_resumes(db, sa)
        db.session.execute(sa.text("ANALYZE"))  # planner statistics, as autovacuum keeps them in production
        db.session.commit()
        counts = {
            name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for name, model in (
                ("universities", University),
                ("graduates", Graduate),
                ("intentions", Intention),
                ("postings", Posting),
                ("open postings", sa.select(Posting).where(Posting.status == "open").subquery()),
                ("fairs", Fair),
                ("users", User),
            )
        }
        db.engine.dispose()
        print(f"scaled up in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        return _accounts(db, sa, users)


def _ensure_resumes(db, sa) -> None:
    """A résumé for every virtual graduate (applying needs one); idempotent."""
    from recruit.applications.models import Resume
    from recruit.auth.models import User

    missing = db.session.scalars(
        sa.select(User.graduate_id).where(
            User.email.like("load-g%"),
            User.graduate_id.is_not(None),
            ~sa.exists(sa.select(Resume.id).where(Resume.graduate_id == User.graduate_id)),
        )
    ).all()
    if missing:
        db.session.execute(
            sa.insert(Resume),
            [
                dict(
                    graduate_id=gid,
                    skills="Java、SQL",
                    projects="课程设计项目",
                    education="",
                    internships="",
                    certificates="",
                    awards="",
                    pdf_name="",
                    pdf_size=0,
                )
                for gid in missing
            ],
        )
        db.session.commit()


def _accounts(db, sa, users: int) -> dict:
    from recruit.auth.models import User
    from recruit.fairs.models import Fair
    from recruit.universities.models import University

    accounts = {
        role: list(
            db.session.scalars(
                sa.select(User.email)
                .where(User.email.like("load-%"), User.role == role)
                .order_by(User.id)
                .limit(users if role == "graduate" else None)
            )
        )
        for role in ("graduate", "organizer")
    }
    accounts["codes"] = list(db.session.scalars(sa.select(University.code).order_by(University.id)))
    accounts["fair_ids"] = list(
        db.session.scalars(sa.select(Fair.id).where(Fair.status == "scheduled").order_by(Fair.id).limit(500))
    )
    from recruit.board.services import visible_query
    from recruit.employers.models import Posting

    accounts["posting_ids"] = list(
        db.session.scalars(visible_query().with_only_columns(Posting.id).order_by(Posting.id).limit(3000))
    )
    db.engine.dispose()
    return accounts


# ------------------------------------------------------------------------------------------
# HTTP client: one keep-alive connection and a cookie per virtual user
# ------------------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
            except Exception:
                self.conn.close()  # a timeout leaves the connection unusable
                self.conn = None
                raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                self.cookies[k.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, text, dict(resp.getheaders())

    def login(self, email: str) -> None:
        status, page, _ = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert status == 200 and token, f"login page: {status}"
        status, _, headers = self.request(
            "POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        if status != 302 or "/login" in headers.get("Location", ""):
            raise RuntimeError(f"login of {email} failed: {status}")


# ------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, proc: subprocess.Popen, seconds: int = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def feed_path(rng: random.Random, accounts: dict) -> tuple[str, str]:
    r = rng.random()
    if r < 0.25:
        return "feed province", "/feeds/fairs.ics"
    if r < 0.6:
        return "feed university", f"/feeds/u/{rng.choice(accounts['codes'])}.ics"
    if r < 0.8:
        return (
            "feed university kind",
            f"/feeds/u/{rng.choice(accounts['codes'])}/{rng.choice(['special', 'large'])}.ics",
        )
    return "feed fair", f"/feeds/fair/{rng.choice(accounts['fair_ids'])}.ics"


def board_path(rng: random.Random, accounts: dict) -> tuple[str, str]:
    """What an anonymous visitor of the job board asks for."""
    r = rng.random()
    if r < 0.3:
        return "board list", f"/postings?page={rng.randint(1, 5)}"
    if r < 0.6:
        return "board search", "/postings?" + urlencode({"q": rng.choice(BOARD_KEYWORDS)})
    if r < 0.75:
        return "board filter", "/postings?" + urlencode({"city": "贵阳", "degree": "本科", "salary": 5000})
    return "board posting", f"/postings/{rng.choice(accounts['posting_ids'])}"


def run_stage(
    port: int, users: int, seconds: float, think: float, clients: dict, accounts: dict, max_requests_per_user: int
) -> tuple[dict, int, list[str], float]:
    results: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    roles: list[str] = []
    for role, share in MIX[:-1]:
        roles += [role] * round(users * share)
    roles += [MIX[-1][0]] * max(users - len(roles), 0)
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()

    def user(idx: int, role: str) -> None:
        rng = random.Random(idx * 7919 + users)
        if role in ("graduate", "apply"):
            client = clients["graduate"][idx % len(clients["graduate"])]
        elif role == "organizer":
            client = clients["organizer"][idx % len(clients["organizer"])]
        else:
            client = Client(port)
        local: dict[str, list[float]] = defaultdict(list)
        local_errors = []
        time.sleep(rng.random() * min(1.0, think or 0.2))  # stagger the start
        for _ in range(max_requests_per_user):
            if time.perf_counter() >= deadline:
                break
            method, body, ok = "GET", None, (200,)
            if role == "graduate":
                name, path = "graduate matches", "/graduates/me/matches"
            elif role == "organizer":
                name, path = "organizer season", "/compliance/season"
            elif role == "board":
                name, path = board_path(rng, accounts)
            elif role == "apply":
                # open a posting (the apply form carries the CSRF token), then apply to it
                pid = rng.choice(accounts["posting_ids"])
                t0 = time.perf_counter()
                try:
                    status, page, _ = client.request("GET", f"/postings/{pid}")
                except Exception as exc:  # noqa: BLE001
                    status, page = f"{type(exc).__name__}: {exc}", ""
                local["board posting (graduate)"].append((time.perf_counter() - t0) * 1000)
                if status != 200:
                    local_errors.append(f"board posting (graduate) /postings/{pid}: {status}")
                token = re.search(r'name="csrf_token" value="([^"]+)"', page)
                if not token:
                    continue
                name, path, method, ok = "apply", f"/postings/{pid}/apply", "POST", (302, 409)
                body = {"csrf_token": token.group(1), "cover_note": "负载测试"}
            else:
                name, path = feed_path(rng, accounts)
            t0 = time.perf_counter()
            try:
                status, _, _ = client.request(method, path, body)
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                status = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - t0
            local[name].append(elapsed * 1000)
            if status not in ok:
                local_errors.append(f"{name} {path}: {status}")
            if think:
                time.sleep(rng.uniform(0, 2 * think))
        with lock:
            for k, v in local.items():
                results[k].extend(v)
            errors.extend(local_errors)

    threads = [threading.Thread(target=user, args=(i, role), daemon=True) for i, role in enumerate(roles)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - start
    return results, sum(len(v) for v in results.values()), errors, elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database", default="recruit_load")
    ap.add_argument("--universities", type=int, default=75)
    ap.add_argument("--graduates", type=int, default=20_000)
    ap.add_argument("--postings", type=int, default=5_000)
    ap.add_argument("--seconds", type=float, default=60, help="total measured time, split over the stages")
    ap.add_argument("--stages", default="10,50,100,200", help="concurrent users per stage")
    ap.add_argument("--think", type=float, default=0.0, help="mean think time between a user's requests (s)")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--max-requests-per-user", type=int, default=100_000)
    ap.add_argument("--skip-setup", action="store_true", help="reuse the database of a previous run")
    args = ap.parse_args()
    stages = [int(x) for x in args.stages.split(",")]
    max_users = max(stages)

    work = Path(tempfile.mkdtemp(prefix="recruit-load-"))
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL_ACTIVE", None)
    env.update(
        DATABASE_URL=PG + args.database,
        RECRUIT_INSTANCE_DIR=str(work / "instance"),
        RECRUIT_ENV="development",
        SECRET_KEY="load-run-" + os.urandom(8).hex(),
        MATCHING_REFRESH_SECONDS="30",
        LOGIN_MAX_FAILURES_PER_ADDRESS="100000",
    )
    (work / "instance").mkdir()
    t0 = time.perf_counter()
    if not args.skip_setup:
        recreate_database(args.database)
        flask(env, "db", "upgrade")
        flask(env, "demo", "load")
        print(f"database {args.database}: migrated and demo loaded in {time.perf_counter() - t0:.1f} s")
    accounts = scale_up(env, args.universities, args.graduates, args.postings, users=max_users)

    port = free_port()
    log = open(work / "gunicorn.log", "w")
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
            "--keep-alive",
            "30",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        wait_healthy(port, proc)
        t1 = time.perf_counter()
        clients = {"graduate": [], "organizer": []}
        for role in ("graduate", "organizer"):
            wanted = accounts[role][: max_users if role == "graduate" else len(accounts[role])]
            made: list[Client] = [Client(port) for _ in wanted]
            threads = [threading.Thread(target=c.login, args=(e,)) for c, e in zip(made, wanted)]
            for start in range(0, len(threads), 16):
                batch = threads[start : start + 16]
                for t in batch:
                    t.start()
                for t in batch:
                    t.join()
            clients[role] = made
        print(
            f"logged in {len(clients['graduate'])} graduates and {len(clients['organizer'])} organizers "
            f"in {time.perf_counter() - t1:.1f} s"
        )
        # Warm-up: every worker fits its matching index and renders each page once.
        t1 = time.perf_counter()

        def warm_up(c: Client, paths: tuple[str, ...]) -> None:
            if c.conn is not None:
                c.conn.close()  # reopen with the long timeout: the first requests fit the index
                c.conn = None
            c.timeout = 600
            for p in paths:
                status, _, _ = c.request("GET", p)
                if status != 200:
                    raise RuntimeError(f"warm-up {p}: {status}")
            c.timeout = 60
            c.conn.close()
            c.conn = None  # the next request opens a connection with the normal timeout

        warm = [
            threading.Thread(target=warm_up, args=(c, ("/graduates/me/matches", "/feeds/fairs.ics")))
            for c in clients["graduate"][: args.workers * 4]
        ]
        warm += [
            threading.Thread(target=warm_up, args=(c, ("/postings", f"/postings/{accounts['posting_ids'][0]}")))
            for c in clients["graduate"][args.workers * 4 : args.workers * 6]
        ]
        warm += [
            threading.Thread(target=warm_up, args=(c, ("/compliance/season",)))
            for c in clients["organizer"][: args.workers * 2]
        ]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        print(f"warm-up (each worker fits its matching index) {time.perf_counter() - t1:.1f} s")

        per_stage = args.seconds / len(stages)
        total_errors = 0
        print(
            f"\n{len(stages)} stages x {per_stage:.0f} s, think time {args.think:g} s, "
            f"gunicorn {args.workers} workers (gthread x4), PostgreSQL {args.database}"
        )
        header = (
            f"{'users':>5}  {'endpoint':<22} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        )
        print(header)
        print("-" * len(header))
        summary = []
        for users in stages:
            results, n, errors, elapsed = run_stage(
                port, users, per_stage, args.think, clients, accounts, args.max_requests_per_user
            )
            total_errors += len(errors)
            for name in sorted(results):
                v = results[name]
                print(
                    f"{users:>5}  {name:<22} {len(v):>8} {len(v) / elapsed:>7.1f} {pct(v, 50):>8.0f} "
                    f"{pct(v, 95):>8.0f} {pct(v, 99):>8.0f}"
                )
            allv = [x for v in results.values() for x in v]
            print(
                f"{users:>5}  {'ALL':<22} {n:>8} {n / elapsed:>7.1f} {pct(allv, 50):>8.0f} {pct(allv, 95):>8.0f} "
                f"{pct(allv, 99):>8.0f}   errors {len(errors)}"
            )
            for e in errors[:5]:
                print(f"       error: {e}")
            summary.append((users, results))
        print(f"\ntotal errors: {total_errors}")
        for users, results in summary:
            if users == 50:
                board = [x for k, v in results.items() if k.startswith("board") for x in v]
                applying = results.get("apply", [])
                print(
                    f"job board at 50 users: p95 {pct(board, 95):.0f} ms over {len(board)} requests; "
                    f"apply p95 {pct(applying, 95):.0f} ms over {len(applying)} requests"
                )
            if users == 50 and "graduate matches" in results:
                p95 = pct(results["graduate matches"], 95)
                verdict = "met" if p95 < 300 and total_errors == 0 else "NOT met"
                print(
                    f"target (zero errors, p95 < 300 ms for matched jobs at 50 users): {verdict} "
                    f"(p95 {p95:.0f} ms, errors {total_errors})"
                )
        return 0 if total_errors == 0 else 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        errors_in_log = [
            line for line in (work / "gunicorn.log").read_text().splitlines() if "ERROR" in line or "Traceback" in line
        ]
        if errors_in_log:
            print("gunicorn log errors:\n" + "\n".join(errors_in_log[:20]))


if __name__ == "__main__":
    sys.exit(main())
