"""Listeners of the notifications domain.

- ``fair_changed`` with ``change="cancelled"``: tell the employers with an approved booth and
  the graduates who saved the fair that it is cancelled (once: key ``fair_cancelled:<id>``).
- ``fair_changed`` with ``change`` ``rescheduled``/``moved`` of a published fair: the same people
  learn the new time or place (once per revision).
- ``fair_changed`` with ``change="registration"`` and ``registration=``: a new booth request goes
  to the host university's organizers, a decision to the employer's users.
- ``employer_changed``: the employer's users learn of their approval or rejection.
Every message is stored as a kind and parameters and shown in the reader's language.
  Runs in the sender's transaction (no commit here); the e-mail follows its commit.
"""
from __future__ import annotations

from flask import Flask

from recruit import signals
from recruit.notifications import messages


def on_fair_changed(fair, change: str = "", **extra) -> None:
    if change == "cancelled":
        _notify_cancelled(fair)
    elif change in ("rescheduled", "moved"):
        _notify_time_or_place(fair)
    elif change == "registration" and extra.get("registration") is not None:
        _notify_registration(fair, extra["registration"])


def _notify_cancelled(fair) -> None:
    from recruit.notifications import services

    services.notify(
        services.fair_audience(fair), kind="fair_cancelled", event_key=f"fair_cancelled:{fair.id}",
        params=messages.fair_params(fair, reason=fair.cancel_reason or ""),
        link=services.path_for("fairs.detail", fair_id=fair.id),
    )


def _notify_time_or_place(fair) -> None:
    """A published fair's new time or place, to its approved employers and the graduates who saved it.

    Once per change: the key carries the fair's revision (bumped by each change of time or place).
    """
    from recruit.notifications import services

    if not fair.is_published:
        return
    services.notify(
        services.fair_audience(fair), kind="fair_changed", event_key=f"fair_changed:{fair.id}:rev{fair.revision}",
        params=messages.fair_params(fair), link=services.path_for("fairs.detail", fair_id=fair.id),
    )


def _notify_registration(fair, registration) -> None:
    """A new booth request (to the host university's organizers) or its decision (to the employer)."""
    from recruit.notifications import services

    stamp = f"{registration.id}:{registration.created_at:%Y%m%dT%H%M%S%f}"
    if registration.status == "pending":
        services.notify(
            services.organizers_of(fair.university_id), kind="booth_requested", event_key=f"booth_requested:{stamp}",
            params=messages.fair_params(fair, employer=registration.employer.name),
            link=services.path_for("fairs.detail", fair_id=fair.id) + "#registrations",
        )
    elif registration.status in ("approved", "rejected") and registration.decided_at is not None:
        services.notify(
            services.employer_users(registration.employer_id), kind=f"booth_{registration.status}",
            event_key=f"booth_{registration.status}:{stamp}",
            params=messages.fair_params(fair, booth=registration.booth_number,
                                        reason=registration.decision_reason or ""),
            link=services.path_for("fairs.my_registrations"),
        )


def on_employer_changed(employer, **extra) -> None:
    """An employer's approval or rejection, to the employer's users (once per decision)."""
    from recruit.notifications import services

    if employer.status not in ("approved", "rejected") or employer.decided_at is None:
        return
    services.notify(
        services.employer_users(employer.id), kind=f"employer_{employer.status}",
        event_key=f"employer_{employer.status}:{employer.id}:{employer.decided_at:%Y%m%dT%H%M%S%f}",
        params={"name": employer.name, "reason": employer.status_reason or ""},
        link=services.path_for("main.dashboard"),
    )


def connect(app: Flask) -> None:
    """Connect the listeners and the after-commit mail hook (idempotent)."""
    from recruit.notifications.mail import install_hooks

    install_hooks()
    signals.fair_changed.connect(on_fair_changed)  # blinker keeps one connection per receiver
    signals.employer_changed.connect(on_employer_changed)
