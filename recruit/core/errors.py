"""Errors shared by every domain.

A service raises :class:`ServiceError` when the user broke a rule; routes show its message
next to the named form field (or as a flash) in the user's language. Domain modules never
define their own copy.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A rule the user broke; ``field`` names the form field when there is one.

    ``status`` is the HTTP status a route answers with when it has no form to show the
    message on (400 for bad input, 404 for something the user may not see, 409 for a
    conflict with the current state such as a duplicate or a lost race).
    """

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
