"""NUL bytes and overflowing numbers in every route and every form field (issue 12, item 11).

Generated from the app's URL map and from the forms its pages render, for each role:

- every URL argument: ``99999999999999999999`` for ids (404) and a NUL for strings;
- every route with the query arguments the pages read (``page``, ``university``, ``q``, ...)
  set to a NUL (400) and to huge, negative and exponent numbers;
- every field of every POST form on every page the role can open, one at a time, set to a NUL
  (400, and not one row written anywhere), to huge numbers, ``1e20`` and a CR/LF.

Each answer must be below 500. Before the fix: ``/fairs/99999999999999999999``,
``?page=99999999999999999999`` and a NUL anywhere gave 500s (or stored the NUL on SQLite).
"""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from tests.conftest import PASSWORD

NUL = "a\x00b"
HUGE = ("99999999999999999999", "1e20", "-99999999999999999999")
QUERY_KEYS = (
    "page",
    "university",
    "q",
    "month",
    "day",
    "kind",
    "status",
    "show",
    "group",
    "threshold",
    "min_score",
    "city",
    "industry",
    "format",
    "season",
    "next",
    "unread",
    "past",
    "count",
)
SKIP = {"auth.logout", "auth.set_language", "static"}


class _Forms(HTMLParser):
    """The POST forms of a page: action and (name, value) of each field."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], bool]] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = (a.get("action") or "", {}, a.get("enctype") == "multipart/form-data")
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("file", "submit", "button", "image"):
            if a.get("type") in ("checkbox", "radio") and a["name"] in self._form[1]:
                return
            self._form[1][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form[1].setdefault(self._select, "")
        elif tag == "option" and self._select and (not self._form[1][self._select] or "selected" in a):
            self._form[1][self._select] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form[1][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture
def world(make_university, make_venue, make_employer, make_posting, make_graduate, make_fair, make_user):
    from recruit.fairs.models import FairRegistration
    from recruit.organizer.models import ImportJob

    university = make_university(code="FUZZ")
    venue = make_venue(university=university)
    employer = make_employer()
    posting = make_posting(employer=employer)
    graduate = make_graduate(
        university=university,
        low_income=True,
        intention=dict(
            positions=["Java开发"], cities=["贵阳"], industries=["软件和信息技术服务"], skills="Java", statement="后端"
        ),
    )
    fair = make_fair(university=university, venue=venue, day=date(2026, 12, 8))
    users = {
        "admin": make_user("admin"),
        "organizer": make_user("organizer", university=university),
        "employer": make_user("employer", employer=employer),
        "graduate": make_user("graduate", graduate=graduate),
    }
    organizer_id = users["organizer"].id
    registration = FairRegistration(fair=fair, employer=employer, status="pending")
    job = ImportJob(kind="graduates", user_id=organizer_id, filename="g.csv", status="succeeded", errors=[])
    db.session.add_all([registration, job])
    db.session.commit()
    values = {
        "fair_id": fair.id,
        "employer_id": employer.id,
        "posting_id": posting.id,
        "graduate_id": graduate.id,
        "university_id": university.id,
        "venue_id": venue.id,
        "registration_id": registration.id,
        "code": university.code,
        "kind": "special",
        "season": "2026-autumn",
        "name": "status_upkeep",
        "token": "x" * 43,
        "notification_id": 1,
        "fmt": "csv",
        "what": "graduates",
        "filename": "x.ics",
        "intention_id": graduate.intention.id,
        "job_id": job.id,
    }
    return users, values


def _rows() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in db.metadata.sorted_tables
        }


def _client(app, user):
    client = app.test_client()
    if user is not None:
        with app.app_context():
            assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _path(rule, values, override: dict | None = None) -> str:
    parts = []
    for is_arg, text in rule._trace:
        if is_arg:
            parts.append(str((override or {}).get(text, values.get(text, "x"))))
        else:
            parts.append(text)
    return "".join(parts).split("|", 1)[-1]


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


@pytest.mark.parametrize("role", ["anonymous", "admin", "organizer", "employer", "graduate"])
def test_nul_and_overflow_in_every_url(app, world, role):
    users, values = world
    client = _client(app, users.get(role))
    failures = []
    before = _rows()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]
    for rule in rules:
        method = _method(rule)
        ints = {
            a: "99999999999999999999"
            for a in rule.arguments
            if type(rule._converters[a]).__name__ == "BoundedIntConverter"
        }
        strings = {a: NUL for a in rule.arguments if a not in ints}
        if ints:
            url = _path(rule, values, ints)
            code = client.open(url, method=method).status_code
            # 404; or 405 where another rule of the same shape (a string argument) claims the path
            # for other methods: either way no view runs and nothing is read from the database
            if code not in (404, 405):
                failures.append(f"{role} {method} {url!r}: {code}, expected 404")
        if strings:
            url = _path(rule, values, strings)
            code = client.open(url, method=method).status_code
            if code >= 500 or code == 200:
                failures.append(f"{role} {method} {url!r}: {code}")
        url = _path(rule, values)
        code = client.open(url, method=method, query_string={k: NUL for k in QUERY_KEYS}).status_code
        if code != 400:
            failures.append(f"{role} {method} {url} ?…=NUL: {code}, expected 400")
        if method == "POST":
            code = client.post(url, data={k: NUL for k in QUERY_KEYS}).status_code
            if code != 400:
                failures.append(f"{role} POST {url} form NUL: {code}, expected 400")
    assert _rows() == before, "a request with a NUL byte wrote something"
    for rule in rules:
        method = _method(rule)
        url = _path(rule, values)
        for number in HUGE[:1]:  # "1e20" and negatives: the form fuzz below and parse_int tests
            response = client.open(
                url,
                method=method,
                query_string={k: number for k in QUERY_KEYS},
                data={k: number for k in QUERY_KEYS} if method == "POST" else None,
            )
            if response.status_code >= 500:
                failures.append(f"{role} {method} {url} all={number[:25]}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["anonymous", "admin", "organizer", "employer", "graduate"])
def test_nul_and_overflow_in_every_form_field(app, world, role):
    users, values = world
    client = _client(app, users.get(role))
    forms: dict[tuple[str, tuple], tuple[str, dict, bool]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in rule.methods:
            continue
        response = client.get(_path(rule, values))
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for action, fields, multipart in parser.forms:
            target = urlsplit(action).path or _path(rule, values)
            if target.rstrip("/").endswith(("/logout", "/lang/en", "/lang/zh")):
                continue
            forms.setdefault(
                (target, tuple(sorted(fields))),
                (target + ("?" + urlsplit(action).query if urlsplit(action).query else ""), fields, multipart),
            )
    failures = []
    before = _rows()
    for action, fields, _multipart in forms.values():
        for name in fields:
            if name == "csrf_token":
                continue
            code = client.post(action, data={**fields, name: NUL}).status_code
            if code != 400:
                failures.append(f"{role} POST {action} {name}=NUL: {code}, expected 400")
    assert _rows() == before, "a form with a NUL byte wrote something"
    for action, fields, _multipart in forms.values():
        for name in fields:
            if name == "csrf_token":
                continue
            for value in (*HUGE, "x\r\ny"):
                response = client.post(action, data={**fields, name: value})
                if response.status_code >= 500:
                    failures.append(f"{role} POST {action} {name}={value[:25]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
    if role != "anonymous":
        assert forms, f"{role} saw no form to fuzz"
