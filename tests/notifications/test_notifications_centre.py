"""The notification centre, the once-per-event key, e-mail after commit (real SMTP server)."""

from __future__ import annotations

import socket
from datetime import date

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.notifications import services
from recruit.notifications.models import Notification


def _count(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.user_id == user.id))


def test_notify_once_per_event_key(make_user):
    user = make_user("graduate")
    first = services.notify([user, user], "fair_reminder", "k:1", "标题", "正文")
    db.session.commit()
    again = services.notify([user], "fair_reminder", "k:1", "标题", "正文")
    db.session.commit()
    assert len(first) == 1 and again == []
    assert _count(user) == 1
    assert services.unread_count(user) == 1


@pytest.mark.parametrize("role", ["admin", "organizer", "employer", "graduate"])
def test_centre_lists_marks_read_and_header_count(make_user, client, auth, role):
    user = make_user(role)
    services.notify([user], "test", "a", "第一条通知", "内容一")
    services.notify([user], "test", "b", "第二条通知", "内容二", link="/fairs/")
    db.session.commit()
    auth.login(user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "第一条通知" in page and "第二条通知" in page
    assert 'data-testid="unread-count">2<' in page
    n = db.session.scalar(sa.select(Notification).where(Notification.event_key == "a"))
    response = client.post(f"/notifications/{n.id}/read")
    assert response.status_code == 302
    assert 'data-testid="unread-count">1<' in client.get("/notifications/").get_data(as_text=True)
    other = db.session.scalar(sa.select(Notification).where(Notification.event_key == "b"))
    assert client.post(f"/notifications/{other.id}/read", data={"next": "link"}).headers["Location"] == "/fairs/"
    services.notify([user], "test", "c", "第三条通知")
    services.notify([user], "test", "d", "第四条通知")
    db.session.commit()
    client.post("/notifications/read-all")
    db.session.expire_all()
    assert services.unread_count(user) == 0
    assert "unread-count" not in client.get("/notifications/").get_data(as_text=True)


def test_someone_elses_notification_is_404(make_user, client, auth):
    owner, intruder = make_user("graduate"), make_user("graduate")
    services.notify([owner], "test", "x", "私人通知")
    db.session.commit()
    n = db.session.scalar(sa.select(Notification))
    auth.login(intruder)
    assert client.post(f"/notifications/{n.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    assert "私人通知" not in client.get("/notifications/").get_data(as_text=True)
    db.session.refresh(n)
    assert n.read_at is None


# --- e-mail against a real SMTP server --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield sink
    controller.stop()
    app.config.update(MAIL_SERVER="")


def test_email_is_sent_after_commit_only(make_user, smtp_server):
    import email

    user = make_user("graduate", email="grad-mail@example.com")
    services.notify([user], "test", "mail:1", "招聘会提醒", "明天下午两点", link="/fairs/1")
    assert smtp_server.messages == []  # not before the commit
    db.session.commit()
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["grad-mail@example.com"]
    msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert str(msg["Subject"]) == "招聘会提醒"
    assert "明天下午两点" in msg.get_content() and "http://recruit.test/fairs/1" in msg.get_content()
    n = db.session.scalar(sa.select(Notification).where(Notification.event_key == "mail:1"))
    assert n.emailed_at is not None
    # The same event again: no row, no mail.
    services.notify([user], "test", "mail:1", "招聘会提醒", "明天下午两点")
    db.session.commit()
    assert len(smtp_server.messages) == 1


def test_rolled_back_notification_sends_no_email(make_user, smtp_server):
    user = make_user("graduate")
    services.notify([user], "test", "mail:2", "不会发出")
    db.session.rollback()
    db.session.commit()
    assert smtp_server.messages == []
    assert _count(user) == 0


def test_no_mail_server_no_email(make_user, app):
    user = make_user("graduate")
    assert app.config["MAIL_SERVER"] == ""
    services.notify([user], "test", "mail:3", "仅站内")
    db.session.commit()
    assert db.session.scalar(sa.select(Notification.emailed_at)) is None


# --- cancellation ---------------------------------------------------------------------------


def test_cancellation_notifies_booths_and_savers_once(make_user, make_fair, make_employer, make_graduate):
    from recruit import signals
    from recruit.fairs.models import FairRegistration
    from recruit.graduates.models import SavedFair

    fair = make_fair(day=date(2026, 12, 8), title="秋季专场")
    approved, pending = make_employer(), make_employer()
    db.session.add_all(
        [
            FairRegistration(fair=fair, employer=approved, status="approved"),
            FairRegistration(fair=fair, employer=pending, status="pending"),
        ]
    )
    saver, other = make_graduate(), make_graduate()
    db.session.add(SavedFair(graduate_id=saver.id, fair_id=fair.id))
    db.session.commit()
    hr = make_user("employer", employer=approved)
    pending_hr = make_user("employer", employer=pending)
    grad_user = make_user("graduate", graduate=saver)
    other_user = make_user("graduate", graduate=other)
    for _ in range(2):  # a second cancel signal (e.g. a retried request) adds nothing
        fair.status = "cancelled"
        fair.cancel_reason = "场地维修"
        signals.fair_changed.send(fair, change="cancelled")
        db.session.commit()
    rows = db.session.scalars(sa.select(Notification).where(Notification.kind == "fair_cancelled")).all()
    assert sorted(n.user_id for n in rows) == sorted([hr.id, grad_user.id])
    assert all("秋季专场" in n.title and "场地维修" in n.body for n in rows)
    assert _count(pending_hr) == 0 and _count(other_user) == 0
