"""The application state machine: every allowed and every refused move, the version check,
and one notification per change."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.applications import services, states
from recruit.applications.models import Application, ApplicationEvent
from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.timeutil import utcnow
from tests.applications.conftest import notifications_of

ACTORS = ("employer", "graduate")
ALL_MOVES = [
    (frm, to, actor) for frm in states.APPLICATION_STATUSES for to in states.APPLICATION_STATUSES for actor in ACTORS
]


def _interview():
    return services.Interview(at=utcnow() + timedelta(days=2), minutes=45, place="贵阳市观山湖区XX大厦5楼")


def _user(scene, actor):
    return scene.employer_user if actor == "employer" else scene.graduate_user


def test_every_move(scene, application):
    """All 8 x 8 x 2 (from, to, actor) moves on one application: allowed ones succeed, the rest
    answer 409 and change nothing (one test with a reset between moves: fast)."""
    failures = []
    for frm, to, actor in ALL_MOVES:
        db.session.execute(sa.update(Application).where(Application.id == application.id).values(status=frm, version=1))
        db.session.execute(
            sa.delete(ApplicationEvent).where(
                ApplicationEvent.application_id == application.id, ApplicationEvent.version > 1
            )
        )
        db.session.commit()
        db.session.refresh(application)
        allowed = states.TRANSITIONS.get((frm, to)) == actor
        kwargs = {"interview": _interview()} if to == "interview" else {}
        try:
            services.transition(application, to, _user(scene, actor), actor=actor, **kwargs)
        except ServiceError as error:
            db.session.refresh(application)
            if allowed or error.status != 409 or application.status != frm or application.version != 1:
                failures.append(f"{frm}->{to} by {actor}: refused ({error.status}), status {application.status}")
        else:
            db.session.refresh(application)
            last = application.events[-1]
            if not allowed:
                failures.append(f"{frm}->{to} by {actor}: allowed but must be refused")
            elif (application.status, application.version, last.from_status, last.to_status) != (to, 2, frm, to):
                failures.append(f"{frm}->{to} by {actor}: wrong result {application.status} v{application.version}")
    assert not failures, "\n".join(failures)
    assert len(ALL_MOVES) == 128 and sum(1 for m in ALL_MOVES if states.TRANSITIONS.get(m[:2]) == m[2]) == 15


def test_the_machine_has_what_the_issue_asks():
    assert states.allowed("submitted", "viewed", "employer")
    assert states.allowed("viewed", "interview", "employer")
    assert states.allowed("interview", "offered", "employer")
    assert states.allowed("interview", "rejected", "employer")
    assert states.allowed("interview", "withdrawn", "graduate")
    assert not states.allowed("offered", "withdrawn", "graduate")  # decided: no withdrawing
    assert not states.allowed("rejected", "offered", "employer")
    assert states.allowed("offered", "accepted", "graduate")
    assert not states.allowed("offered", "accepted", "employer")


def test_a_decision_on_an_old_version_loses(scene, application):
    services.transition(application, "viewed", scene.employer_user, actor="employer")
    with pytest.raises(ServiceError) as info:
        services.transition(application, "rejected", scene.employer_user, actor="employer", expected_version=1)
    assert info.value.status == 409
    db.session.refresh(application)
    assert application.status == "viewed"


def test_a_stale_object_cannot_overwrite_a_newer_decision(scene, application):
    """Two requests loaded the same row; the second one's compare-and-set fails."""
    stale_status, stale_version = application.status, application.version
    services.transition(application, "offered", scene.employer_user, actor="employer")
    db.session.expire_all()
    other = db.session.get(Application, application.id)
    # what the other request had loaded (set as loaded values, not as changes to save)
    sa.orm.attributes.set_committed_value(other, "status", stale_status)
    sa.orm.attributes.set_committed_value(other, "version", stale_version)
    with pytest.raises(ServiceError) as info:
        services.transition(other, "rejected", scene.employer_user, actor="employer")
    assert info.value.status == 409
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "offered"


