"""Résumés, applying, the employer's pipeline, invitations and the universities' view.

Rules (issue 16):

- One application per graduate and posting (a unique constraint; the second answers 409).
- Every status change goes through :func:`transition`: the move must be allowed by
  :mod:`recruit.applications.states` for the actor, and it is a compare-and-set on the
  application's ``version``; of two simultaneous decisions exactly one wins, the other is
  told the truth (409).
- Each change made by the employer notifies the graduate exactly once (event key
  ``application:<id>:v<version>``); a new application and a withdrawal notify the employer.
- The employer sees an applicant's name and contact only once the graduate applied to it
  or accepted its invitation; never key-group flags.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale, gettext
from sqlalchemy.exc import IntegrityError

from recruit.applications import states
from recruit.applications.calendar import interview_ics
from recruit.applications.models import Application, ApplicationEvent, Invitation, Resume
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university, scope_to_university
from recruit.core.uploads import UploadStore
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.graduates.models import Graduate
from recruit.matchmaking import services as matching
from recruit.notifications import services as notifications
from recruit.signals import intention_changed
from recruit.timeutil import format_datetime, utcnow
from recruit.universities.models import University
from recruit.validation import DEGREES, LIMITS, split_list

def _(msgid: str, /, **values) -> str:
    """The message in the user's language while serving a request; in Chinese otherwise (CLI, jobs)."""
    if has_request_context():
        return gettext(msgid, **values)
    with force_locale("zh"):  # lazy labels among the values render in Chinese too
        return msgid % {k: v if isinstance(v, (int, float)) else str(v) for k, v in values.items()} \
            if values else msgid


RESUME_TEXT_LIMIT = 3000
MESSAGE_LIMIT = 1000


# ====================================================================== résumé
def resume_of(graduate: Graduate | None) -> Resume | None:
    if graduate is None:
        return None
    return db.session.scalar(sa.select(Resume).where(Resume.graduate_id == graduate.id))


def has_resume(graduate: Graduate | None) -> bool:
    return resume_of(graduate) is not None


