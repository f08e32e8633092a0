"""Employer identity verification, each university's participation decisions, and posting review.

Authority (issue 15):

- **Identity** (is this a real company with this credit code?) is decided once for the
  province by the administrator, or also by university organizers when
  ``EMPLOYER_VERIFICATION = "universities"`` delegates it (:func:`can_verify_identity`).
- **Participation** (may this employer come to our fairs?) is each university's own
  decision (:class:`~recruit.employers.models.Participation`); it never changes the
  employer's status elsewhere.
- **Postings are reviewed** before graduates see them (``POSTING_REVIEW``: ``province``,
  ``universities`` or ``off``); a trusted verified employer publishes at once. Which postings
  graduates see is decided by one predicate, :meth:`Posting.is_public` /
  :meth:`Posting.public_clause`.

Decisions are compare-and-set updates: when two reviewers decide the same record at once,
the loser gets a 409 ``ServiceError`` and nothing changes. Every decision is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from matching.majors import spelling as major_spelling
from recruit.core import audit, dates
from recruit.core.errors import ServiceError
from recruit.employers.models import REVIEWED_FIELDS, Employer, Participation, Posting
from recruit.extensions import db
from recruit.i18n import N_
from recruit.signals import employer_changed, posting_changed
from recruit.timeutil import utcnow
from recruit.validation import CITIES, DEGREES, INDUSTRIES, LIMITS, split_list

EMPLOYER_AUDIT_FIELDS = ("status", "status_reason", "trusted")
LOST_RACE = "该记录刚被其他人处理过，请刷新页面后再试。"
MAX_BULK = 200


# ---------------------------------------------------------------------- who decides


def _text(value) -> str:
    """Free text from a form: NUL bytes (refused by PostgreSQL) removed, trimmed."""
    return str(value or "").replace("\x00", "").strip()


REASON_LIMIT = 500


def _reason(value, required: bool, missing: str) -> str:
    """The reason given for a decision: ``missing`` when it is required and empty; at most 500 characters."""
    reason = _text(value)
    if required and not reason:
        raise ServiceError(missing, "reason")
    if len(reason) > REASON_LIMIT:
        raise ServiceError(f"原因不能超过 {REASON_LIMIT} 个字符。", "reason")
    return reason


def can_verify_identity(user) -> bool:
    """The administrator always; organizers when the province delegates verification."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    return user.role == "organizer" and current_app.config.get("EMPLOYER_VERIFICATION") == "universities"


def review_mode() -> str:
    mode = current_app.config.get("POSTING_REVIEW", "province")
    return mode if mode in ("province", "universities", "off") else "province"


def can_review_postings(user) -> bool:
    """The administrator always (unless review is off); organizers when review is delegated to
    universities, for the postings of :func:`reviewable_clause`."""
    if user is None or not getattr(user, "is_authenticated", False) or review_mode() == "off":
        return False
    if user.role == "admin":
        return True
    return user.role == "organizer" and review_mode() == "universities"


def _accepted_employers(user) -> sa.Select:
    """The ids of the employers ``user``'s university has accepted (participation approved)."""
    return sa.select(Participation.employer_id).where(
        Participation.university_id == user.university_id, Participation.status == "approved"
    )


def reviewable_clause(user) -> sa.ColumnElement[bool]:
    """The postings ``user`` reviews (with :func:`can_review_postings`): the administrator all of
    them; with review delegated, an organizer those of the employers their own university has
    accepted. The province reviews every other employer's postings, so one university never
    publishes province-wide for an employer it has not accepted."""
    if user.role == "admin":
        return sa.true()
    return Posting.employer_id.in_(_accepted_employers(user))


NOT_ACCEPTED_HERE = N_(
    "本校尚未接受该单位参加招聘活动，其岗位由省级管理员审核（在单位页面选择“接受参加本校招聘活动”后可以审核）。"
)


def can_review_employer(user, employer_id: int) -> bool:
    """Whether ``user`` reviews this employer's postings (:func:`reviewable_clause`)."""
    if not can_review_postings(user):
        return False
    if user.role == "admin":
        return True
    accepted = _accepted_employers(user).where(Participation.employer_id == employer_id)
    return db.session.scalar(sa.select(accepted.exists()))


def _publish_state(employer: Employer) -> str:
    """The review state a new or resubmitted posting of ``employer`` gets."""
    if not employer.is_approved:
        return "draft"
    if review_mode() == "off" or employer.trusted:
        return "published"
    return "pending"


# ---------------------------------------------------------------------- identity