@pytest.mark.parametrize(
    "interview, field",
    [
        (None, "interview_at"),
        (services.Interview(at=None, place="A"), "interview_at"),
        (services.Interview(at=utcnow() - timedelta(hours=1), place="A"), "interview_at"),
        (services.Interview(at=utcnow() + timedelta(days=400), place="A"), "interview_at"),
        (services.Interview(at=utcnow() + timedelta(days=1)), "interview_place"),
        (services.Interview(at=utcnow() + timedelta(days=1), minutes=5, place="A"), "interview_minutes"),
        (services.Interview(at=utcnow() + timedelta(days=1), minutes=9999, place="A"), "interview_minutes"),
        (services.Interview(at=utcnow() + timedelta(days=1), url="javascript:alert(1)"), "interview_url"),
        (services.Interview(at=utcnow() + timedelta(days=1), place="长" * 201), "interview_place"),
    ],
)
def test_interview_needs_a_time_and_a_place(scene, application, interview, field):
    with pytest.raises(ServiceError) as info:
        services.transition(application, "interview", scene.employer_user, actor="employer", interview=interview)
    assert info.value.field == field
    db.session.rollback()
    db.session.refresh(application)
    assert application.status == "submitted"


def test_each_change_notifies_the_graduate_exactly_once(scene, application):
    assert notifications_of(scene.graduate_user) == []
    assert [n.kind for n in notifications_of(scene.employer_user)] == ["application_new"]
    services.mark_viewed(application, scene.employer_user)
    services.mark_viewed(application, scene.employer_user)  # opened again: no second change
    services.transition(
        application, "interview", scene.employer_user, actor="employer", interview=_interview(), message="请带上成绩单"
    )
    services.transition(application, "interview", scene.employer_user, actor="employer", interview=_interview())
    services.transition(application, "offered", scene.employer_user, actor="employer")
    notes = notifications_of(scene.graduate_user)
    assert [n.event_key for n in notes] == [f"application:{application.id}:v{v}" for v in (2, 3, 4, 5)]
    assert "已查看" in notes[0].title and "面试" in notes[1].title and "请带上成绩单" in notes[1].body
    services.answer_offer(scene.graduate, application, scene.graduate_user, accept=True)
    assert len(notifications_of(scene.graduate_user)) == 4  # their own answer does not notify them
    assert [n.kind for n in notifications_of(scene.employer_user)] == ["application_new", "application_status"]
    events = db.session.scalars(
        sa.select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application.id)
        .order_by(ApplicationEvent.version)
    ).all()
    assert [e.to_status for e in events] == ["submitted", "viewed", "interview", "interview", "offered", "accepted"]


def test_interview_mail_carries_the_calendar_invitation(app, scene, application, monkeypatch):
    from recruit.notifications import mail

    sent = []
    monkeypatch.setattr(mail, "send_messages", lambda settings, messages: sent.extend(messages) or [])
    app.config.update(MAIL_SERVER="127.0.0.1")
    try:
        services.transition(application, "interview", scene.employer_user, actor="employer", interview=_interview())
    finally:
        app.config.update(MAIL_SERVER="")
    [message] = [m for m in sent if m.to == scene.graduate_user.email]
    [(name, ctype, data)] = message.attachments
    assert name == "interview.ics" and ctype.startswith("text/calendar")
    text = data.decode()
    assert "BEGIN:VEVENT" in text and f"UID:interview-{application.id}@" in text and "SEQUENCE:1" in text
    assert "TZID=Asia/Shanghai" in text


def test_mail_attachment_is_a_real_mime_part(monkeypatch):
    """send_messages puts the .ics into the message as an attachment."""
    import smtplib

    from recruit.notifications import mail

    captured = []

    class FakeSMTP:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def send_message(self, msg):
            captured.append(msg)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    settings = mail.MailSettings(server="x", port=25, use_tls=False, username="", password="", sender="a@b")
    ids = mail.send_messages(
        settings,
        [
            mail.OutgoingMail(
                notification_id=1,
                to="g@example.com",
                subject="面试",
                body="见附件",
                attachments=(
                    ("interview.ics", "text/calendar; method=PUBLISH; charset=utf-8", b"BEGIN:VCALENDAR\r\n"),
                ),
            )
        ],
    )
    assert ids == [1]
    parts = [p for p in captured[0].iter_attachments()]
    assert parts[0].get_filename() == "interview.ics" and parts[0].get_content_type() == "text/calendar"
