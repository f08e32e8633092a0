"""Forms of the résumé, applying and the employer's pipeline."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms import validators as v

from recruit.applications import states
from recruit.applications.services import Interview
from recruit.forms import DATETIME_MESSAGE, INTEGER_MESSAGE
from recruit.timeutil import combine_local
from recruit.validation import LIMITS

TEXT_LIMIT = 3000
MESSAGE_LIMIT = 1000


def _len(limit: int):
    return v.Length(max=limit, message=_l("不能超过 %(max)d 个字符。", max=limit))


class ResumeForm(FlaskForm):
    education = TextAreaField(
        _l("其他教育经历"),
        validators=[_len(TEXT_LIMIT)],
        description=_l("学校、专业、学历、起止年份，每行一段（本校学历已自动列出）。"),
    )
    internships = TextAreaField(
        _l("实习经历"), validators=[_len(TEXT_LIMIT)], description=_l("单位、岗位、时间和做了什么，每段一行。")
    )
    projects = TextAreaField(
        _l("项目经历"), validators=[_len(TEXT_LIMIT)], description=_l("项目名称、您的角色、用到的技术和成果。")
    )
    skills = StringField(
        _l("技能"),
        validators=[_len(LIMITS["skills"])],
        description=_l("用顿号或逗号分隔，例如：Java、Spring Boot、MySQL"),
    )
    certificates = TextAreaField(_l("证书"), validators=[_len(TEXT_LIMIT)])
    awards = TextAreaField(_l("获奖"), validators=[_len(TEXT_LIMIT)])


class PdfForm(FlaskForm):
    pdf = FileField(_l("PDF 简历（可选）"), validators=[FileRequired(_l("请选择要上传的 PDF 文件。"))])


class ApplyForm(FlaskForm):
    cover_note = TextAreaField(_l("附言（可选）"), validators=[_len(MESSAGE_LIMIT)])


class DecideForm(FlaskForm):
    action = SelectField(
        _l("操作"), choices=[(s, states.STATUS_LABELS[s]) for s in states.EMPLOYER_TARGETS], validate_choice=True
    )
    message = TextAreaField(_l("给毕业生的留言（可选）"), validators=[_len(MESSAGE_LIMIT)])
    interview_at = StringField(_l("面试时间"), render_kw={"type": "datetime-local"})
    interview_minutes = StringField(_l("面试时长（分钟）"), default="60", render_kw={"inputmode": "numeric"})
    interview_place = StringField(_l("面试地点"), validators=[_len(LIMITS["address"])])
    interview_url = StringField(_l("线上会议链接"), validators=[_len(LIMITS["url"])])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [(s, str(states.STATUS_LABELS[s])) for s in states.EMPLOYER_TARGETS]

    def interview(self):
        """The interview fields as a :class:`~recruit.applications.services.Interview`; bad
        values become field errors (returns None then)."""
        at = parse_local_datetime(self.interview_at.data)
        if self.interview_at.data and at is None:
            self.interview_at.errors = [*self.interview_at.errors, str(DATETIME_MESSAGE)]
            return None
        text = (self.interview_minutes.data or "").strip() or "60"
        if not text.isdigit() or len(text) > 4:
            self.interview_minutes.errors = [*self.interview_minutes.errors, str(INTEGER_MESSAGE)]
            return None
        return Interview(
            at=at, minutes=int(text), place=self.interview_place.data or "", url=self.interview_url.data or ""
        )


def parse_local_datetime(value: str | None):
    """``2026-12-08T14:30`` (or with a space) in Asia/Shanghai, as aware UTC; None when invalid."""
    text = (value or "").strip().replace(" ", "T")[:16]
    try:
        parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return combine_local(parsed.date(), parsed.time())


class InviteForm(FlaskForm):
    kind = SelectField(_l("邀请类型"), choices=[(k, states.INVITATION_KIND_LABELS[k]) for k in states.INVITATION_KINDS])
    fair_id = SelectField(_l("招聘会"), coerce=int, choices=[], validate_choice=False)
    message = TextAreaField(_l("留言（可选）"), validators=[_len(MESSAGE_LIMIT)])
