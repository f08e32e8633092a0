"""E-mail for notifications, sent with smtplib only after the transaction commits.

:func:`queue` records a message on the SQLAlchemy session (``session.info``); a session
``after_commit`` hook sends the queued messages and stamps ``Notification.emailed_at`` on
its own connection. A rollback drops the queue, so nothing is e-mailed for work that was
not saved. Nothing is sent when ``MAIL_SERVER`` is empty.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from recruit.notifications.models import Notification
from recruit.timeutil import utcnow

log = logging.getLogger(__name__)

_QUEUE_KEY = "recruit.mail_queue"


@dataclass(frozen=True)
class OutgoingMail:
    notification_id: int
    to: str
    subject: str
    body: str
    #: ((filename, content type, bytes), ...), e.g. an interview's calendar invitation.
    attachments: tuple = ()


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool
    username: str
    password: str
    sender: str

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        return cls(
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            sender=config["MAIL_DEFAULT_SENDER"],
        )


def send_messages(settings: MailSettings, messages: list[OutgoingMail]) -> list[int]:
    """Send ``messages`` over one SMTP connection; return the notification ids that were sent."""
    sent: list[int] = []
    if not messages:
        return sent
    with smtplib.SMTP(settings.server, settings.port, timeout=20) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
        for item in messages:
            msg = EmailMessage()
            msg["From"] = settings.sender
            msg["To"] = item.to
            msg["Subject"] = item.subject
            msg["Date"] = formatdate(localtime=False)
            msg["Message-ID"] = make_msgid(domain="recruit")
            msg.set_content(item.body)
            for filename, ctype, data in item.attachments:
                maintype, _sep, rest = ctype.partition("/")
                subtype, *params = [part.strip() for part in rest.split(";")]
                msg.add_attachment(
                    data,
                    maintype=maintype,
                    subtype=subtype,
                    filename=filename,
                    params=dict(p.split("=", 1) for p in params if "=" in p),
                )
            try:
                smtp.send_message(msg)
                sent.append(item.notification_id)
            except smtplib.SMTPException:
                log.exception("mail to %s failed", item.to)
    return sent


def queue(session: Session, engine: sa.Engine, settings: MailSettings, mail: OutgoingMail) -> None:
    """Send ``mail`` after ``session`` commits (dropped on rollback)."""
    if not settings.server or not mail.to:
        return
    entry = session.info.setdefault(_QUEUE_KEY, {"engine": engine, "settings": settings, "messages": []})
    entry["messages"].append(mail)


def _after_commit(session: Session) -> None:
    entry = session.info.pop(_QUEUE_KEY, None)
    if not entry or not entry["messages"]:
        return
    try:
        sent = send_messages(entry["settings"], entry["messages"])
    except (OSError, smtplib.SMTPException):
        log.exception(
            "SMTP server %s unreachable; %d notification e-mails not sent",
            entry["settings"].server,
            len(entry["messages"]),
        )
        return
    if sent:
        table = Notification.__table__
        with entry["engine"].begin() as conn:
            conn.execute(sa.update(table).where(table.c.id.in_(sent)).values(emailed_at=utcnow()))


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: its work is gone
        session.info.pop(_QUEUE_KEY, None)


def install_hooks() -> None:
    """Listen on every SQLAlchemy session (idempotent)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
    if not event.contains(Session, "after_soft_rollback", _after_rollback):
        event.listen(Session, "after_soft_rollback", _after_rollback)