def _text(data: dict, name: str, label: str, limit: int = RESUME_TEXT_LIMIT) -> str:
    value = (data.get(name) or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise ServiceError(_("%(label)s不能超过 %(limit)d 个字符。", label=label, limit=limit), name)
    return value


def save_resume(graduate: Graduate, data: dict) -> Resume:
    """Create or update the graduate's résumé in one transaction; the matching text follows it."""
    values = {
        "education": _text(data, "education", _("其他教育经历")),
        "internships": _text(data, "internships", _("实习经历")),
        "projects": _text(data, "projects", _("项目经历")),
        "certificates": _text(data, "certificates", _("证书")),
        "awards": _text(data, "awards", _("获奖")),
    }
    skills = "、".join(split_list((data.get("skills") or "").replace("\x00", "")))
    if len(skills) > LIMITS["skills"]:
        raise ServiceError(_("技能不能超过 %(limit)d 个字符。", limit=LIMITS["skills"]), "skills")
    resume = resume_of(graduate) or Resume(graduate_id=graduate.id)
    for name, value in values.items():
        setattr(resume, name, value)
    resume.skills = skills
    resume.updated_at = utcnow()
    db.session.add(resume)
    _matching_text_changed(graduate)
    db.session.commit()
    return resume


def _matching_text_changed(graduate: Graduate) -> None:
    """The résumé feeds the intention's matching record: tell the matching index."""
    db.session.flush()
    db.session.expire(graduate, ["resume"])
    if graduate.intention is not None:
        intention_changed.send(graduate.intention)


#: Résumé PDFs: ``<instance>/resumes/<graduate id>-<token>.pdf``, outside the web root.
RESUMES = UploadStore(None, "resumes", ("application/pdf",), "RESUME_PDF_MAX_BYTES", "pdf")


def pdf_limit() -> int:
    return RESUMES.max_bytes()


def upload_pdf(graduate: Graduate, data: bytes, filename: str) -> Resume:
    """Store the résumé PDF (replacing any earlier one). Checked by size and by content (``%PDF-``)."""
    stored = RESUMES.save(data, prefix=str(graduate.id), messages={
        "empty": _("请选择要上传的 PDF 文件。"),
        "too_large": _("PDF 文件不能超过 %(mb)d MB。", mb=pdf_limit() // (1024 * 1024) or 1),
        "wrong_type": _("只能上传 PDF 文件（文件内容不是 PDF）。"),
    })
    resume = resume_of(graduate) or Resume(graduate_id=graduate.id)
    old = resume.pdf_path
    resume.pdf_path = stored.name
    resume.pdf_name = (os.path.basename((filename or "").replace("\\", "/")).replace("\x00", "") or "resume.pdf")[:200]
    resume.pdf_size = stored.size
    resume.pdf_uploaded_at = utcnow()
    resume.updated_at = utcnow()
    db.session.add(resume)
    with RESUMES.replacing(stored.name, old):
        db.session.commit()
    return resume


def delete_pdf(graduate: Graduate) -> None:
    resume = resume_of(graduate)
    if resume is None or not resume.pdf_path:
        raise ServiceError(_("您还没有上传 PDF 简历。"))
    old = resume.pdf_path
    resume.pdf_path = None
    resume.pdf_name = ""
    resume.pdf_size = 0
    resume.pdf_uploaded_at = None
    db.session.commit()
    RESUMES.delete(old)


def pdf_file(resume: Resume) -> Path | None:
    return RESUMES.path(resume.pdf_path) if resume is not None else None


def send_pdf(resume: Resume, download_name: str):
    """The résumé PDF as a download (never cached), or None when there is none."""
    return RESUMES.send(resume.pdf_path, "application/pdf", download_name) if resume is not None else None


def _insert_once(row, duplicate: str) -> None:
    """Add and flush ``row``; a unique constraint it breaks (a double submit, a race) rolls back and
    answers ``duplicate`` (409)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(duplicate, status=409) from None


def applied_to_employer(graduate_id: int, employer_id: int) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(Application.id)).join(Posting, Posting.id == Application.posting_id)
        .where(Application.graduate_id == graduate_id, Posting.employer_id == employer_id)
    ) > 0


def accepted_invitation_from(graduate_id: int, employer_id: int) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(Invitation.id)).where(
            Invitation.graduate_id == graduate_id, Invitation.employer_id == employer_id,
            Invitation.status == "accepted")
    ) > 0


def can_view_resume(user, graduate: Graduate) -> bool:
    """The graduate, employers they applied to, and their own university's organizers (and admins)."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == "graduate":
        return user.graduate_id == graduate.id
    if user.role == "employer":
        return user.employer_id is not None and applied_to_employer(graduate.id, user.employer_id)
    return can_manage_university(user, graduate.university_id)


def contact_shared(graduate: Graduate, employer_id: int) -> bool:
    """May the employer see the graduate's name and contact details?"""
    return (graduate.share_contact or applied_to_employer(graduate.id, employer_id)
            or accepted_invitation_from(graduate.id, employer_id))


# ====================================================================== applying
def application_for(graduate: Graduate | None, posting: Posting) -> Application | None:
    if graduate is None:
        return None
    return db.session.scalar(
        sa.select(Application).where(Application.graduate_id == graduate.id, Application.posting_id == posting.id))


def applied_posting_ids(graduate: Graduate | None, posting_ids) -> dict[int, str]:
    """{posting id: status} of the graduate's applications among ``posting_ids``."""
    posting_ids = list(posting_ids)
    if graduate is None or not posting_ids:
        return {}
    return dict(db.session.execute(
        sa.select(Application.posting_id, Application.status)
        .where(Application.graduate_id == graduate.id, Application.posting_id.in_(posting_ids))).all())


def _employer_users(employer_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role == "employer", User.employer_id == employer_id, User.active.is_(True))
        .order_by(User.id)))


