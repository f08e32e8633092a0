"""Form building blocks shared by the domain forms: Chinese messages, limits declared once."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import validators as v

from recruit.core.emails import is_valid_email
from recruit.core.phones import PHONE_MESSAGE, is_valid_phone
from recruit.validation import LIMITS


def required(label: str | None = None):
    return v.InputRequired(message=_l("此项必填。"))


def length(kind: str, min_: int = 0):
    limit = LIMITS[kind]
    if min_:
        return v.Length(
            min=min_, max=limit, message=_l("长度应在 %(min)d 到 %(max)d 个字符之间。", min=min_, max=limit)
        )
    return v.Length(max=limit, message=_l("不能超过 %(max)d 个字符。", max=limit))


EMAIL_MESSAGE = _l("请输入有效的电子邮箱地址。")


def email():
    """The e-mail validator of every form: :func:`recruit.core.emails.is_valid_email`."""

    def check(form, field) -> None:
        if not is_valid_email(field.data):
            raise v.ValidationError(EMAIL_MESSAGE)

    return check


def phone():
    """The telephone validator of every form: :func:`recruit.core.phones.is_valid_phone`."""

    def check(form, field) -> None:
        field.data = (field.data or "").strip()
        if not is_valid_phone(field.data):
            raise v.ValidationError(_l(PHONE_MESSAGE))

    return check


def number_range(min_: int | None = None, max_: int | None = None):
    if min_ is not None and max_ is not None:
        msg = _l("应在 %(min)d 到 %(max)d 之间。", min=min_, max=max_)
    elif min_ is not None:
        msg = _l("不能小于 %(min)d。", min=min_)
    else:
        msg = _l("不能大于 %(max)d。", max=max_)
    return v.NumberRange(min=min_, max=max_, message=msg)


INTEGER_MESSAGE = _l("请输入整数。")
DATE_MESSAGE = _l("请输入有效的日期（YYYY-MM-DD）。")
DATETIME_MESSAGE = _l("请输入有效的日期和时间。")
CHOICE_MESSAGE = _l("请选择有效的选项。")


def show_service_error(form, error, field_map: dict[str, str] | None = None) -> None:
    """Show a :class:`~recruit.core.errors.ServiceError` next to its form field, translated;
    as a flash message when it names no field of ``form``. ``field_map`` renames service field
    names to form field names (e.g. ``starts_at`` → ``start``)."""
    name = (field_map or {}).get(error.field, error.field)
    field = form._fields.get(name) if name else None
    message = gettext(error.message)
    if field is not None:
        field.errors = list(field.errors) + [message]
    else:
        flash(message, "error")
