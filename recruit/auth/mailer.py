"""Account e-mails (password reset, activation codes, registration notices).

:func:`send` hands the message to ``signals.account_mail``; the notifications domain queues it to
leave after the commit (or writes it to ``MAIL_OUTBOX_DIR`` in development without a mail server).
"""

from __future__ import annotations

from recruit import signals
from recruit.core.urls import public_base_url


def send(to: str, subject: str, body: str) -> None:
    """Queue an e-mail to ``to``; it leaves when the current transaction commits."""
    signals.account_mail.send(to, subject=subject, body=body)


def absolute(path: str) -> str:
    return public_base_url() + path
