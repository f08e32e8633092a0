"""Public pages and feeds of the demo never show key-group flags or graduates' names (§13).

The demo is loaded into the test database with ``recruit.demo.data.load_demo()``; an
anonymous client then requests every public GET route of the URL map (each university, each
fair kind, fairs of every university, every feed) and follows the same-site links it finds,
and every response is searched for the key-group labels and for each graduate's name.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from matching.majors import names_for_forms
from recruit.extensions import db
from tests.security.access_rules import EXPECTED, PUBLIC


#: Labels of the key-group flags (§13) in Chinese and English. ("重点群体" itself is not here:
#: the demo has public fairs for key groups, 重点群体毕业生就业帮扶专场, as §13 asks.)
def without_catalogue_majors(body: str) -> str:
    """The body without the MoE catalogue's major names that contain a label (中国少数民族语言文学 is a
    major anyone may study or suggest, not a key-group flag)."""
    for name in CATALOGUE_NAMES_WITH_LABELS:
        body = body.replace(name, "")
    return body


KEY_GROUP_LABELS = ("低收入", "少数民族", "残疾", "low-income", "low income", "ethnic minorit", "disabilit")
CATALOGUE_NAMES_WITH_LABELS = sorted(
    (n for n in names_for_forms() if any(label in n for label in KEY_GROUP_LABELS)), key=len, reverse=True
)
MAX_PAGES = 400
SKIP_PREFIXES = ("/static/", "/logout", "/lang/")


@pytest.fixture
def demo(app):
    from recruit.demo.data import load_demo

    result = load_demo(today=date(2026, 11, 27))
    assert result["created"]
    return result


def _unfold(body: str) -> str:
    """iCalendar folds long lines (CRLF + space) and escapes commas and semicolons."""
    return body.replace("\r\n ", "").replace("\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")


def _public_text_corpus() -> str:
    """Public, non-graduate text: a graduate's name that also occurs here is not evidence."""
    from recruit.auth.models import User
    from recruit.employers.models import Employer, Posting
    from recruit.fairs.models import Fair
    from recruit.universities.models import University, Venue

    parts: list[str] = []
    for row in db.session.execute(sa.select(Employer.name, Employer.contact_name, Employer.description)):
        parts.extend(str(x or "") for x in row)
    for row in db.session.execute(sa.select(Posting.title, Posting.description)):
        parts.extend(str(x or "") for x in row)
    for row in db.session.execute(sa.select(Fair.title, Fair.description)):
        parts.extend(str(x or "") for x in row)
    for row in db.session.execute(
        sa.select(University.name, Venue.name).join(Venue, Venue.university_id == University.id)
    ):
        parts.extend(str(x or "") for x in row)
    parts.extend(db.session.scalars(sa.select(User.display_name).where(User.role != "graduate")))
    return "\n".join(parts)


def _seed_urls(app) -> list[str]:
    from flask import url_for

    from recruit.fairs.models import Fair
    from recruit.universities.models import University

    codes = list(db.session.scalars(sa.select(University.code).order_by(University.code)))
    fair_ids: list[int] = []
    for uni_id in db.session.scalars(sa.select(University.id)):
        fair_ids += list(
            db.session.scalars(
                sa.select(Fair.id)
                .where(Fair.university_id == uni_id, Fair.status.in_(("scheduled", "held")))
                .order_by(Fair.starts_at.desc())
                .limit(3)
            )
        )
    choices = {"code": codes, "fair_id": fair_ids, "kind": ["special", "large"], "token": ["x" * 43]}
    # the public job board (issue 16): the newest postings, open or not
    from recruit.employers.models import Posting

    choices["posting_id"] = list(db.session.scalars(sa.select(Posting.id).order_by(Posting.id.desc()).limit(5)))
    urls: list[str] = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or EXPECTED.get(rule.endpoint) != PUBLIC or "GET" not in rule.methods:
                continue
            combos: list[dict] = [{}]
            for arg in sorted(rule.arguments):
                if arg not in choices:
                    pytest.fail(f"test_public_privacy has no values for URL argument {arg!r} of {rule.endpoint}")
                combos = [dict(c, **{arg: v}) for c in combos for v in choices[arg]]
            urls += [url_for(rule.endpoint, **c) for c in combos]
    return urls


def _links(body: str, base: str) -> list[str]:
    out = []
    for href in re.findall(r'href="([^"#]+)', body):
        href = href.replace("&amp;", "&")
        parts = urlsplit(urljoin("http://localhost" + base, href))
        if parts.netloc != "localhost":
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _crawl(client, seeds: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        response = client.get(url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        body = response.get_data(as_text=True)
        seen[url] = _unfold(body)
        if response.mimetype == "text/html":
            queue.extend(u for u in _links(body, url) if u not in seen)
    return seen


def test_public_pages_and_feeds_hide_key_groups_and_names(app, client, demo):
    from recruit.graduates.models import Graduate

    graduates = db.session.execute(
        sa.select(
            Graduate.name,
            Graduate.email,
            Graduate.phone,
            Graduate.low_income,
            Graduate.ethnic_minority,
            Graduate.disability,
        )
    ).all()
    assert any(g.low_income or g.ethnic_minority or g.disability for g in graduates), "the demo has key-group graduates"
    corpus = _public_text_corpus()
    names = {g.name for g in graduates if g.name not in corpus}
    assert len(names) > len(graduates) // 2, "too few distinctive graduate names to test with"
    private_bits = {g.email for g in graduates if g.email} | {g.phone for g in graduates if g.phone}

    pages = _crawl(client, _seed_urls(app))
    feeds = [u for u in pages if u.endswith(".ics")]
    assert len(pages) >= 30 and len(feeds) >= 5, f"crawled only {len(pages)} responses ({len(feeds)} feeds)"
    problems = []
    # Employers' own posting texts are public and may welcome key groups (欢迎少数民族毕业生…):
    # the job board shows them, so they are cut out before looking for graduates' labels.
    from recruit.employers.models import Posting

    posting_texts = sorted({t for t in db.session.scalars(sa.select(Posting.description)) if t}, key=len, reverse=True)
    for url, body in pages.items():
        if url.startswith("/postings"):
            for text in posting_texts:
                body = body.replace(text, "")
        lowered = without_catalogue_majors(body).lower()
        for label in KEY_GROUP_LABELS:
            if label.lower() in lowered:
                problems.append(f"{url}: key-group label {label!r}")
        for name in names:
            if name in body:
                problems.append(f"{url}: graduate name {name!r}")
        for bit in private_bits:
            if bit in body:
                problems.append(f"{url}: graduate contact {bit!r}")
    assert not problems, "\n".join(problems[:50])


def test_the_check_can_fail(app, client, demo):
    """The control: a graduate's name put into a public fair title is found by the same search."""
    from recruit.fairs.models import Fair
    from recruit.graduates.models import Graduate

    name = db.session.scalar(sa.select(Graduate.name).where(Graduate.low_income.is_(True)).limit(1))
    fair = db.session.scalar(sa.select(Fair).where(Fair.status == "scheduled").order_by(Fair.starts_at.desc()).limit(1))
    fair.title = f"{name}专场（低收入家庭）"
    db.session.commit()
    for url in (f"/fairs/{fair.id}", f"/feeds/fair/{fair.id}.ics"):
        body = _unfold(client.get(url).get_data(as_text=True))
        assert name in body and "低收入" in body, url
