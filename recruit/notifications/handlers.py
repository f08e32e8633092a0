"""Listeners of the notifications domain.

- ``fair_changed`` with ``change="cancelled"``: tell the employers with an approved booth and
  the graduates who saved the fair that it is cancelled (once: key ``fair_cancelled:<id>``).
- ``fair_changed`` with ``change`` ``rescheduled``/``moved`` of a published fair: the same people
  learn the new time or place (once per revision).
- ``fair_changed`` with ``change="registration"`` and ``registration=``: a new booth request goes
  to the host university's organizers, a decision to the employer's users.
- ``employer_changed``: the employer's users learn of their approval or rejection.
- ``account_mail``: an account e-mail (reset link, registration link, activation code) is queued.
Every message is stored as a kind and parameters and shown in the reader's language.
  Runs in the sender's transaction (no commit here); the e-mail follows its commit.
"""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path

from flask import Flask, current_app

from recruit import signals
from recruit.extensions import db
from recruit.notifications import mail, messages, services

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
    mail.queue(
        db.session(),
        db.engine,
        settings,
        mail.OutgoingMail(notification_id=NO_NOTIFICATION, to=to, subject=subject, body=body),
    )


def _write_outbox(folder: Path, to: str, subject: str, body: str) -> None:
    """Development without an SMTP server: one text file per message (newest name last)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{secrets.token_hex(3)}.txt"
    (folder / name).write_text(f"To: {to}\nSubject: {subject}\n\n{body}", encoding="utf-8")
    log.info("MAIL_SERVER is not set: e-mail to %s written to %s", to, folder / name)


def on_fair_changed(fair, change: str = "", **extra) -> None:
    if change == "cancelled":
        _notify_cancelled(fair)
    elif change in ("rescheduled", "moved"):
        _notify_time_or_place(fair)
    elif change == "registration" and extra.get("registration") is not None:
        _notify_registration(fair, extra["registration"])


def _notify_cancelled(fair) -> None:
    services.notify(
        services.fair_audience(fair),
        kind="fair_cancelled",
        event_key=f"fair_cancelled:{fair.id}",
        params=messages.fair_params(fair, reason=fair.cancel_reason or ""),
        link=services.path_for("fairs.detail", fair_id=fair.id),
    )


def _notify_time_or_place(fair) -> None:
    """A published fair's new time or place, to its approved employers and the graduates who saved it.

    Once per change: the key carries the fair's revision (bumped by each change of time or place).
    """
    if not fair.is_published:
        return
    services.notify(
        services.fair_audience(fair),
        kind="fair_changed",
        event_key=f"fair_changed:{fair.id}:rev{fair.revision}",
        params=messages.fair_params(fair),
        link=services.path_for("fairs.detail", fair_id=fair.id),
    )


def _notify_registration(fair, registration) -> None:
    """A new booth request (to the host university's organizers) or its decision (to the employer)."""
    stamp = f"{registration.id}:{registration.created_at:%Y%m%dT%H%M%S%f}"
    if registration.status == "pending":
        services.notify(
            services.organizers_of(fair.university_id),
            kind="booth_requested",
            event_key=f"booth_requested:{stamp}",
            params=messages.fair_params(fair, employer=registration.employer.name),
            link=services.path_for("fairs.detail", fair_id=fair.id) + "#registrations",
        )
    elif registration.status in ("approved", "rejected") and registration.decided_at is not None:
        services.notify(
            services.employer_users(registration.employer_id),
            kind=f"booth_{registration.status}",
            event_key=f"booth_{registration.status}:{stamp}",
            params=messages.fair_params(
                fair, booth=registration.booth_number, reason=registration.decision_reason or ""
            ),
            link=services.path_for("fairs.my_registrations"),
        )


def on_employer_changed(employer, **extra) -> None:
    """An employer's approval or rejection, to the employer's users (once per decision)."""
    if employer.status not in ("approved", "rejected") or employer.decided_at is None:
        return
    services.notify(
        services.employer_users(employer.id),
        kind=f"employer_{employer.status}",
        event_key=f"employer_{employer.status}:{employer.id}:{employer.decided_at:%Y%m%dT%H%M%S%f}",
        params={"name": employer.name, "reason": employer.status_reason or ""},
        link=services.path_for("main.dashboard"),
    )


def connect(app: Flask) -> None:
    """Connect the listeners and the after-commit mail hook (idempotent)."""
    mail.install_hooks()
    signals.fair_changed.connect(on_fair_changed)  # blinker keeps one connection per receiver
    signals.employer_changed.connect(on_employer_changed)
    signals.account_mail.connect(on_account_mail)
