"""The one e-mail address check of the app: forms, importers and services all ask :func:`is_valid_email`.

It is ``email_validator`` with the options of WTForms' ``Email`` validator (no DNS lookup,
internationalised addresses allowed, no empty local part), never a regular expression.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def is_valid_email(value: str | None) -> bool:
    """Whether ``value`` is a syntactically valid e-mail address (as the forms accept it)."""
    if not isinstance(value, str):
        return False
    try:
        validate_email(value, check_deliverability=False, allow_smtputf8=True, allow_empty_local=False)
    except EmailNotValidError:
        return False
    return True