def _graduate_users(graduate_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role == "graduate", User.graduate_id == graduate_id, User.active.is_(True))
        .order_by(User.id)))


def _check_fair(fair_id, employer_id: int) -> int | None:
    """A fair id given with an application: kept only if the employer has an approved booth there."""
    if not fair_id:
        return None
    try:
        fair_id = int(fair_id)
    except (TypeError, ValueError):
        return None
    if not 0 < fair_id < 2**31:
        return None
    ok = db.session.scalar(
        sa.select(sa.func.count(FairRegistration.id)).join(Fair, Fair.id == FairRegistration.fair_id)
        .where(FairRegistration.fair_id == fair_id, FairRegistration.employer_id == employer_id,
               FairRegistration.status == "approved", Fair.status.in_(("scheduled", "held"))))
    return fair_id if ok else None


def apply(graduate: Graduate, posting: Posting, user: User, *, cover_note: str = "", fair_id=None,
          invitation: Invitation | None = None, commit: bool = True) -> Application:
    """The graduate applies to a public posting; a second application answers 409."""
    if graduate is None or not graduate.confirmed:
        raise ServiceError(_("您的毕业生身份尚未经学校确认，暂不能投递。"), status=403)
    if posting is None or not posting.is_active():
        raise ServiceError(_("该岗位已关闭或不存在，无法投递。"), status=404)
    if resume_of(graduate) is None:
        raise ServiceError(_("请先填写简历再投递。"), "resume", status=400)
    note = (cover_note or "").replace("\x00", "").strip()
    if len(note) > MESSAGE_LIMIT:
        raise ServiceError(_("附言不能超过 %(limit)d 个字符。", limit=MESSAGE_LIMIT), "cover_note")
    if application_for(graduate, posting) is not None:
        raise ServiceError(_("您已投递过该岗位，请在“我的投递”中查看进度。"), status=409)
    now = utcnow()
    application = Application(
        graduate_id=graduate.id, posting_id=posting.id, status="submitted", version=1, cover_note=note,
        fair_id=_check_fair(fair_id, posting.employer_id) or (invitation.fair_id if invitation else None),
        invitation_id=invitation.id if invitation else None, created_at=now, updated_at=now,
    )
    _insert_once(application, _("您已投递过该岗位，请在“我的投递”中查看进度。"))
    db.session.add(ApplicationEvent(application_id=application.id, from_status=None, to_status="submitted",
                                    version=1, actor_id=user.id if user else None, message=note, created_at=now))
    with force_locale("zh"):
        notifications.notify(
            _employer_users(posting.employer_id), kind="application_new",
            event_key=f"application_new:{application.id}",
            title=_("新的投递：%(title)s", title=posting.title),
            body=_("%(major)s专业%(degree)s毕业生投递了“%(title)s”。", major=graduate.major, degree=graduate.degree,
                   title=posting.title),
            link=notifications.path_for("applications.employer_detail", application_id=application.id),
        )
    if commit:
        db.session.commit()
    return application


@dataclass
class Interview:
    """Where and when an interview takes place."""

    at: datetime | None
    minutes: int = 60
    place: str = ""
    url: str = ""


