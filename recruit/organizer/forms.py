"""Forms of the organizer pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from recruit.validation import LIMITS


class ImportForm(FlaskForm):
    file = FileField(
        _l("文件（.csv 或 .xlsx）"),
        validators=[
            FileRequired(_l("请选择要导入的文件。")),
            FileAllowed(["csv", "xlsx"], _l("只能导入 .csv 或 .xlsx 文件。")),
        ],
    )


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("跟进记录"),
        validators=[
            DataRequired(_l("请填写记录内容。")),
            Length(max=LIMITS["note"], message=_l("记录不能超过 %(max)d 个字符。")),
        ],
    )


class RecommendForm(FlaskForm):
    posting_id = HiddenField(validators=[DataRequired(_l("请选择要推荐的岗位。"))])
    note = StringField(
        _l("推荐理由"), validators=[Length(max=LIMITS["reason"], message=_l("推荐理由不能超过 %(max)d 个字符。"))]
    )
