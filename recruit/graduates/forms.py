"""Graduates' forms: the job-seeking intention (求职意愿)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms import validators as v
from wtforms import widgets

from recruit.forms import CHOICE_MESSAGE, INTEGER_MESSAGE, length, number_range, required
from recruit.validation import CITIES, INDUSTRIES, split_list

SALARY_MAX = 200000


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a list of choices (validated with a Chinese message)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        values = {str(c[0]) for c in self.choices or []}
        if any(d not in values for d in self.data or []):
            raise v.StopValidation(CHOICE_MESSAGE)


class IntentionForm(FlaskForm):
    industries = MultiCheckboxField(_l("意向行业"), choices=[(i, _l(i)) for i in INDUSTRIES])
    cities = MultiCheckboxField(_l("意向城市"), choices=[(c, _l(c)) for c in CITIES])
    positions = StringField(_l("意向岗位"), [required(), length("skills")])
    salary_expectation = IntegerField(
        _l("期望月薪（元）"), [v.Optional(strip_whitespace=True), number_range(0, SALARY_MAX)], default=0
    )
    skills = StringField(_l("技能"), [v.Optional(), length("skills")])
    statement = TextAreaField(_l("自我陈述"), [v.Optional(), length("statement")])
    visible_to_employers = BooleanField(_l("允许用人单位查看我的专业、学历、技能和自我陈述（不含姓名和联系方式）"))
    share_contact = BooleanField(_l("同时允许用人单位查看我的姓名和联系方式"))
    submit = SubmitField(_l("保存"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # WTForms' own parse error is English: show ours.
        if self.salary_expectation.errors and self.salary_expectation.raw_data and self.salary_expectation.data is None:
            self.salary_expectation.errors = [INTEGER_MESSAGE]
        return ok

    def validate_industries(self, field):
        if not field.data:
            raise v.ValidationError(_l("请至少选择一个意向行业。"))

    def validate_cities(self, field):
        if not field.data:
            raise v.ValidationError(_l("请至少选择一个意向城市。"))

    def validate_positions(self, field):
        if not split_list(field.data):
            raise v.ValidationError(_l("请至少填写一个意向岗位。"))

    def validate_share_contact(self, field):
        if field.data and not self.visible_to_employers.data:
            raise v.ValidationError(_l("同意公开姓名和联系方式前，请先允许用人单位查看您的求职意愿。"))
