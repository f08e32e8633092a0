"""Employers' forms: postings (用人单位需求库)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms import validators as v

from recruit.core import dates
from recruit.forms import CHOICE_MESSAGE, DATE_MESSAGE, INTEGER_MESSAGE, length, number_range, required
from recruit.validation import CITIES, DEGREES, INDUSTRIES, LIMITS, split_list

SALARY_MAX = 200000


class PostingForm(FlaskForm):
    title = StringField(_l("岗位名称"), [required(), length("title", 2)])
    industry = SelectField(_l("行业"), choices=[(i, _l(i)) for i in INDUSTRIES])
    city = SelectField(_l("工作城市"), choices=[(c, _l(c)) for c in CITIES])
    min_degree = SelectField(_l("最低学历"), choices=[(d, _l(d)) for d in DEGREES], default="本科")
    majors = StringField(_l("专业要求"), [v.Optional(), length("skills")])
    salary_min = IntegerField(_l("最低月薪（元）"), [required(), number_range(0, SALARY_MAX)])
    salary_max = IntegerField(_l("最高月薪（元）"), [required(), number_range(0, SALARY_MAX)])
    headcount = IntegerField(_l("招聘人数"), [required(), number_range(1, 100_000)], default=1)
    deadline = DateField(_l("截止日期"), [v.Optional()])
    description = TextAreaField(_l("岗位描述"), [v.Optional(), length("description")])
    submit = SubmitField(_l("保存"))

    def validate(self, extra_validators=None) -> bool:
        for f in (self.industry, self.city, self.min_degree):
            f.validate_choice = False
        ok = super().validate(extra_validators)
        # WTForms' own parse errors are English: show ours.
        for f in (self.salary_min, self.salary_max, self.headcount):
            if f.raw_data and f.raw_data[0].strip() and f.data is None:
                f.errors = [INTEGER_MESSAGE]
        if self.deadline.raw_data and self.deadline.raw_data[0].strip() and self.deadline.data is None:
            self.deadline.errors = [DATE_MESSAGE]
        return ok

    def _choice(self, field, allowed):
        if field.data not in allowed:
            raise v.ValidationError(CHOICE_MESSAGE)

    def validate_industry(self, field):
        self._choice(field, INDUSTRIES)

    def validate_city(self, field):
        self._choice(field, CITIES)

    def validate_min_degree(self, field):
        self._choice(field, DEGREES)

    def validate_salary_max(self, field):
        if self.salary_min.data is not None and field.data is not None and self.salary_min.data > field.data:
            raise v.ValidationError(_l("最低月薪不能高于最高月薪。"))

    def validate_headcount(self, field):
        if field.data is not None and field.data <= 0:
            raise v.ValidationError(_l("招聘人数应大于 0。"))

    def validate_deadline(self, field):
        error = dates.deadline_error(field.data)
        if error:
            raise v.ValidationError(gettext(error))

    def validate_majors(self, field):
        if any(len(m) > LIMITS["short"] for m in split_list(field.data)):
            raise v.ValidationError(_l("每个专业名称不能超过 60 个字符。"))

    def data_for_service(self) -> dict:
        return dict(
            title=self.title.data,
            description=self.description.data,
            industry=self.industry.data,
            city=self.city.data,
            min_degree=self.min_degree.data,
            majors=split_list(self.majors.data),
            salary_min=self.salary_min.data,
            salary_max=self.salary_max.data,
            headcount=self.headcount.data,
            deadline=self.deadline.data,
        )


class LicenceForm(FlaskForm):
    """The business licence (营业执照) upload; the content is checked by the service."""

    file = FileField(
        _l("营业执照（PDF、PNG 或 JPEG，不超过 5 MB）"), validators=[FileRequired(_l("请选择要上传的文件。"))]
    )
    submit = SubmitField(_l("上传"))
