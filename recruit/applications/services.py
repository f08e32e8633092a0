"""Applying, the employer's pipeline and the graduate's applications (résumés: :mod:`.resumes`;
invitations: :mod:`.invitations`; the universities' and the province's view: :mod:`.outcomes`).

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

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from recruit.applications import states
from recruit.applications.calendar import interview_ics
from recruit.applications.models import Application, ApplicationEvent, Invitation
from recruit.applications.common import MESSAGE_LIMIT, check_fair, insert_once
from recruit.applications.common import text as _
from recruit.applications.resumes import graduate_email, resume_of
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.notifications import services as notifications
from recruit.timeutil import format_datetime, utcnow
from recruit.universities.models import University
from recruit.validation import DEGREES, LIMITS


# ====================================================================== applying
def application_for(graduate: Graduate | None, posting: Posting) -> Application | None:
    if graduate is None:
        return None
    return db.session.scalar(
        sa.select(Application).where(Application.graduate_id == graduate.id, Application.posting_id == posting.id)
    )


def applied_posting_ids(graduate: Graduate | None, posting_ids) -> dict[int, str]:
    """{posting id: status} of the graduate's applications among ``posting_ids``."""
    posting_ids = list(posting_ids)
    if graduate is None or not posting_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Application.posting_id, Application.status).where(
                Application.graduate_id == graduate.id, Application.posting_id.in_(posting_ids)
            )
        ).all()
    )


def apply(
    graduate: Graduate,
    posting: Posting,
    user: User,
    *,
    cover_note: str = "",
    fair_id=None,
    invitation: Invitation | None = None,
    commit: bool = True,
) -> Application:
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
        graduate_id=graduate.id,
        posting_id=posting.id,
        status="submitted",
        version=1,
        cover_note=note,
        fair_id=check_fair(fair_id, posting.employer_id) or (invitation.fair_id if invitation else None),
        invitation_id=invitation.id if invitation else None,
        created_at=now,
        updated_at=now,
    )
    insert_once(application, _("您已投递过该岗位，请在“我的投递”中查看进度。"))
    db.session.add(
        ApplicationEvent(
            application_id=application.id,
            from_status=None,
            to_status="submitted",
            version=1,
            actor_id=user.id if user else None,
            message=note,
            created_at=now,
        )
    )
    with force_locale("zh"):
        notifications.notify(
            notifications.employer_users(posting.employer_id),
            kind="application_new",
            event_key=f"application_new:{application.id}",
            title=_("新的投递：%(title)s", title=posting.title),
            body=_(
                "%(major)s专业%(degree)s毕业生投递了“%(title)s”。",
                major=graduate.major,
                degree=graduate.degree,
                title=posting.title,
            ),
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


def transition(
    application: Application,
    to_status: str,
    user: User,
    *,
    actor: str,
    message: str = "",
    interview: Interview | None = None,
    expected_version: int | None = None,
    commit: bool = True,
) -> Application:
    """Move ``application`` to ``to_status`` (compare-and-set on its version).

    ``actor`` is ``employer`` or ``graduate``. Refused moves answer 409 with the current state;
    a lost race answers 409 too. The graduate is notified once of each employer's change.
    """
    current, version = application.status, application.version
    if expected_version is not None and expected_version != version:
        raise ServiceError(_("该投递的状态已被更新，请刷新后重试。"), status=409)
    if to_status not in states.APPLICATION_STATUSES or not states.allowed(current, to_status, actor):
        raise ServiceError(
            _(
                "当前状态为“%(status)s”，不能改为“%(target)s”。",
                status=states.STATUS_LABELS.get(current, current),
                target=states.STATUS_LABELS.get(to_status, to_status),
            ),
            status=409,
        )
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ServiceError(_("留言不能超过 %(limit)d 个字符。", limit=MESSAGE_LIMIT), "message")
    now = utcnow()
    values: dict = dict(status=to_status, version=version + 1, updated_at=now)
    if actor == "employer":
        values["message"] = message
    if to_status == "interview":
        iv = _check_interview(interview)
        values.update(
            interview_at=iv.at,
            interview_minutes=iv.minutes,
            interview_place=iv.place,
            interview_url=iv.url,
            interview_revision=(application.interview_revision or 0) + 1,
        )
    result = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.version == version, Application.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("该投递刚刚已被处理，请刷新后查看最新状态。"), status=409)
    db.session.add(
        ApplicationEvent(
            application_id=application.id,
            from_status=current,
            to_status=to_status,
            version=version + 1,
            actor_id=user.id if user else None,
            message=message,
            created_at=now,
        )
    )
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
            body = _(
                "“%(employer)s”的“%(title)s”：您的投递状态更新为“%(status)s”。",
                employer=posting.employer.name,
                title=posting.title,
                status=label,
            )
            if application.status == "interview":
                where = application.interview_place or application.interview_url
                body += _(
                    "面试时间：%(when)s，地点：%(where)s。日历邀请（.ics）可在投递详情中下载。",
                    when=format_datetime(application.interview_at),
                    where=where,
                )
            if application.message:
                body += "\n" + _("单位留言：%(message)s", message=application.message)
            notifications.notify(
                notifications.graduate_users(application.graduate_id),
                kind="application_status",
                event_key=f"application:{application.id}:v{application.version}",
                title=_("投递状态更新：%(title)s — %(status)s", title=posting.title, status=label),
                body=body,
                link=notifications.path_for("applications.my_detail", application_id=application.id),
                attachments=_ics_attachment(application),
            )
        elif application.status in ("withdrawn", "accepted", "declined"):
            notifications.notify(
                notifications.employer_users(posting.employer_id),
                kind="application_status",
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


def bulk_transition(
    employer_id: int,
    posting: Posting,
    ids,
    to_status: str,
    user: User,
    message: str = "",
    interview: Interview | None = None,
) -> BulkResult:
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
        sa.select(Application)
        .where(Application.id.in_(clean[:500]), Application.posting_id == posting.id)
        .order_by(Application.id)
    ).all()
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
        sa.select(Application)
        .join(Posting, Posting.id == Application.posting_id)
        .where(Application.id == application_id, Posting.employer_id == employer_id)
    )


