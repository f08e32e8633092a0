"""Employer approval and posting rules."""
from __future__ import annotations

from recruit.auth.services import ServiceError
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.timeutil import utcnow


def decide_employer(employer: Employer, approve: bool, reason: str = "") -> Employer:
    """Approve or reject a registered employer. Rejection needs a reason."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError("请填写不通过的原因。", "reason")
    employer.status = "approved" if approve else "rejected"
    employer.status_reason = "" if approve else reason[:500]
    employer.decided_at = utcnow()
    db.session.commit()
    return employer