def _check_interview(interview: Interview | None) -> Interview:
    if interview is None or interview.at is None:
        raise ServiceError(_("请填写面试时间。"), "interview_at")
    if interview.at.tzinfo is None:
        raise ServiceError(_("请填写面试时间。"), "interview_at")
    if interview.at < utcnow():
        raise ServiceError(_("面试时间不能早于现在。"), "interview_at")
    if interview.at > utcnow() + timedelta(days=366):
        raise ServiceError(_("面试时间应在一年以内。"), "interview_at")
    minutes = interview.minutes or 60
    if not 10 <= minutes <= 480:
        raise ServiceError(_("面试时长应在 10 到 480 分钟之间。"), "interview_minutes")
    place = (interview.place or "").replace("\x00", "").strip()
    url = (interview.url or "").replace("\x00", "").strip()
    if not place and not url:
        raise ServiceError(_("请填写面试地点或线上会议链接。"), "interview_place")
    if len(place) > LIMITS["address"]:
        raise ServiceError(_("面试地点不能超过 %(limit)d 个字符。", limit=LIMITS["address"]), "interview_place")
    if url and (len(url) > LIMITS["url"] or not url.lower().startswith(("https://", "http://"))):
        raise ServiceError(_("线上会议链接应以 https:// 或 http:// 开头，且不超过 500 个字符。"), "interview_url")
    return Interview(at=interview.at, minutes=minutes, place=place, url=url)


def transition(application: Application, to_status: str, user: User, *, actor: str, message: str = "",
               interview: Interview | None = None, expected_version: int | None = None,
               commit: bool = True) -> Application:
    """Move ``application`` to ``to_status`` (compare-and-set on its version).

    ``actor`` is ``employer`` or ``graduate``. Refused moves answer 409 with the current state;
    a lost race answers 409 too. The graduate is notified once of each employer's change.
    """
    current, version = application.status, application.version
    if expected_version is not None and expected_version != version:
        raise ServiceError(_("该投递的状态已被更新，请刷新后重试。"), status=409)
    if to_status not in states.APPLICATION_STATUSES or not states.allowed(current, to_status, actor):
        raise ServiceError(_("当前状态为“%(status)s”，不能改为“%(target)s”。",
                             status=states.STATUS_LABELS.get(current, current),
                             target=states.STATUS_LABELS.get(to_status, to_status)), status=409)
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ServiceError(_("留言不能超过 %(limit)d 个字符。", limit=MESSAGE_LIMIT), "message")
    now = utcnow()
    values: dict = dict(status=to_status, version=version + 1, updated_at=now)
    if actor == "employer":
        values["message"] = message
    if to_status == "interview":
        iv = _check_interview(interview)
        values.update(interview_at=iv.at, interview_minutes=iv.minutes, interview_place=iv.place,
                      interview_url=iv.url, interview_revision=(application.interview_revision or 0) + 1)
    result = db.session.execute(
        sa.update(Application).where(Application.id == application.id, Application.version == version,
                                     Application.status == current)
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("该投递刚刚已被处理，请刷新后查看最新状态。"), status=409)
    db.session.add(ApplicationEvent(application_id=application.id, from_status=current, to_status=to_status,
                                    version=version + 1, actor_id=user.id if user else None, message=message,
                                    created_at=now))
    db.session.flush()
    db.session.refresh(application)
    _notify_change(application, current, actor)
    if commit:
        db.session.commit()
    return application


def _notify_change(application: Application, previous: str, actor: str) -> None:
    posting = application.posting
    with force_locale("zh"):
        label = str(states.STATUS_LABELS[application.status])
        if actor == "employer":
            body = _("“%(employer)s”的“%(title)s”：您的投递状态更新为“%(status)s”。",
                     employer=posting.employer.name, title=posting.title, status=label)
            if application.status == "interview":
                where = application.interview_place or application.interview_url
                body += _("面试时间：%(when)s，地点：%(where)s。日历邀请（.ics）可在投递详情中下载。",
                          when=format_datetime(application.interview_at), where=where)
            if application.message:
                body += "\n" + _("单位留言：%(message)s", message=application.message)
            notifications.notify(
                _graduate_users(application.graduate_id), kind="application_status",
                event_key=f"application:{application.id}:v{application.version}",
                title=_("投递状态更新：%(title)s — %(status)s", title=posting.title, status=label), body=body,
                link=notifications.path_for("applications.my_detail", application_id=application.id),
                attachments=_ics_attachment(application),
            )
        elif application.status in ("withdrawn", "accepted", "declined"):
            notifications.notify(
                _employer_users(posting.employer_id), kind="application_status",
                event_key=f"application:{application.id}:v{application.version}",
                title=_("投递状态更新：%(title)s — %(status)s", title=posting.title, status=label),
                body=_("一位申请人的投递状态更新为“%(status)s”。", status=label),
                link=notifications.path_for("applications.employer_detail", application_id=application.id),
            )


