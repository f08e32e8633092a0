"""Forms of the fairs domain."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms import validators as v

from recruit.core import dates
from recruit.fairs.models import FAIR_FORMAT_NAMES, FAIR_KIND_NAMES
from recruit.forms import INTEGER_MESSAGE, number_range, required

KIND_CHOICES = [(kind, _l(name)) for kind, name in FAIR_KIND_NAMES.items()]
FORMAT_CHOICES = [(fmt, _l(name)) for fmt, name in FAIR_FORMAT_NAMES.items()]


class FairForm(FlaskForm):
    title = StringField(
        _l("招聘会名称"), [required(), v.Length(max=120, message=_l("不能超过 %(max)d 个字符。", max=120))]
    )
    kind = SelectField(_l("类型"), choices=KIND_CHOICES, validate_choice=True)
    format = SelectField(_l("举办形式"), choices=FORMAT_CHOICES)
    day = DateField(_l("日期"), [required()], format="%Y-%m-%d")
    start = TimeField(_l("开始时间"), [required()], format="%H:%M")
    end = TimeField(_l("结束时间"), [required()], format="%H:%M")
    venue_id = SelectField(_l("场地"), coerce=int, choices=[], validate_choice=False)
    online_url = StringField(
        _l("线上链接"), [v.Optional(), v.Length(max=500, message=_l("不能超过 %(max)d 个字符。", max=500))]
    )
    booth_capacity = IntegerField(_l("展位数"), [required(), number_range(1, 2000)], default=30)
    industry_focus = StringField(
        _l("行业方向"), [v.Optional(), v.Length(max=120, message=_l("不能超过 %(max)d 个字符。", max=120))]
    )
    description = TextAreaField(
        _l("介绍"), [v.Optional(), v.Length(max=5000, message=_l("不能超过 %(max)d 个字符。", max=5000))]
    )
    #: Shown when the booths exceed the venue's capacity: saving then needs this confirmation.
    over_capacity = BooleanField(_l("确认展位数超出场地容量（部分展位设在室外或线上）"))

    #: The date the edited fair already has (the edit route sets it): keeping it is allowed.
    current_day = None

    def validate_day(self, field):
        error = dates.fair_day_error(field.data, current=self.current_day) if field.data else None
        if error:
            raise v.ValidationError(gettext(error))

    def process_errors(self):
        """Our own messages for values that could not be parsed at all."""
        for f, msg in (
            (self.day, _l("请输入有效的日期（YYYY-MM-DD）。")),
            (self.start, _l("请输入有效的时间（HH:MM）。")),
            (self.end, _l("请输入有效的时间（HH:MM）。")),
            (self.booth_capacity, INTEGER_MESSAGE),
        ):
            if f.errors and f.data is None and f.raw_data and f.raw_data[0]:
                f.errors = [msg]


class CancelForm(FlaskForm):
    reason = StringField(
        _l("取消原因"), [required(), v.Length(max=500, message=_l("不能超过 %(max)d 个字符。", max=500))]
    )


class RegistrationForm(FlaskForm):
    postings = SelectMultipleField(_l("携带岗位"), coerce=int, choices=[], validate_choice=False)
    note = TextAreaField(
        _l("备注"), [v.Optional(), v.Length(max=500, message=_l("不能超过 %(max)d 个字符。", max=500))]
    )
