"""Account e-mails (password reset, activation codes, registration notices), sent after commit
through :mod:`recruit.notifications.mail` (nothing is sent when ``MAIL_SERVER`` is empty)."""
from __future__ import annotations

import logging

from flask import current_app

from recruit.extensions import db
from recruit.notifications import mail

log = logging.getLogger(__name__)

#: Account e-mails are not rows of ``notifications``: nothing to stamp after sending.
NO_NOTIFICATION = 0


def send(to: str, subject: str, body: str) -> None:
    """Queue an e-mail to ``to``; it leaves when the current transaction commits."""
    settings = mail.MailSettings.from_config(current_app.config)
    if not settings.server:
        log.warning("MAIL_SERVER is not set: e-mail %r to %s not sent", subject, to)
        return
    mail.install_hooks()
    mail.queue(db.session(), db.engine, settings,
               mail.OutgoingMail(notification_id=NO_NOTIFICATION, to=to, subject=subject, body=body))


def absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