def _ics_attachment(application: Application) -> tuple:
    if application.status != "interview" or application.interview_at is None:
        return ()
    return (("interview.ics", "text/calendar; method=PUBLISH; charset=utf-8", interview_ics(application)),)


def mark_viewed(application: Application, user: User) -> None:
    """Opening a new application moves it to 已查看 (a lost race is harmless: someone else did)."""
    if application.status != "submitted":
        return
    try:
        transition(application, "viewed", user, actor="employer")
    except ServiceError:
        db.session.rollback()
        db.session.refresh(application)


def withdraw(graduate: Graduate, application: Application, user: User) -> Application:
    if application.graduate_id != graduate.id:
        raise ServiceError(_("投递不存在。"), status=404)
    return transition(application, "withdrawn", user, actor="graduate")


def answer_offer(graduate: Graduate, application: Application, user: User, accept: bool) -> Application:
    if application.graduate_id != graduate.id:
        raise ServiceError(_("投递不存在。"), status=404)
    return transition(application, "accepted" if accept else "declined", user, actor="graduate")


@dataclass
class BulkResult:
    done: int = 0
    skipped: int = 0


def bulk_transition(employer_id: int, posting: Posting, ids, to_status: str, user: User, message: str = "",
                    interview: Interview | None = None) -> BulkResult:
    """Apply one move to many applications of a posting; each is its own compare-and-set."""
    if to_status not in states.EMPLOYER_TARGETS:
        raise ServiceError(_("请选择有效的操作。"), "action")
    clean = []
    for value in ids or []:
        try:
            n = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < n < 2**31:
            clean.append(n)
    if not clean:
        raise ServiceError(_("请至少选择一份投递。"), "ids")
    apps = db.session.scalars(
        sa.select(Application).where(Application.id.in_(clean[:500]), Application.posting_id == posting.id)
        .order_by(Application.id)).all()
    if posting.employer_id != employer_id:
        raise ServiceError(_("投递不存在。"), status=404)
    result = BulkResult(skipped=len(set(clean)) - len(apps))
    if to_status == "interview":
        _check_interview(interview)
    for application in apps:
        if not states.allowed(application.status, to_status, "employer"):
            result.skipped += 1
            continue
        try:
            transition(application, to_status, user, actor="employer", message=message, interview=interview)
        except ServiceError:
            db.session.rollback()
            result.skipped += 1
        else:
            result.done += 1
    return result


# ====================================================================== employer's queries
def employer_application(employer_id: int | None, application_id: int) -> Application | None:
    """The application if it was made to one of the employer's postings, else None (404)."""
    if employer_id is None:
        return None
    return db.session.scalar(
        sa.select(Application).join(Posting, Posting.id == Application.posting_id)
        .where(Application.id == application_id, Posting.employer_id == employer_id))


def graduate_application(graduate: Graduate | None, application_id: int) -> Application | None:
    if graduate is None:
        return None
    return db.session.scalar(
        sa.select(Application).where(Application.id == application_id, Application.graduate_id == graduate.id))


@dataclass
class PipelineFilters:
    status: str = ""
    degree: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> "PipelineFilters":
        status = (args.get("status") or "").strip()
        degree = (args.get("degree") or "").strip()
        q = (args.get("q") or "").replace("\x00", "").strip()[:60]
        return cls(status=status if status in states.APPLICATION_STATUSES else "",
                   degree=degree if degree in DEGREES else "", q=q)


