"""Marking strings for translation where they are not translated on the spot.

``N_("...")`` returns its argument unchanged; ``pybabel extract -k N_`` finds it, so a message
kept in a constant (and passed to ``gettext`` later) is in the catalog. Messages of
``ServiceError("...")`` are extracted with ``-k ServiceError`` and translated where they are shown.
"""


def N_(message: str) -> str:
    return message