def graduate_application(graduate: Graduate | None, application_id: int) -> Application | None:
    if graduate is None:
        return None
    return db.session.scalar(
        sa.select(Application).where(Application.id == application_id, Application.graduate_id == graduate.id)
    )


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
        return cls(
            status=status if status in states.APPLICATION_STATUSES else "",
            degree=degree if degree in DEGREES else "",
            q=q,
        )


def pipeline_query(posting: Posting, f: PipelineFilters) -> sa.Select:
    query = (
        sa.select(Application)
        .join(Graduate, Graduate.id == Application.graduate_id)
        .where(Application.posting_id == posting.id)
        .options(sa.orm.contains_eager(Application.graduate).joinedload(Graduate.university))
    )
    if f.status:
        query = query.where(Application.status == f.status)
    if f.degree:
        query = query.where(Graduate.degree == f.degree)
    if f.q:
        escaped = f.q.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        query = query.join(University, University.id == Graduate.university_id).where(
            sa.or_(Graduate.major.ilike(f"%{escaped}%", escape="!"), University.name.ilike(f"%{escaped}%", escape="!"))
        )
    return query.order_by(Application.created_at.desc(), Application.id.desc())


def status_counts(posting: Posting) -> dict[str, int]:
    return dict(
        db.session.execute(
            sa.select(Application.status, sa.func.count(Application.id))
            .where(Application.posting_id == posting.id)
            .group_by(Application.status)
        ).all()
    )


def applications_count_by_posting(employer_id: int) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(Application.posting_id, sa.func.count(Application.id))
            .join(Posting, Posting.id == Application.posting_id)
            .where(Posting.employer_id == employer_id)
            .group_by(Application.posting_id)
        ).all()
    )


def export_headers() -> list[str]:
    return [
        "投递编号",
        "姓名",
        "学校",
        "专业",
        "学历",
        "毕业年份",
        "电话",
        "邮箱",
        "状态",
        "投递时间",
        "面试时间",
        "面试地点",
        "技能",
        "附言",
    ]


def export_rows(posting: Posting, f: PipelineFilters):
    """The applicants of a posting (they applied: contact is shared); never key-group flags."""
    for a in db.session.scalars(pipeline_query(posting, f)).unique():
        g = a.graduate
        resume = resume_of(g)
        yield [
            a.id,
            g.name,
            g.university.name if g.university else "",
            g.major,
            g.degree,
            g.graduation_year,
            g.phone,
            g.email or graduate_email(g),
            str(states.STATUS_LABELS[a.status]),
            format_datetime(a.created_at),
            format_datetime(a.interview_at) if a.interview_at else "",
            a.interview_place or a.interview_url,
            resume.skills if resume else "",
            a.cover_note,
        ]


# ====================================================================== graduate's queries
def my_applications(graduate: Graduate) -> list[Application]:
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.graduate_id == graduate.id)
            .order_by(Application.updated_at.desc(), Application.id.desc())
            .options(sa.orm.joinedload(Application.posting).joinedload(Posting.employer))
        ).unique()
    )