def pipeline_query(posting: Posting, f: PipelineFilters) -> sa.Select:
    query = (sa.select(Application).join(Graduate, Graduate.id == Application.graduate_id)
             .where(Application.posting_id == posting.id)
             .options(sa.orm.contains_eager(Application.graduate).joinedload(Graduate.university)))
    if f.status:
        query = query.where(Application.status == f.status)
    if f.degree:
        query = query.where(Graduate.degree == f.degree)
    if f.q:
        escaped = f.q.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        query = query.join(University, University.id == Graduate.university_id).where(sa.or_(
            Graduate.major.ilike(f"%{escaped}%", escape="!"), University.name.ilike(f"%{escaped}%", escape="!")))
    return query.order_by(Application.created_at.desc(), Application.id.desc())


def status_counts(posting: Posting) -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(Application.status, sa.func.count(Application.id)).where(Application.posting_id == posting.id)
        .group_by(Application.status)).all())


def applications_count_by_posting(employer_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(Application.posting_id, sa.func.count(Application.id)).join(Posting, Posting.id == Application.posting_id)
        .where(Posting.employer_id == employer_id).group_by(Application.posting_id)).all())


def export_headers() -> list[str]:
    return ["投递编号", "姓名", "学校", "专业", "学历", "毕业年份", "电话", "邮箱", "状态", "投递时间", "面试时间",
            "面试地点", "技能", "附言"]


def export_rows(posting: Posting, f: PipelineFilters):
    """The applicants of a posting (they applied: contact is shared); never key-group flags."""
    for a in db.session.scalars(pipeline_query(posting, f)).unique():
        g = a.graduate
        resume = resume_of(g)
        yield [a.id, g.name, g.university.name if g.university else "", g.major, g.degree, g.graduation_year,
               g.phone, g.email or _graduate_email(g), str(states.STATUS_LABELS[a.status]),
               format_datetime(a.created_at), format_datetime(a.interview_at) if a.interview_at else "",
               a.interview_place or a.interview_url, resume.skills if resume else "", a.cover_note]


def _graduate_email(graduate: Graduate) -> str:
    user = db.session.scalar(sa.select(User).where(User.graduate_id == graduate.id).limit(1))
    return user.email if user else ""


def graduate_contact(graduate: Graduate) -> dict:
    return {"name": graduate.name, "phone": graduate.phone, "email": graduate.email or _graduate_email(graduate)}