def _cas_status(employer: Employer, expected: str, values: dict) -> None:
    """Update ``employer`` only if its status is still ``expected`` (else 409)."""
    result = db.session.execute(
        sa.update(Employer)
        .where(Employer.id == employer.id, Employer.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(LOST_RACE, status=409)
    for name, value in values.items():
        setattr(employer, name, value)


def _release_drafts(employer: Employer) -> int:
    """On verification, drafts enter review (or publish at once when review is off or the employer is trusted)."""
    state = _publish_state(employer)
    drafts = db.session.scalars(
        sa.select(Posting).where(Posting.employer_id == employer.id, Posting.review_status == "draft")
    ).all()
    for posting in drafts:
        posting.review_status = state
        if state == "published":
            posting.reviewed_at = utcnow()
        posting_changed.send(posting, change="updated")
    return len(drafts)


def decide_employer(
    employer: Employer, approve: bool, reason: str = "", actor=None, *, commit: bool = True
) -> Employer:
    """Approve or reject an employer's identity (a rejection needs a reason).

    An approval releases the employer's drafts into review. ``actor`` is audited; when given,
    it must be allowed to verify identities (:func:`can_verify_identity`).
    """
    if actor is not None and not can_verify_identity(actor):
        raise ServiceError("单位身份认证由省教育厅负责，本校可在下方决定是否接受该单位参加本校招聘活动。", status=403)
    reason = _reason(reason, not approve, "请填写不通过的原因。")
    target = "approved" if approve else "rejected"
    if employer.status == target:
        raise ServiceError("该单位已是此状态。", status=409)
    before = audit.snapshot(employer, EMPLOYER_AUDIT_FIELDS)
    _cas_status(
        employer, employer.status, dict(status=target, status_reason="" if approve else reason, decided_at=utcnow())
    )
    if approve:
        _release_drafts(employer)
    audit.record(
        actor,
        "employer.approve" if approve else "employer.reject",
        "employer",
        employer.id,
        label=employer.name,
        before=before,
        after=audit.snapshot(employer, EMPLOYER_AUDIT_FIELDS),
    )
    employer_changed.send(employer)
    if commit:
        db.session.commit()
    return employer


def suspend_employer(employer: Employer, reason: str, actor) -> Employer:
    """Suspend a verified employer province-wide: its postings leave graduates' pages at once."""
    if not can_verify_identity(actor):
        raise ServiceError("只有负责单位认证的管理员可以暂停单位。", status=403)
    reason = _reason(reason, True, "请填写暂停的原因。")
    if employer.status != "approved":
        raise ServiceError("只能暂停已认证的单位。", status=409)
    before = audit.snapshot(employer, EMPLOYER_AUDIT_FIELDS)
    _cas_status(
        employer, "approved", dict(status="suspended", status_reason=reason, decided_at=utcnow(), trusted=False)
    )
    audit.record(
        actor,
        "employer.suspend",
        "employer",
        employer.id,
        label=employer.name,
        before=before,
        after=audit.snapshot(employer, EMPLOYER_AUDIT_FIELDS),
    )
    employer_changed.send(employer)
    db.session.commit()
    return employer


def bulk_approve(employer_ids: list[int], actor) -> tuple[int, int]:
    """Approve every still-pending employer of ``employer_ids`` in one transaction.

    Returns ``(approved, skipped)``; employers another reviewer decided meanwhile are skipped.
    """
    if not can_verify_identity(actor):
        raise ServiceError("只有负责单位认证的管理员可以批量通过。", status=403)
    ids = sorted({int(i) for i in employer_ids if str(i).isdigit() and int(i) < 2**31})
    if not ids:
        raise ServiceError("请先勾选要通过的单位。")
    if len(ids) > MAX_BULK:
        raise ServiceError(f"一次最多批量通过 {MAX_BULK} 个单位。")
    approved = 0
    for employer in db.session.scalars(sa.select(Employer).where(Employer.id.in_(ids)).order_by(Employer.id)).all():
        if employer.status != "pending":
            continue
        result = db.session.execute(
            sa.update(Employer)
            .where(Employer.id == employer.id, Employer.status == "pending")
            .values(status="approved", status_reason="", decided_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            continue
        db.session.refresh(employer)
        _release_drafts(employer)
        audit.record(
            actor,
            "employer.approve",
            "employer",
            employer.id,
            label=employer.name,
            before={"status": "pending"},
            after={"status": "approved"},
        )
        employer_changed.send(employer)
        approved += 1
    db.session.commit()
    return approved, len(ids) - approved


def set_trusted(employer: Employer, trusted: bool, actor) -> Employer:
    """Mark a verified employer trusted (its postings publish without review), or not."""
    # trusted is province-wide (its postings skip review everywhere): the province's authority,
    # or identity verifiers when the province delegates verification; not a delegated reviewer
    if not can_verify_identity(actor):
        raise ServiceError("您无权修改该设置。", status=403)
    if trusted and employer.status != "approved":
        raise ServiceError("只有已认证的单位可以设为免审。", status=409)
    if employer.trusted == trusted:
        return employer
    employer.trusted = trusted
    audit.record(
        actor,
        "employer.trust" if trusted else "employer.distrust",
        "employer",
        employer.id,
        label=employer.name,
        before={"trusted": not trusted},
        after={"trusted": trusted},
    )
    db.session.commit()
    return employer


# ---------------------------------------------------------------------- participation (per university)


def participation(employer_id: int, university_id: int) -> Participation | None:
    return db.session.scalar(
        sa.select(Participation).where(
            Participation.employer_id == employer_id, Participation.university_id == university_id
        )
    )


def may_participate(employer: Employer, university_id: int) -> bool:
    """A verified employer may take part in a university's fairs unless that university refused or suspended it."""
    row = participation(employer.id, university_id)
    return row is None or row.status == "approved"


def refused_employer_ids(university_id: int | None) -> frozenset[int]:
    """Employers a university refused or suspended: never shown to its graduates, no booths at its fairs."""
    if university_id is None:
        return frozenset()
    return frozenset(
        db.session.scalars(
            sa.select(Participation.employer_id).where(
                Participation.university_id == university_id, Participation.status != "approved"
            )
        )
    )


def decide_participation(employer: Employer, university_id: int, status: str, reason: str, actor) -> Participation:
    """A university's own decision on an employer (``approved`` | ``rejected`` | ``suspended``)."""
    if status not in ("approved", "rejected", "suspended"):
        raise ServiceError("请选择有效的决定。")
    reason = _reason(reason, status != "approved", "请填写原因。")
    row = participation(employer.id, university_id)
    before = {"status": row.status, "reason": row.reason} if row is not None else {}
    if row is None:
        row = Participation(employer_id=employer.id, university_id=university_id, status=status)
        db.session.add(row)
    row.status, row.reason = status, reason if status != "approved" else ""
    row.decided_by_id = actor.id if getattr(actor, "is_authenticated", False) else None
    row.decided_at = utcnow()
    audit.record(
        actor,
        f"participation.{status}",
        "employer",
        employer.id,
        label=employer.name,
        university_id=university_id,
        before=before,
        after={"status": row.status, "reason": row.reason},
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(LOST_RACE, status=409) from None
    return row


# ---------------------------------------------------------------------- postings (用人单位需求库)

POSTING_FIELDS = (
    "title",
    "description",
    "industry",
    "majors",
    "min_degree",
    "city",
    "salary_min",
    "salary_max",
    "headcount",
    "deadline",
)


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
    deadline_error = dates.deadline_error(deadline)
    if deadline_error:
        raise ServiceError(deadline_error, "deadline")
    majors = list(dict.fromkeys(major_spelling(m) for m in split_list(data.get("majors") or [])))
    if any(len(m) > LIMITS["short"] for m in majors):
        raise ServiceError("每个专业名称不能超过 60 个字符。", "majors")
    description = (data.get("description") or "").strip()
    if len(description) > LIMITS["description"]:
        raise ServiceError("岗位描述不能超过 5000 个字符。", "description")
    return dict(
        title=title,
        description=description,
        industry=data["industry"],
        majors=majors,
        min_degree=data["min_degree"],
        city=city,
        salary_min=int(smin),
        salary_max=int(smax),
        headcount=int(head),
        deadline=deadline,
    )


def _require_may_post(employer: Employer) -> None:
    """Verified employers post; pending ones prepare drafts; rejected or suspended ones neither."""
    if employer.status not in ("approved", "pending"):
        raise ServiceError("单位认证未通过或已被暂停，暂不能发布或修改岗位。")


def create_posting(employer: Employer, data: dict) -> Posting:
    """Create a posting: a draft while the employer awaits verification, then pending review
    (or published at once for a trusted employer or when review is off)."""
    _require_may_post(employer)
    state = _publish_state(employer)
    posting = Posting(
        employer=employer,
        status="open",
        review_status=state,
        reviewed_at=utcnow() if state == "published" else None,
        **_check_posting(data),
    )
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
    """Change a posting. Changing the title, description, salary or degree of a published (or
    returned) posting sends it (back) to review unless the employer is trusted."""
    _require_may_post(posting.employer)
    values = _check_posting(data)
    reviewed_change = any(getattr(posting, name) != values[name] for name in REVIEWED_FIELDS)
    for name, value in values.items():
        setattr(posting, name, value)
    if posting.review_status == "returned" or (posting.review_status == "published" and reviewed_change):
        state = _publish_state(posting.employer)
        if state != posting.review_status:
            posting.review_status = state
            posting.review_reason = ""
            if state == "published":
                posting.reviewed_at = utcnow()
    _flush_unique_title()
    posting_changed.send(posting, change="updated")
    db.session.commit()
    return posting


def close_posting(posting: Posting) -> Posting:
    """Close a posting: it leaves every graduate's matches."""
    if posting.status == "closed":
        raise ServiceError("该岗位已关闭。")
    posting.status = "closed"
    posting_changed.send(posting, change="closed")
    db.session.commit()
    return posting


def review_posting(posting: Posting, publish: bool, reason: str, actor) -> Posting:
    """Publish a pending posting or return it with a reason (compare-and-set on ``pending``)."""
    if not can_review_postings(actor):
        raise ServiceError("您无权审核岗位。", status=403)
    if not can_review_employer(actor, posting.employer_id):
        raise ServiceError(NOT_ACCEPTED_HERE, status=403)
    reason = _reason(reason, not publish, "请填写退回的原因。")
    target = "published" if publish else "returned"
    result = db.session.execute(
        sa.update(Posting)
        .where(Posting.id == posting.id, Posting.review_status == "pending")
        .values(
            review_status=target, review_reason="" if publish else reason, reviewed_at=utcnow(), updated_at=utcnow()
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(LOST_RACE, status=409)
    db.session.refresh(posting)
    audit.record(
        actor,
        "posting.publish" if publish else "posting.return",
        "posting",
        posting.id,
        label=f"{posting.employer.name} · {posting.title}",
        before={"review_status": "pending"},
        after={"review_status": target, "review_reason": posting.review_reason},
    )
    posting_changed.send(posting, change="updated")
    db.session.commit()
    return posting


def pending_postings_query(user) -> sa.Select:
    """Postings waiting for ``user``'s review (:func:`reviewable_clause`), oldest first."""
    return (
        sa.select(Posting)
        .join(Posting.employer)
        .where(Posting.review_status == "pending", Posting.status == "open", Employer.status == "approved")
        .where(reviewable_clause(user))
        .order_by(Posting.updated_at, Posting.id)
    )


# ---------------------------------------------------------------------- matched graduates: filters


@dataclass(frozen=True)
class MatchFilters:
    """An employer's filters over a posting's matched graduates (blank: no filter)."""

    major: str = ""
    degree: str = ""
    university_id: int | None = None
    city: str = ""

    @classmethod
    def from_args(cls, args) -> "MatchFilters":
        """From the query string; values outside the known choices are ignored, never an error."""
        major = (args.get("major") or "").replace("\x00", "").strip()[:60]
        degree = args.get("degree") or ""
        city = args.get("city") or ""
        try:
            university_id = int(args.get("university") or 0) or None
        except ValueError:
            university_id = None
        if university_id is not None and not 0 < university_id < 2**31:
            university_id = None
        return cls(
            major=major,
            degree=degree if degree in DEGREES else "",
            university_id=university_id,
            city=city if city in CITIES else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.major or self.degree or self.university_id or self.city)


def filter_matched(pairs: list, filters: MatchFilters) -> list:
    """The (graduate, match) pairs that pass ``filters``, order kept.

    Major: the text appears in the graduate's major; degree and university: equal; city: one of
    the graduate's intended cities.
    """

    def keep(graduate) -> bool:
        if filters.major and filters.major.lower() not in (graduate.major or "").lower():
            return False
        if filters.degree and graduate.degree != filters.degree:
            return False
        if filters.university_id and graduate.university_id != filters.university_id:
            return False
        cities = graduate.intention.cities if graduate.intention is not None else []
        return not filters.city or filters.city in (cities or [])

    return [(g, m) for g, m in pairs if keep(g)]


def filter_options(pairs: list) -> dict:
    """The choices worth offering for ``pairs``: universities present (id, name) and the degrees and cities seen."""
    universities = sorted(
        {(g.university_id, g.university.name) for g, _m in pairs if g.university is not None}, key=lambda item: item[1]
    )
    degrees = [d for d in DEGREES if any(g.degree == d for g, _m in pairs)]
    seen_cities = {c for g, _m in pairs if g.intention is not None for c in (g.intention.cities or [])}
    return {"universities": universities, "degrees": degrees, "cities": [c for c in CITIES if c in seen_cities]}
