"""Listeners of the notifications domain.

- ``fair_changed`` with ``change="cancelled"``: tell the employers with an approved booth and
  the graduates who saved the fair that it is cancelled (once: key ``fair_cancelled:<id>``).
  Runs in the sender's transaction (no commit here); the e-mail follows its commit.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _

from recruit import signals
from recruit.notifications import services
from recruit.notifications.mail import install_hooks
from recruit.timeutil import format_datetime


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
    install_hooks()
    signals.fair_changed.connect(on_fair_changed)  # blinker keeps one connection per receiver
