"""Employer approval and posting rules."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from recruit.core.errors import ServiceError
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.i18n import N_
from recruit.timeutil import utcnow


def decide_employer(employer: Employer, approve: bool, reason: str = "") -> Employer:
    """Approve or reject a registered employer. Rejection needs a reason."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError("请填写不通过的原因。", "reason")
    employer.status = "approved" if approve else "rejected"
    employer.status_reason = "" if approve else reason[:500]
    employer.decided_at = utcnow()
    from recruit.signals import employer_changed

    employer_changed.send(employer)
    db.session.commit()
    return employer


# ---------------------------------------------------------------------- postings (用人单位需求库)

from recruit.employers.models import Posting  # noqa: E402
from recruit.timeutil import today_local  # noqa: E402
from recruit.validation import DEGREES, INDUSTRIES, LIMITS, split_list  # noqa: E402

POSTING_FIELDS = ("title", "description", "industry", "majors", "min_degree", "city", "salary_min",
                  "salary_max", "headcount", "deadline")


def _check_posting(data: dict) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise ServiceError("请填写岗位名称。", "title")
    if len(title) > LIMITS["title"]:
        raise ServiceError("岗位名称不能超过 120 个字符。", "title")
    if data.get("industry") not in INDUSTRIES:
        raise ServiceError("请选择列表中的行业。", "industry")
    if data.get("min_degree") not in DEGREES:
        raise ServiceError("最低学历应为专科、本科、硕士或博士。", "min_degree")
    city = (data.get("city") or "").strip()
    if not city:
        raise ServiceError("请填写工作城市。", "city")
    if len(city) > LIMITS["short"]:
        raise ServiceError("工作城市不能超过 60 个字符。", "city")
    smin, smax, head = data.get("salary_min"), data.get("salary_max"), data.get("headcount")
    if smin is None or smax is None or smin < 0 or smax < 0:
        raise ServiceError("请填写不小于 0 的月薪范围。", "salary_min")
    if smin > smax:
        raise ServiceError("最低月薪不能高于最高月薪。", "salary_max")
    if head is None or head <= 0:
        raise ServiceError("招聘人数应大于 0。", "headcount")
    deadline = data.get("deadline")
    if deadline is not None and deadline < today_local():
        raise ServiceError("截止日期不能早于今天。", "deadline")
    majors = split_list(data.get("majors") or [])
    if any(len(m) > LIMITS["short"] for m in majors):
        raise ServiceError("每个专业名称不能超过 60 个字符。", "majors")
    description = (data.get("description") or "").strip()
    if len(description) > LIMITS["description"]:
        raise ServiceError("岗位描述不能超过 5000 个字符。", "description")
    return dict(title=title, description=description, industry=data["industry"], majors=majors,
                min_degree=data["min_degree"], city=city, salary_min=int(smin), salary_max=int(smax),
                headcount=int(head), deadline=deadline)


def _require_approved(employer: Employer) -> None:
    if not employer.is_approved:
        raise ServiceError("单位尚未通过认证，暂不能发布或修改岗位。")


def create_posting(employer: Employer, data: dict) -> Posting:
    """Publish a posting (the employer must be approved)."""
    from recruit.signals import posting_changed

    _require_approved(employer)
    posting = Posting(employer=employer, status="open", **_check_posting(data))
    db.session.add(posting)
    _flush_unique_title()
    posting_changed.send(posting, change="created")
    db.session.commit()
    return posting


DUPLICATE_TITLE = N_("本单位已有同名岗位，请换一个岗位名称（或修改原岗位）。")


def _flush_unique_title() -> None:
    """Flush; (employer, title) is unique: a duplicate (or a double submit) is a 409, not a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(DUPLICATE_TITLE, "title", status=409) from None


def update_posting(posting: Posting, data: dict) -> Posting:
    """Change a posting (the employer must be approved)."""
    from recruit.signals import posting_changed

    _require_approved(posting.employer)
    for name, value in _check_posting(data).items():
        setattr(posting, name, value)
    _flush_unique_title()
    posting_changed.send(posting, change="updated")
    db.session.commit()
    return posting


def close_posting(posting: Posting) -> Posting:
    """Close a posting: it leaves every graduate's matches."""
    from recruit.signals import posting_changed

    if posting.status == "closed":
        raise ServiceError("该岗位已关闭。")
    posting.status = "closed"
    posting_changed.send(posting, change="closed")
    db.session.commit()
    return posting
