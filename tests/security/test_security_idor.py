"""IDOR: an object of another university or employer is 404, never shown or changed.

Generated from the URL map: every route with an ``<..._id>`` argument is tried by the
organizer, employer and graduate of university/employer B with the ids of world A's
objects. A route where crossing is the purpose (an employer asks for a booth at any
university's fair) is listed in ``CROSSING_ALLOWED`` with its reason; any other new object
route is checked automatically, and an id argument with no value here fails the suite.
"""

from __future__ import annotations

from datetime import date

import pytest

from recruit.extensions import db
from tests.security.access_rules import EXPECTED, PUBLIC

#: (endpoint, role) pairs where another university's/employer's object is reachable by design.
CROSSING_ALLOWED = {
    ("fairs.register", "employer"): "any approved employer may request a booth at any university's published fair",
    ("employers.decide", "organizer"): "identity is verified once for the province (by organizers only when delegated)",
    (
        "employers.detail",
        "organizer",
    ): "employers are province-wide; each university's office sees them to decide participation",
    ("employers.trust", "organizer"): "postings are reviewed province-wide (by organizers only when delegated)",
    ("employers.participation", "organizer"): "each university decides on any employer for its own fairs",
    ("employers.licence", "organizer"): "reviewers of a province-wide identity see its licence",
    ("employers.review", "organizer"): "postings are reviewed province-wide (by organizers only when delegated)",
    ("graduates.save_fair", "graduate"): "a graduate may save any university's published fair",
    ("graduates.save_posting", "graduate"): "a graduate may save any open posting",
    ("fairday.signup_page", "graduate"): "a graduate may sign up for any university's published fair",
    ("fairday.signup", "graduate"): "a graduate may sign up for any university's published fair",
    (
        "fairday.enter",
        "graduate",
    ): "a published fair's online link is public; attendance is recorded only for one's own sign-up",
    (
        "fairday.enter",
        "employer",
    ): "a published fair's online link is public; attendance is recorded only for one's own booth",
    ("applications.apply", "graduate"): "a graduate may apply to any public posting",
}

ROLES = ("organizer", "employer", "graduate")