# ====================================================================== graduate's queries
def my_applications(graduate: Graduate) -> list[Application]:
    return list(db.session.scalars(
        sa.select(Application).where(Application.graduate_id == graduate.id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .options(sa.orm.joinedload(Application.posting).joinedload(Posting.employer))).unique())


# ====================================================================== invitations
def invite(user: User, graduate_id: int, posting_id: int, kind: str, *, fair_id=None, message: str = "") -> Invitation:
    """An employer invites a matched, opted-in graduate to apply to a posting or to meet at a fair."""
    employer = db.session.get(Employer, user.employer_id) if user.employer_id else None
    if employer is None or not employer.is_approved:
        raise ServiceError(_("单位尚未通过认证，暂不能邀请毕业生。"), status=403)
    if kind not in states.INVITATION_KINDS:
        raise ServiceError(_("请选择有效的邀请类型。"), "kind")
    posting = db.session.get(Posting, posting_id) if posting_id else None
    if posting is None or posting.employer_id != employer.id:
        raise ServiceError(_("岗位不存在。"), "posting_id", status=404)
    if not posting.is_active():
        raise ServiceError(_("该岗位已关闭或未发布，不能邀请。"), "posting_id", status=409)
    graduate = db.session.get(Graduate, graduate_id) if graduate_id else None
    if (graduate is None or not graduate.confirmed or not graduate.visible_to_employers
            or graduate.intention is None):
        raise ServiceError(_("该毕业生不存在或未同意被用人单位查看。"), status=404)
    if posting.id not in matching.match_for_postings(graduate, [posting.id]):
        raise ServiceError(_("该毕业生与此岗位不匹配，不能邀请。"), status=409)
    fair = None
    if kind == "fair":
        fid = _check_fair(fair_id, employer.id)
        fair = db.session.get(Fair, fid) if fid else None
        if fair is None or fair.status != "scheduled" or fair.ends_at < utcnow():
            raise ServiceError(_("请选择贵单位已获批展位、且尚未结束的招聘会。"), "fair_id")
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ServiceError(_("留言不能超过 %(limit)d 个字符。", limit=MESSAGE_LIMIT), "message")
    target = f"apply:{posting.id}" if kind == "apply" else f"fair:{fair.id}"
    invitation = Invitation(employer_id=employer.id, graduate_id=graduate.id, kind=kind, posting_id=posting.id,
                            fair_id=fair.id if fair else None, target=target, message=message,
                            created_by_id=user.id, created_at=utcnow())
    _insert_once(invitation, _("已向该毕业生发出过同样的邀请。"))
    with force_locale("zh"):
        if kind == "apply":
            title = _("“%(employer)s”邀请您投递“%(title)s”", employer=employer.name, title=posting.title)
        else:
            title = _("“%(employer)s”邀请您在“%(fair)s”见面", employer=employer.name, fair=fair.title)
        notifications.notify(_graduate_users(graduate.id), kind="invitation", event_key=f"invitation:{invitation.id}",
                             title=title, body=message,
                             link=notifications.path_for("applications.my_invitations"))
    db.session.commit()
    return invitation


def respond(graduate: Graduate, invitation_id: int, user: User, accept: bool) -> Invitation:
    """The graduate accepts or declines (compare-and-set on ``pending``). Accepting an
    ``apply`` invitation applies to the posting in the same transaction."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.graduate_id != graduate.id:
        raise ServiceError(_("邀请不存在。"), status=404)
    if invitation.status != "pending":
        raise ServiceError(_("您已回复过该邀请。"), status=409)
    if accept and invitation.kind == "apply" and application_for(graduate, invitation.posting) is not None:
        raise ServiceError(_("您已投递过该岗位，请在“我的投递”中查看进度。"), status=409)
    result = db.session.execute(
        sa.update(Invitation).where(Invitation.id == invitation.id, Invitation.status == "pending")
        .values(status="accepted" if accept else "declined", responded_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("您已回复过该邀请。"), status=409)
    db.session.refresh(invitation)
    if accept and invitation.kind == "apply":
        apply(graduate, invitation.posting, user, invitation=invitation, commit=False)
    with force_locale("zh"):
        notifications.notify(
            _employer_users(invitation.employer_id), kind="invitation_answer",
            event_key=f"invitation_answer:{invitation.id}",
            title=_("毕业生已接受邀请") if accept else _("毕业生婉拒了邀请"),
            body=_("邀请：%(what)s", what=invitation.posting.title if invitation.posting else ""),
            link=notifications.path_for("applications.employer_invitations"),
        )
    db.session.commit()
    return invitation


def my_invitations(graduate: Graduate) -> list[Invitation]:
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.graduate_id == graduate.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())))


def employer_invitations(employer_id: int) -> list[Invitation]:
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.employer_id == employer_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(500)))


def invitable_fairs(employer_id: int) -> list[Fair]:
    """Upcoming published fairs where the employer has an approved booth."""
    return list(db.session.scalars(
        sa.select(Fair).join(FairRegistration, FairRegistration.fair_id == Fair.id)
        .where(FairRegistration.employer_id == employer_id, FairRegistration.status == "approved",
               Fair.status == "scheduled", Fair.ends_at >= utcnow())
        .order_by(Fair.starts_at)))


def invitations_by_graduate(employer_id: int, posting_id: int) -> dict[int, list[Invitation]]:
    out: dict[int, list[Invitation]] = {}
    for inv in db.session.scalars(sa.select(Invitation).where(Invitation.employer_id == employer_id,
                                                              Invitation.posting_id == posting_id)):
        out.setdefault(inv.graduate_id, []).append(inv)
    return out


# ====================================================================== universities and the province
def _scoped_applications(user) -> sa.Select:
    query = sa.select(Application).join(Graduate, Graduate.id == Application.graduate_id)
    return scope_to_university(query, user, Graduate.university_id)


def outcomes_by_major(user, university_id: int | None = None) -> list[dict]:
    """[{major, total, <status>: n}] for the graduates the user manages, most applications first."""
    query = scope_to_university(
        sa.select(Graduate.major, Application.status, sa.func.count(Application.id))
        .join(Graduate, Graduate.id == Application.graduate_id), user, Graduate.university_id)
    if university_id:
        query = query.where(Graduate.university_id == university_id)
    rows: dict[str, dict] = {}
    for major, status, n in db.session.execute(query.group_by(Graduate.major, Application.status)):
        row = rows.setdefault(major, {"major": major, "total": 0})
        row[status] = n
        row["total"] += n
    for row in rows.values():
        row["offers"] = sum(row.get(s, 0) for s in states.OFFER_STATUSES)
    return sorted(rows.values(), key=lambda r: (-r["total"], r["major"]))


def outcomes_by_university(user) -> list[dict]:
    """[{university, applications, offers, accepted}] (the province's view)."""
    offer = sa.case((Application.status.in_(states.OFFER_STATUSES), 1), else_=0)
    accepted = sa.case((Application.status == "accepted", 1), else_=0)
    query = scope_to_university(
        sa.select(University, sa.func.count(Application.id), sa.func.sum(offer), sa.func.sum(accepted))
        .join(Graduate, Graduate.university_id == University.id)
        .join(Application, Application.graduate_id == Graduate.id), user, Graduate.university_id)
    rows = db.session.execute(query.group_by(University.id).order_by(sa.func.count(Application.id).desc(),
                                                                     University.name)).all()
    return [{"university": u, "applications": n, "offers": int(o or 0), "accepted": int(a or 0)}
            for u, n, o, a in rows]


def university_records(user, university_id: int | None, *, status: str = "", page: int = 1, per_page: int = 50):
    query = _scoped_applications(user).options(
        sa.orm.contains_eager(Application.graduate), sa.orm.joinedload(Application.posting).joinedload(Posting.employer))
    if university_id:
        query = query.where(Graduate.university_id == university_id)
    if status in states.APPLICATION_STATUSES:
        query = query.where(Application.status == status)
    return db.paginate(query.order_by(Application.updated_at.desc(), Application.id.desc()), page=page,
                       per_page=per_page, error_out=False, max_per_page=per_page)


def case_applications(user, graduate: Graduate) -> list[Application]:
    """A graduate's applications for their case record (their own university's organizers, admins)."""
    if graduate is None or not can_manage_university(user, graduate.university_id):
        return []
    return list(db.session.scalars(
        sa.select(Application).where(Application.graduate_id == graduate.id)
        .order_by(Application.updated_at.desc())
        .options(sa.orm.joinedload(Application.posting).joinedload(Posting.employer))).unique())


def counts_by_major(university_id: int | None = None) -> dict[str, dict[str, int]]:
    """{major: {"applications": n, "offers": n}} (supply and demand by major)."""
    offer = sa.case((Application.status.in_(states.OFFER_STATUSES), 1), else_=0)
    query = (sa.select(Graduate.major, sa.func.count(Application.id), sa.func.sum(offer))
             .join(Graduate, Graduate.id == Application.graduate_id).group_by(Graduate.major))
    if university_id:
        query = query.where(Graduate.university_id == university_id)
    return {m: {"applications": n, "offers": int(o or 0)} for m, n, o in db.session.execute(query)}
