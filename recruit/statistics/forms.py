"""Forms of the statistics pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms import validators as v

from recruit.forms import DATE_MESSAGE, length
from recruit.statistics.policy import categories


def category_choices(english: bool = False) -> list[tuple[str, str]]:
    return [("", _l("请选择"))] + [(c.code, c.english if english else c.label) for c in categories()]


class DestinationForm(FlaskForm):
    category = SelectField(_l("毕业去向"), choices=[], validate_choice=False)
    organisation = StringField(_l("就业单位或升学院校"), [v.Optional(), length("name")])
    city = StringField(_l("所在城市"), [v.Optional(), length("short")])
    industry = StringField(_l("行业"), [v.Optional(), length("short")])
    destination_date = DateField(
        _l("签约、录用或录取日期"), [v.Optional()], format="%Y-%m-%d", render_kw={"type": "date"}
    )
    evidence = FileField(_l("证明材料（PDF、PNG 或 JPG）"))
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, english: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices(english)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # WTForms' own parse error is English: show ours.
        raw = self.destination_date.raw_data
        if raw and raw[0].strip() and self.destination_date.data is None:
            self.destination_date.errors = [DATE_MESSAGE]
            ok = False
        return ok

    def data_for_service(self) -> dict:
        return dict(
            category=self.category.data,
            organisation=self.organisation.data,
            city=self.city.data,
            industry=self.industry.data,
            destination_date=self.destination_date.data,
        )