def _world(tag, make_university, make_venue, make_employer, make_posting, make_graduate, make_fair, make_user):
    from recruit.fairs.models import FairRegistration
    from recruit.notifications.models import Notification

    university = make_university(code=f"IDOR{tag}", name=f"{tag}大学")
    venue = make_venue(university=university)
    employer = make_employer(name=f"{tag}科技有限公司")
    posting = make_posting(employer=employer)
    graduate = make_graduate(
        university=university,
        low_income=True,  # a key-group graduate: has a case record page
        intention=dict(
            positions=["Java开发"], cities=["贵阳"], industries=["软件和信息技术服务"], skills="Java", statement="后端"
        ),
    )
    fair = make_fair(university=university, venue=venue, day=date(2026, 12, 8), status="scheduled")
    draft = make_fair(university=university, venue=venue, day=date(2026, 12, 9), status="draft")
    users = {
        "organizer": make_user("organizer", university=university),
        "employer": make_user("employer", employer=employer),
        "graduate": make_user("graduate", graduate=graduate),
    }
    registration = FairRegistration(fair=fair, employer=employer, status="pending")
    db.session.add(registration)
    from recruit.fairs.models import FairRepresentative, FairSignup

    db.session.flush()
    signup = FairSignup(fair_id=fair.id, graduate_id=graduate.id, status="confirmed")
    representative = FairRepresentative(registration_id=registration.id, name="代表", phone="13800000000")
    db.session.add_all([signup, representative])
    notes = {}
    for role, user in users.items():
        notes[role] = Notification(user_id=user.id, kind="test", event_key=f"idor-{tag}-{role}", title="通知", body="")
        db.session.add(notes[role])
    from datetime import timedelta

    from recruit.admin.models import OrganizerInvitation
    from recruit.timeutil import utcnow

    organizer_invitation = OrganizerInvitation(
        email=f"invite-{tag}@example.com",
        university_id=university.id,
        nonce_hash=tag * 64,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(organizer_invitation)
    from recruit.organizer.models import ImportJob

    job = ImportJob(
        kind="graduates",
        user_id=users["organizer"].id,
        university_id=university.id,
        filename="g.csv",
        status="succeeded",
        summary="导入成功",
        errors=[],
    )
    db.session.add(job)
    db.session.commit()
    from recruit.employers import licences

    licences.store(employer, b"%PDF-1.4 licence", None)  # so the reviewers' licence route has a file
    values = {
        "organizer_invitation_id": organizer_invitation.id,
        "user_id": users["organizer"].id,
        "fair_id": fair.id,
        "employer_id": employer.id,
        "posting_id": posting.id,
        "graduate_id": graduate.id,
        "university_id": university.id,
        "venue_id": venue.id,
        "registration_id": registration.id,
        "intention_id": graduate.intention.id,
        "signup_id": signup.id,
        "representative_id": representative.id,
        "job_id": job.id,
    }
    from recruit.auth import sessions as auth_sessions  # a signed-in browser of the organizer (trust-identity)

    auth_sessions.start(users["organizer"], False)
    db.session.commit()
    values["session_id"] = auth_sessions.current_row_id(users["organizer"])
    # employment statistics: the graduate's destination record, a report, a sample, a colleague
    from recruit.statistics import reports, services
    from recruit.statistics.policy import ReportPeriod

    colleague = make_user("organizer", university=university)
    import io

    from werkzeug.datastructures import FileStorage

    evidence = FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="offer.pdf")
    record = services.fill(graduate, {"category": "contract", "organisation": "单位"}, users["organizer"], evidence)
    report = reports.submit_report(
        university, ReportPeriod("monthly", date(2026, 11, 1), date(2026, 11, 30)), users["organizer"]
    )
    sample = reports.draw_sample(university, graduate.graduation_year, 1, make_user("admin"), seed=1)
    values.update(record_id=record.id, report_id=report.id, sample_id=sample.id, user_id=colleague.id)
    # issue 16: the graduate's résumé (with a PDF), an application in interview, an invitation
    from datetime import timedelta

    from recruit.applications import resumes
    from recruit.applications.models import Application, Invitation
    from recruit.timeutil import utcnow

    resumes.save_resume(graduate, {"skills": "Java"})
    resumes.upload_pdf(graduate, b"%PDF-1.4 test", "cv.pdf")
    application = Application(
        graduate_id=graduate.id,
        posting_id=posting.id,
        status="interview",
        version=2,
        interview_at=utcnow() + timedelta(days=3),
        interview_place="A座",
        interview_revision=1,
    )
    invitation = Invitation(
        employer_id=employer.id,
        graduate_id=graduate.id,
        kind="apply",
        posting_id=posting.id,
        target=f"apply:{posting.id}",
    )
    db.session.add_all([application, invitation])
    db.session.commit()
    values.update(application_id=application.id, invitation_id=invitation.id)
    return {
        "users": users,
        "values": values,
        "draft_id": draft.id,
        "notes": {r: n.id for r, n in notes.items()},
        "fair": fair,
        "registration": registration,
    }


@pytest.fixture
def worlds(make_university, make_venue, make_employer, make_posting, make_graduate, make_fair, make_user):
    args = (make_university, make_venue, make_employer, make_posting, make_graduate, make_fair, make_user)
    return _world("A", *args), _world("B", *args)


#: Values for non-id URL arguments (same as tests/security/test_access_matrix.py::world).
OTHER_VALUES = {
    "kind": "special",
    "season": "2026-autumn",
    "name": "status_upkeep",
    "token": "x" * 43,
    "fmt": "csv",
    "what": "graduates",
    "filename": "x.ics",
    "step": "collect",
}


def _object_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        if any(arg.endswith("_id") for arg in rule.arguments):
            rules.append(rule)
    return rules


def _url(app, rule, world, role):
    from flask import url_for

    args = {}
    for arg in rule.arguments:
        if arg == "notification_id":
            args[arg] = world["notes"][role]
        elif arg in world["values"]:
            args[arg] = world["values"][arg]
        elif arg == "code":
            args[arg] = world["fair"].university.code
        elif arg in OTHER_VALUES:
            args[arg] = OTHER_VALUES[arg]
        else:
            pytest.fail(f"test_security_idor has no value for URL argument {arg!r} of {rule.endpoint}")
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def test_there_are_object_routes_to_check(app):
    assert len(_object_rules(app)) >= 5


def test_crossing_exceptions_name_real_routes(app):
    stale = sorted(ep for ep, _role in CROSSING_ALLOWED if ep not in app.view_functions)
    assert not stale, f"CROSSING_ALLOWED names routes that no longer exist: {stale}"


