"""Employer approval and posting rules."""
from __future__ import annotations

from matching.majors import spelling as major_spelling
from recruit.core.errors import ServiceError
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.signals import employer_changed, posting_changed
from recruit.timeutil import today_local, utcnow
from recruit.validation import DEGREES, INDUSTRIES, LIMITS, split_list


def decide_employer(employer: Employer, approve: bool, reason: str = "") -> Employer:
    """Approve or reject a registered employer. Rejection needs a reason."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError("请填写不通过的原因。", "reason")
    employer.status = "approved" if approve else "rejected"
    employer.status_reason = "" if approve else reason[:LIMITS["reason"]]
    employer.decided_at = utcnow()
    employer_changed.send(employer)
    db.session.commit()
    return employer


# ---------------------------------------------------------------------- postings (用人单位需求库)

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
    majors = list(dict.fromkeys(major_spelling(m) for m in split_list(data.get("majors") or [])))
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
    _require_approved(employer)
    posting = Posting(employer=employer, status="open", **_check_posting(data))
    db.session.add(posting)
    db.session.flush()
    posting_changed.send(posting, change="created")
    db.session.commit()
    return posting


def update_posting(posting: Posting, data: dict) -> Posting:
    """Change a posting (the employer must be approved)."""
    _require_approved(posting.employer)
    for name, value in _check_posting(data).items():
        setattr(posting, name, value)
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


# ---------------------------------------------------------------------- matched graduates: filters

from dataclasses import dataclass  # noqa: E402

from recruit.validation import CITIES  # noqa: E402


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
        return cls(major=major, degree=degree if degree in DEGREES else "", university_id=university_id,
                   city=city if city in CITIES else "")

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
    universities = sorted({(g.university_id, g.university.name) for g, _m in pairs if g.university is not None},
                          key=lambda item: item[1])
    degrees = [d for d in DEGREES if any(g.degree == d for g, _m in pairs)]
    seen_cities = {c for g, _m in pairs if g.intention is not None for c in (g.intention.cities or [])}
    return {"universities": universities, "degrees": degrees, "cities": [c for c in CITIES if c in seen_cities]}
