"""Bad input never reaches the database raw: one app-wide mechanism, installed by the factory.

- Control characters: a NUL (or another C0 control other than tab, CR and LF) in the path, a
  query argument, a form field name or value answers 400 with a clear message before any view
  runs (PostgreSQL cannot store NUL; SQLite would store it raw).
- Single-line form fields: every WTForms ``StringField`` that is not a ``TextAreaField`` (nor a
  password) gets a filter that turns CR/LF runs into one space, so a pasted line break never
  splits a title, a name or an e-mail header.
- Integers: every ``IntegerField`` (and ``coerce=int`` select) is bounded by what an INTEGER column holds (a 10^24
  headcount is a form error, not an overflow), and the ``int`` URL converter matches only
  0..2147483647 (``/fairs/99999999999999999999`` is a 404, not a 500).

Numbers read by hand from ``request.args``/``request.form`` go through
:func:`recruit.validation.parse_int` / :func:`recruit.validation.page_number`.
"""

from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError

from recruit.validation import INT_MAX
from recruit.errors import render_error

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS_RE = re.compile(r"\s*[\r\n]+\s*")
CONTROL_MESSAGE = _l("提交的内容含有不允许的控制字符（如空字符 NUL），请删除后重试。")
INTEGER_BOUND_MESSAGE = _l("数值太大或太小。")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` limited to what an INTEGER primary key can hold."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL_RE.search(value))


def one_line(value):
    """WTForms filter: CR/LF runs become one space in a single-line field."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return _LINE_BREAKS_RE.sub(" ", value).strip()
    return value


def _bad_request_input() -> bool:
    if has_control_characters(request.path):
        return True
    for source in (request.args, request.form):
        for key, values in source.lists():
            if has_control_characters(key) or any(has_control_characters(v) for v in values):
                return True
    return False


def _int_column_bound(form, field) -> None:
    """Validator: an integer an INTEGER column can hold (None is left to the other validators)."""
    values = field.data if isinstance(field.data, (list, tuple)) else [field.data]
    if any(isinstance(v, int) and not -INT_MAX <= v <= INT_MAX for v in values):
        raise ValidationError(str(INTEGER_BOUND_MESSAGE))


def _bind_field(self, form, unbound_field, options):
    field = unbound_field.bind(form=form, **options)
    if isinstance(field, StringField) and not isinstance(field, (TextAreaField, PasswordField)):
        field.filters = (*field.filters, one_line)
    if isinstance(field, (IntegerField, SelectField, SelectMultipleField)):  # coerce=int selects too
        # last: a field with its own range says that range first (one message per field is shown)
        field.validators = [*field.validators, _int_column_bound]
    return field


def install_url_converters(app: Flask) -> None:
    """Before any route is added: ``int`` in URLs is bounded."""
    app.url_map.converters["int"] = BoundedIntConverter


def register(app: Flask) -> None:
    # Every FlaskForm of the app (and of tests) binds its fields through this Meta hook.
    FlaskForm.Meta.bind_field = _bind_field

    @app.before_request
    def refuse_control_characters():
        if request.endpoint == "static":
            return None
        if _bad_request_input():
            return render_error(400, str(CONTROL_MESSAGE), back=request.method == "POST")
        return None
