"""Listeners of the notifications domain.

- ``fair_changed`` with ``change="cancelled"``: tell the employers with an approved booth and
  the graduates who saved the fair that it is cancelled (once: key ``fair_cancelled:<id>``).
  Runs in the sender's transaction (no commit here); the e-mail follows its commit.
"""
from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from recruit import signals
from recruit.extensions import db
from recruit.notifications import mail, services
from recruit.timeutil import format_datetime

log = logging.getLogger(__name__)


#: Account e-mails are not rows of ``notifications``: nothing to stamp after sending.
NO_NOTIFICATION = 0


def on_account_mail(to: str, subject: str = "", body: str = "", **extra) -> None:
    """Queue an account e-mail (``signals.account_mail``) to leave after the sender's commit; in
    development without a mail server, write it to ``MAIL_OUTBOX_DIR`` instead."""
    settings = mail.MailSettings.from_config(current_app.config)
    if not settings.server:
        outbox = current_app.config.get("MAIL_OUTBOX_DIR")
        if outbox and current_app.config.get("ENV_NAME") != "production":
            _write_outbox(Path(outbox), to, subject, body)
        else:
            log.warning("MAIL_SERVER is not set: e-mail %r to %s not sent", subject, to)
        return
    mail.queue(db.session(), db.engine, settings,
               mail.OutgoingMail(notification_id=NO_NOTIFICATION, to=to, subject=subject, body=body))


def _write_outbox(folder: Path, to: str, subject: str, body: str) -> None:
    """Development without an SMTP server: one text file per message (newest name last)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{secrets.token_hex(3)}.txt"
    (folder / name).write_text(f"To: {to}\nSubject: {subject}\n\n{body}", encoding="utf-8")
    log.info("MAIL_SERVER is not set: e-mail to %s written to %s", to, folder / name)


def on_fair_changed(fair, change: str = "", **extra) -> None:
    if change != "cancelled":
        return
    with force_locale("zh"):  # stored text is in the platform language, not the sender's
        _notify_cancelled(fair)


def _notify_cancelled(fair) -> None:
    when = format_datetime(fair.starts_at)
    body = _("原定于%(when)s举行的“%(title)s”已取消。", when=when, title=fair.title)
    if fair.cancel_reason:
        body += _("取消原因：%(reason)s", reason=fair.cancel_reason)
    services.notify(
        services.fair_audience(fair), kind="fair_cancelled", event_key=f"fair_cancelled:{fair.id}",
        title=_("招聘会已取消：%(title)s", title=fair.title), body=body,
        link=services.path_for("fairs.detail", fair_id=fair.id),
    )


def connect(app: Flask) -> None:
    """Connect the listeners and the after-commit mail hook (idempotent)."""
    mail.install_hooks()
    signals.fair_changed.connect(on_fair_changed)  # blinker keeps one connection per receiver
    signals.account_mail.connect(on_account_mail)