def test_objects_of_another_university_or_employer_are_404(app, client, auth, worlds):
    a, b = worlds
    failures, checked = [], 0
    for role in ROLES:
        auth.login(b["users"][role])
        for rule in _object_rules(app):
            expected = EXPECTED.get(rule.endpoint)
            if expected is None or expected == PUBLIC or role not in expected:
                continue  # public routes: below; role refusals: test_access_matrix
            if (rule.endpoint, role) in CROSSING_ALLOWED:
                continue
            url = _url(app, rule, a, role)
            response = client.open(url, method=_method(rule))
            checked += 1
            if response.status_code != 404:
                failures.append(f"{role} of B {_method(rule)} {url}: {response.status_code}, expected 404")
        auth.logout()
    assert checked, "no object route was checked"
    assert not failures, "\n".join(failures)


def test_owners_reach_their_own_objects(app, client, auth, worlds):
    """The control: the same ids are not 404 for world A's own users (GET routes)."""
    a, _ = worlds
    failures = []
    for role in ROLES:
        auth.login(a["users"][role])
        for rule in _object_rules(app):
            expected = EXPECTED.get(rule.endpoint)
            if "GET" not in rule.methods or expected is None or expected == PUBLIC or role not in expected:
                continue
            url = _url(app, rule, a, role)
            code = client.get(url).status_code
            if code == 404 or code >= 500:
                failures.append(f"{role} of A GET {url}: {code}")
        auth.logout()
    assert not failures, "\n".join(failures)


def test_notifications_of_another_user_are_404(client, auth, worlds):
    from recruit.notifications.models import Notification

    a, b = worlds
    auth.login(b["users"]["graduate"])
    assert client.post(f"/notifications/{a['notes']['graduate']}/read").status_code == 404
    assert db.session.get(Notification, a["notes"]["graduate"]).read_at is None


def test_draft_fairs_do_not_exist_for_others(app, client, auth, worlds):
    """A public object route does not show another university's draft (anonymous or logged in)."""
    a, b = worlds
    draft = a["draft_id"]
    public_fair_rules = [
        r
        for r in _object_rules(app)
        if EXPECTED.get(r.endpoint) == PUBLIC and set(r.arguments) == {"fair_id"} and "GET" in r.methods
    ]
    assert public_fair_rules
    from flask import url_for

    with app.test_request_context():
        urls = [url_for(r.endpoint, fair_id=draft) for r in public_fair_rules]
    for who in (None, "organizer", "employer", "graduate"):
        if who:
            auth.login(b["users"][who])
        for url in urls:
            assert client.get(url).status_code == 404, f"{who or 'anonymous'} GET {url}"
        if who:
            auth.logout()
    auth.login(a["users"]["organizer"])
    for url in urls:
        if "/fairs/" in url and not url.endswith(".ics"):
            assert client.get(url).status_code == 200, url


def test_registration_of_another_employer_is_not_changed(client, auth, worlds):
    from recruit.fairs.models import FairRegistration

    a, b = worlds
    reg_id = a["values"]["registration_id"]
    auth.login(b["users"]["employer"])
    assert client.post(f"/fairs/registrations/{reg_id}/withdraw").status_code == 404
    auth.logout()
    auth.login(b["users"]["organizer"])
    assert client.post(f"/fairs/registrations/{reg_id}/decide", data={"decision": "approve"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(FairRegistration, reg_id).status == "pending"


def test_crossing_routes_still_refuse_drafts(client, auth, worlds):
    """Where crossing is allowed, another university's draft fair still does not exist."""
    import sqlalchemy as sa

    from recruit.graduates.models import SavedFair

    a, b = worlds
    auth.login(b["users"]["graduate"])
    # Saving answers a draft exactly as a fair that does not exist (no existence leak), saves nothing.
    draft = client.post(f"/graduates/me/saved/fairs/{a['draft_id']}", follow_redirects=True)
    missing = client.post("/graduates/me/saved/fairs/999999", follow_redirects=True)
    assert draft.status_code == missing.status_code
    assert "该招聘会未发布或已结束" in draft.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedFair)) == 0
    auth.logout()
    auth.login(b["users"]["employer"])
    assert client.post(f"/fairs/{a['draft_id']}/register").status_code == 404
