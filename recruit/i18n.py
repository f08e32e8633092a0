"""Marking strings for translation where they are not translated on the spot.

``N_("...")`` returns its argument unchanged; ``pybabel extract -k N_`` finds it, so a message
kept in a constant (and passed to ``gettext`` later) is in the catalog. Messages of
``ServiceError("...")`` are extracted with ``-k ServiceError`` and translated where they are shown.
"""
from flask import has_request_context
from flask_babel import gettext


def N_(message: str) -> str:
    return message


def translate(message: str, **params) -> str:
    """``gettext`` in a request (the user's language); the Chinese text, filled in, outside one
    (CLI commands, jobs, tests calling services directly)."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message
