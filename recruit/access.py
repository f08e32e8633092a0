"""Every route declares who may use it.

``@access(PUBLIC)`` for anyone, ``@access("admin", "organizer")`` for those roles,
``@access(ANY_USER)`` for any logged-in user. The factory refuses to start when a
view has no declaration, and the test suite walks every route with every role.

Anonymous users asking for a protected page are sent to the login page; a logged-in
user of the wrong role gets 403. Objects of another university or employer give 404
(the scope rule is :mod:`recruit.core.scope`; the route answers ``abort(404)``).
"""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort
from flask_login import current_user

from recruit.extensions import login_manager

PUBLIC = "public"
ANY_USER = "any_user"
ALL_ROLES = ("admin", "organizer", "employer", "graduate")


def access(*roles: str) -> Callable:
    """Declare and enforce who may call a view."""
    if not roles:
        raise ValueError("access() needs at least one role, PUBLIC or ANY_USER")
    allowed = frozenset(roles)
    unknown = allowed - set(ALL_ROLES) - {PUBLIC, ANY_USER}
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if PUBLIC not in allowed:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if ANY_USER not in allowed and current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        wrapped.access_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def check_access_declared(app: Flask) -> None:
    """Refuse to start when a view does not declare who may use it."""
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "access_roles")
    ]
    if missing:
        raise RuntimeError(f"views without an @access declaration: {sorted(missing)}")
