"""Invitations: an employer invites a matched, opted-in graduate to apply or to meet at a fair;
the graduate accepts (an ``apply`` invitation applies at once) or declines."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from recruit.applications import states
from recruit.applications.models import Invitation
from recruit.applications.common import MESSAGE_LIMIT, check_fair, insert_once
from recruit.applications.common import text as _
from recruit.applications.services import application_for, apply
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.graduates.models import Graduate
from recruit.matchmaking import services as matching
from recruit.notifications import services as notifications
from recruit.timeutil import utcnow


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
    if graduate is None or not graduate.confirmed or not graduate.visible_to_employers or graduate.intention is None:
        raise ServiceError(_("该毕业生不存在或未同意被用人单位查看。"), status=404)
    if posting.id not in matching.match_for_postings(graduate, [posting.id]):
        raise ServiceError(_("该毕业生与此岗位不匹配，不能邀请。"), status=409)
    fair = None
    if kind == "fair":
        fid = check_fair(fair_id, employer.id)
        fair = db.session.get(Fair, fid) if fid else None
        if fair is None or fair.status != "scheduled" or fair.ends_at < utcnow():
            raise ServiceError(_("请选择贵单位已获批展位、且尚未结束的招聘会。"), "fair_id")
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ServiceError(_("留言不能超过 %(limit)d 个字符。", limit=MESSAGE_LIMIT), "message")
    target = f"apply:{posting.id}" if kind == "apply" else f"fair:{fair.id}"
    invitation = Invitation(
        employer_id=employer.id,
        graduate_id=graduate.id,
        kind=kind,
        posting_id=posting.id,
        fair_id=fair.id if fair else None,
        target=target,
        message=message,
        created_by_id=user.id,
        created_at=utcnow(),
    )
    insert_once(invitation, _("已向该毕业生发出过同样的邀请。"))
    with force_locale("zh"):
        if kind == "apply":
            title = _("“%(employer)s”邀请您投递“%(title)s”", employer=employer.name, title=posting.title)
        else:
            title = _("“%(employer)s”邀请您在“%(fair)s”见面", employer=employer.name, fair=fair.title)
        notifications.notify(
            notifications.graduate_users(graduate.id),
            kind="invitation",
            event_key=f"invitation:{invitation.id}",
            title=title,
            body=message,
            link=notifications.path_for("applications.my_invitations"),
        )
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
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == "pending")
        .values(status="accepted" if accept else "declined", responded_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("您已回复过该邀请。"), status=409)
    db.session.refresh(invitation)
    if accept and invitation.kind == "apply":
        apply(graduate, invitation.posting, user, invitation=invitation, commit=False)
    with force_locale("zh"):
        notifications.notify(
            notifications.employer_users(invitation.employer_id),
            kind="invitation_answer",
            event_key=f"invitation_answer:{invitation.id}",
            title=_("毕业生已接受邀请") if accept else _("毕业生婉拒了邀请"),
            body=_("邀请：%(what)s", what=invitation.posting.title if invitation.posting else ""),
            link=notifications.path_for("applications.employer_invitations"),
        )
    db.session.commit()
    return invitation


def my_invitations(graduate: Graduate) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.graduate_id == graduate.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def employer_invitations(employer_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.employer_id == employer_id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(500)
        )
    )


def invitable_fairs(employer_id: int) -> list[Fair]:
    """Upcoming published fairs where the employer has an approved booth."""
    return list(
        db.session.scalars(
            sa.select(Fair)
            .join(FairRegistration, FairRegistration.fair_id == Fair.id)
            .where(
                FairRegistration.employer_id == employer_id,
                FairRegistration.status == "approved",
                Fair.status == "scheduled",
                Fair.ends_at >= utcnow(),
            )
            .order_by(Fair.starts_at)
        )
    )


def invitations_by_graduate(employer_id: int, posting_id: int) -> dict[int, list[Invitation]]:
    out: dict[int, list[Invitation]] = {}
    for inv in db.session.scalars(
        sa.select(Invitation).where(Invitation.employer_id == employer_id, Invitation.posting_id == posting_id)
    ):
        out.setdefault(inv.graduate_id, []).append(inv)
    return out
