"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms import validators as v

from recruit.forms import INTEGER_MESSAGE, email, length, number_range, required
from recruit.validation import UNIVERSITY_LEVELS

LEVEL_CHOICES = [(level, _l(level)) for level in UNIVERSITY_LEVELS]  # stored in Chinese, shown translated
SETTING_CHOICES = [("indoor", _l("室内")), ("outdoor", _l("室外")), ("online", _l("线上"))]


class _IntegerMessages:
    """Integer fields say 请输入整数。 (in the user's language) instead of WTForms' English."""

    integer_fields: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for name in self.integer_fields:
            field = self[name]
            if field.raw_data and field.raw_data[0].strip() and field.data is None:
                field.errors = [INTEGER_MESSAGE]
                ok = False
        return ok


class UniversityForm(_IntegerMessages, FlaskForm):
    integer_fields = ("graduates_count",)
    code = StringField(_l("学校代码"), [required(), v.Length(max=20, message=_l("不能超过 %(max)d 个字符。"))])
    name = StringField(_l("院校名称"), [required(), length("name")])
    moe_code = StringField(
        _l("院校代码（教育部 5 位）"), [v.Optional(), v.Length(max=5, message=_l("应为 5 位数字。"))]
    )
    city = StringField(_l("所在地"), [required(), length("short")])
    level = SelectField(_l("办学层次"), choices=LEVEL_CHOICES, default="本科")
    graduates_count = IntegerField(_l("毕业生人数"), [required(), number_range(0, 1_000_000)], default=0)
    submit = SubmitField(_l("保存"))

    def data_for_service(self) -> dict:
        return {name: self[name].data for name in ("code", "name", "moe_code", "city", "level", "graduates_count")}


class VenueForm(_IntegerMessages, FlaskForm):
    integer_fields = ("capacity",)
    name = StringField(_l("场地名称"), [required(), length("name")])
    campus = StringField(_l("校区"), [v.Optional(), length("short")])
    capacity = IntegerField(_l("展位数"), [required(), number_range(1, 10_000)])
    setting = SelectField(_l("类型"), choices=SETTING_CHOICES, default="indoor")
    address = StringField(_l("地址"), [v.Optional(), v.Length(max=200, message=_l("不能超过 %(max)d 个字符。"))])
    online_url = StringField(
        _l("线上链接（线上场地必填）"), [v.Optional(), v.Length(max=500, message=_l("不能超过 %(max)d 个字符。"))]
    )
    submit = SubmitField(_l("保存"))

    def data_for_service(self) -> dict:
        return {name: self[name].data for name in ("name", "campus", "capacity", "setting", "address", "online_url")}


class InviteForm(FlaskForm):
    email = StringField(_l("邮箱"), [required(), length("email"), email()])
    display_name = StringField(_l("姓名"), [v.Optional(), length("name")])
    submit = SubmitField(_l("发送邀请"))


class AcceptForm(FlaskForm):
    display_name = StringField(_l("姓名"), [required(), length("name")])
    password = PasswordField(
        _l("设置密码"), [required(), v.Length(min=8, max=128, message=_l("密码长度应在 8 到 128 个字符之间。"))]
    )
    password2 = PasswordField(_l("确认密码"), [required(), v.EqualTo("password", message=_l("两次输入的密码不一致。"))])
    submit = SubmitField(_l("创建账号"))
