"""Account e-mails (password reset, activation codes, registration notices), sent after commit
through :mod:`recruit.notifications.mail` (nothing is sent when ``MAIL_SERVER`` is empty)."""
from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path

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
        outbox = current_app.config.get("MAIL_OUTBOX_DIR")
        if outbox and current_app.config.get("ENV_NAME") != "production":
            _write_outbox(Path(outbox), to, subject, body)
        else:
            log.warning("MAIL_SERVER is not set: e-mail %r to %s not sent", subject, to)
        return
    mail.install_hooks()
    mail.queue(db.session(), db.engine, settings,
               mail.OutgoingMail(notification_id=NO_NOTIFICATION, to=to, subject=subject, body=body))


def _write_outbox(folder: Path, to: str, subject: str, body: str) -> None:
    """Development without an SMTP server: one text file per message (newest name last)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{secrets.token_hex(3)}.txt"
    (folder / name).write_text(f"To: {to}\nSubject: {subject}\n\n{body}", encoding="utf-8")
    log.info("MAIL_SERVER is not set: e-mail to %s written to %s", to, folder / name)


def absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
