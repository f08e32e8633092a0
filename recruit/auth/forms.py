"""Login, registration and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms import validators as v

from recruit.forms import email, length, number_range, phone, required
from recruit.validation import DEGREES, INDUSTRIES, is_valid_credit_code

PASSWORD_MIN = 8


class LoginForm(FlaskForm):
    email = StringField(_l("电子邮箱"), [required(), length("email")])
    password = PasswordField(_l("密码"), [required()])
    remember = BooleanField(_l("记住我"))
    submit = SubmitField(_l("登录"))


class PasswordMixin:
    password = PasswordField(
        _l("密码"),
        [required(), v.Length(min=PASSWORD_MIN, max=128, message=_l("密码长度应在 8 到 128 个字符之间。"))],
    )
    password2 = PasswordField(_l("确认密码"), [required(), v.EqualTo("password", message=_l("两次输入的密码不一致。"))])


class EmployerRegistrationForm(PasswordMixin, FlaskForm):
    name = StringField(_l("单位名称"), [required(), length("name", 2)])
    credit_code = StringField(_l("统一社会信用代码"), [required()])
    industry = SelectField(_l("所属行业"), choices=[(i, _l(i)) for i in INDUSTRIES], validate_choice=True)
    city = StringField(_l("所在城市"), [required(), length("short")])
    contact_name = StringField(_l("联系人"), [required(), length("name")])
    contact_phone = StringField(_l("联系电话"), [required(), length("phone"), phone()])
    description = TextAreaField(_l("单位简介"), [v.Optional(), length("description")])
    email = StringField(_l("登录邮箱"), [required(), length("email"), email()])
    submit = SubmitField(_l("注册"))

    def validate_credit_code(self, field):
        field.data = (field.data or "").strip().upper()
        if not is_valid_credit_code(field.data):
            raise v.ValidationError(_l("统一社会信用代码无效：应为 18 位，且校验位正确。"))


class GraduateRegistrationForm(PasswordMixin, FlaskForm):
    university = SelectField(_l("学校"), coerce=int, validate_choice=True)
    student_number = StringField(_l("学号"), [required(), length("student_number")])
    name = StringField(_l("姓名"), [required(), length("name")])
    major = StringField(_l("专业"), [required(), length("short")])
    degree = SelectField(_l("学历"), choices=[(d, _l(d)) for d in DEGREES], validate_choice=True)
    graduation_year = IntegerField(
        _l("毕业年份"), [required(), number_range(2000, 2100)], render_kw={"inputmode": "numeric"}
    )
    email = StringField(_l("登录邮箱"), [required(), length("email"), email()])
    activation_code = StringField(
        _l("激活码"),
        [v.Optional(), v.Length(max=40, message=_l("不能超过 %(max)d 个字符。", max=40))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("注册"))


class AccountForm(FlaskForm):
    display_name = StringField(_l("显示名称"), [required(), length("name")])
    locale = SelectField(_l("界面语言"), choices=[("zh", "简体中文"), ("en", "English")], validate_choice=True)
    submit = SubmitField(_l("保存"))


class PasswordChangeForm(PasswordMixin, FlaskForm):
    current_password = PasswordField(_l("当前密码"), [required()])
    submit_password = SubmitField(_l("修改密码"))


class ForgotPasswordForm(FlaskForm):
    email = StringField(_l("登录邮箱"), [required(), length("email"), email()])
    submit = SubmitField(_l("发送重设链接"))


class ResetPasswordForm(PasswordMixin, FlaskForm):
    submit = SubmitField(_l("设置新密码"))
