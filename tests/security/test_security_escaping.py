"""Text that looks like HTML or a spreadsheet formula is shown as text and neutralised in exports.

Hostile names and texts are put in every place users type text (university, venue, employer,
posting, fair, graduate, intention); then every GET route of the URL map is requested by every
role, and no HTML response may contain the raw markup. CSV/XLSX exports must neutralise cells
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from recruit.extensions import db
from tests.security.access_rules import EXPECTED, PUBLIC

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULA = '=HYPERLINK("http://x","y")'
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture
def hostile(make_university, make_venue, make_employer, make_posting, make_graduate, make_fair, make_user):
    from recruit.fairs.models import FairRegistration

    uni = make_university(code="XSS", name=f"大学{SCRIPT}")
    formula_uni = make_university(code="FORMULA", name=FORMULA)
    venue = make_venue(university=uni, name=f"场地{SCRIPT}")
    employer = make_employer(name=f"单位{SCRIPT}", contact_name=f"联系人{SCRIPT}", description=SCRIPT)
    pending = make_employer(name=f"待审{SCRIPT}", status="pending")
    posting = make_posting(employer=employer, title=f"岗位{SCRIPT}", description=f"{SCRIPT} {FORMULA}")
    graduate = make_graduate(
        university=uni,
        name=f"学生{SCRIPT}",
        confirmed=False,
        intention=dict(
            positions=[SCRIPT],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills=SCRIPT,
            statement=f"{SCRIPT} {FORMULA}",
        ),
    )
    fair = make_fair(
        university=uni,
        venue=venue,
        day=date(2026, 12, 8),
        title=f"招聘会{SCRIPT}",
        description=f"{SCRIPT} {FORMULA}",
        industry_focus=SCRIPT,
    )
    make_fair(university=formula_uni, format="online", day=date(2026, 12, 9), title=FORMULA)
    registration = FairRegistration(fair=fair, employer=employer, status="pending")
    db.session.add(registration)
    db.session.commit()
    from recruit.fairs.models import FairRepresentative, FairSignup

    booth = FairRegistration(
        fair=fair, employer=make_employer(name=f"展位单位{SCRIPT}"), status="approved", booth_number=1
    )
    db.session.add(booth)
    db.session.flush()
    signup = FairSignup(fair_id=fair.id, graduate_id=graduate.id, status="confirmed")
    representative = FairRepresentative(registration_id=booth.id, name=f"代表{SCRIPT}", phone="13800000000")
    db.session.add_all([signup, representative])
    db.session.commit()
    users = {
        "admin": make_user("admin", display_name=f"管理员{SCRIPT}"),
        "organizer": make_user("organizer", university=uni, display_name=f"老师{SCRIPT}"),
        "employer": make_user("employer", employer=employer),
        "graduate": make_user("graduate", graduate=graduate),
    }
    # Employment statistics: a verified destination record with hostile text, a report, a sample.
    from recruit.statistics import reports, services
    from recruit.statistics.models import VerificationSample
    from recruit.statistics.policy import ReportPeriod
    from recruit.universities.models import College

    college = College(university=uni, name=f"学院{SCRIPT}")
    db.session.add(college)
    db.session.commit()
    graduate.college_id = college.id
    record = services.fill(
        graduate,
        {"category": "contract", "organisation": f"单位{SCRIPT}", "city": SCRIPT, "industry": SCRIPT},
        users["organizer"],
    )
    reviewer = make_user("organizer", university=uni, college_id=college.id)
    services.advance(record, "review", reviewer)
    services.advance(record, "verify", users["organizer"])
    report = reports.submit_report(
        uni, ReportPeriod("monthly", date(2026, 11, 1), date(2026, 11, 30)), users["organizer"]
    )
    sample = reports.draw_sample(uni, graduate.graduation_year, 5, users["admin"], seed=1)
    assert isinstance(sample, VerificationSample)
    values = {
        "fair_id": fair.id,
        "employer_id": employer.id,
        "posting_id": posting.id,
        "graduate_id": graduate.id,
        "university_id": uni.id,
        "venue_id": venue.id,
        "registration_id": registration.id,
        "code": uni.code,
        "kind": "special",
        "season": "2026-autumn",
        "name": "status_upkeep",
        "token": "x" * 43,
        "notification_id": 1,
        "fmt": "csv",
        "what": "graduates",
        "filename": "x.ics",
        "intention_id": graduate.intention.id,
        "record_id": record.id,
        "step": "collect",
        "report_id": report.id,
        "sample_id": sample.id,
        "user_id": reviewer.id,
        "signup_id": signup.id,
        "representative_id": representative.id,
        "job_id": 1,
    }
    # issue 16: a résumé, an application (in interview) and an invitation full of markup
    from recruit.applications.models import Application, Invitation, Resume
    from recruit.timeutil import utcnow

    db.session.add(
        Resume(
            graduate_id=graduate.id,
            education=SCRIPT,
            internships=SCRIPT,
            projects=SCRIPT,
            skills=SCRIPT,
            certificates=FORMULA,
            awards=SCRIPT,
        )
    )
    application = Application(
        graduate_id=graduate.id,
        posting_id=posting.id,
        status="interview",
        version=2,
        cover_note=f"{SCRIPT} {FORMULA}",
        message=SCRIPT,
        interview_place=SCRIPT,
        interview_url="https://meet.example.com/x",
        interview_at=utcnow(),
        interview_revision=1,
    )
    invitation = Invitation(
        employer_id=employer.id,
        graduate_id=graduate.id,
        kind="apply",
        posting_id=posting.id,
        target=f"apply:{posting.id}",
        message=SCRIPT,
    )
    db.session.add_all([application, invitation])
    db.session.commit()
    values.update(application_id=application.id, invitation_id=invitation.id)
    return users, values, pending


def _get_urls(app, values, role):
    from flask import url_for

    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or "GET" not in rule.methods:
                continue
            expected = EXPECTED.get(rule.endpoint)
            if expected is None or not (expected == PUBLIC or role in expected):
                continue
            if not set(rule.arguments) <= values.keys():
                pytest.fail(f"test_security_escaping has no value for an argument of {rule.endpoint}")
            urls.append(url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
    return urls


EXTRA = {
    "anonymous": ["/fairs/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/universities/XSS"],
    "organizer": [
        "/employers/manage?status=pending",
        "/graduates/manage?show=unconfirmed",
        "/graduates/manage?show=all",
        "/graduates/manage?q=%3Cscript%3E",
    ],
    "admin": ["/employers/manage?status=pending", "/employers/manage?status=approved", "/graduates/manage?show=all"],
}


def test_markup_is_shown_as_text_everywhere(app, client, auth, hostile):
    users, values, _ = hostile
    raw, escaped_on = [], set()
    for role in ("anonymous", "admin", "organizer", "employer", "graduate"):
        if role != "anonymous":
            auth.login(users[role])
        for url in _get_urls(app, values, role) + EXTRA.get(role, []):
            response = client.get(url)
            assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
            if response.mimetype != "text/html":
                continue
            body = response.get_data(as_text=True)
            if SCRIPT in body or "<script>alert" in body:
                raw.append(f"{role} GET {url}")
            if SCRIPT_ESCAPED in body:
                escaped_on.add(url.split("?")[0])
        if role != "anonymous":
            auth.logout()
    assert not raw, "raw markup in:\n" + "\n".join(raw)
    # The payload really was displayed (escaped) where those objects are shown.
    for must in (
        f"/fairs/{values['fair_id']}",
        "/universities/XSS",
        "/employers/manage",
        "/graduates/manage",
        f"/statistics/graduates/{values['graduate_id']}",
        f"/statistics/samples/{values['sample_id']}",
        f"/statistics/reports/{values['report_id']}",
    ):
        assert must in escaped_on, f"{must} did not show the escaped text; shown on {sorted(escaped_on)}"


def _export_rules(app):
    return [r for r in app.url_map.iter_rules() if "export" in r.endpoint and "GET" in r.methods]


def test_there_is_an_export_to_check(app):
    assert _export_rules(app), "no export route found"


def _cells_csv(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _cells_xlsx(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


#: Exports that must contain the hostile text (neutralised), by endpoint and ``what``.
MUST_CONTAIN = {("compliance.export", None), ("organizer.export", "graduates"), ("organizer.export", "postings")}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_formulas(app, client, auth, hostile, make_posting, fmt):
    from flask import url_for

    from recruit.graduates.models import Graduate

    users, values, _ = hostile
    make_posting(title=FORMULA, description=FORMULA)
    graduate = db.session.get(Graduate, values["graduate_id"])
    graduate.intention.skills = FORMULA
    graduate.major = FORMULA
    db.session.commit()
    checked, found = [], set()
    for rule in _export_rules(app):
        expected = EXPECTED[rule.endpoint]
        role = "organizer" if expected != PUBLIC and "organizer" in expected else "admin"
        if expected != PUBLIC and role not in expected:
            role = sorted(expected)[0]  # e.g. the employer's export of its applicants
        for what in ["graduates", "postings"] if "what" in rule.arguments else [None]:
            args = {a: values[a] for a in rule.arguments if a not in ("fmt", "what")}
            if "fmt" in rule.arguments:
                args["fmt"] = fmt
            else:
                args["format"] = fmt
            if what:
                args["what"] = what
            with app.test_request_context():
                url = url_for(rule.endpoint, **args)
            auth.login(users[role])
            response = client.get(url)
            auth.logout()
            assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
            cells = _cells_csv(response.data) if fmt == "csv" else _cells_xlsx(response.data)
            dangerous = [
                c for c in cells if c.startswith(FORMULA_STARTS) and not c.lstrip("-+").replace(".", "", 1).isdigit()
            ]
            assert not dangerous, f"{url}: cells a spreadsheet would run: {dangerous[:5]}"
            if "'" + FORMULA in cells:
                found.add((rule.endpoint, what))
            checked.append(url)
    missing = set(MUST_CONTAIN) - found
    assert not missing, f"the hostile text is missing (neutralised) from {sorted(missing, key=str)}; checked {checked}"
