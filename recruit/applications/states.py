"""The state machine of an application (投递), written once.

::

    submitted (已投递) ─▶ viewed (已查看) ─▶ interview (邀请面试) ─▶ offered (录用) ─▶ accepted / declined
         │                    │                  │  ▲ (reschedule)       (graduate records the answer)
         ├────────────────────┴──────────────────┴──▶ rejected (不合适)          [employer]
         └────────────────────┴──────────────────┴──▶ withdrawn (已撤回)         [graduate]

The employer moves an application forward; the graduate may withdraw while it is undecided
and records whether an offer is accepted. Every other move is refused.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

APPLICATION_STATUSES = ("submitted", "viewed", "interview", "offered", "rejected", "withdrawn", "accepted", "declined")
#: Not yet decided: the graduate may still withdraw.
UNDECIDED = ("submitted", "viewed", "interview")
#: Counted as an offer in the numbers (录用, whatever the graduate answered).
OFFER_STATUSES = ("offered", "accepted", "declined")

#: (from, to) -> who may make the move.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("submitted", "viewed"): "employer",
    ("submitted", "interview"): "employer",
    ("viewed", "interview"): "employer",
    ("interview", "interview"): "employer",  # rescheduled
    ("submitted", "offered"): "employer",
    ("viewed", "offered"): "employer",
    ("interview", "offered"): "employer",
    ("submitted", "rejected"): "employer",
    ("viewed", "rejected"): "employer",
    ("interview", "rejected"): "employer",
    ("submitted", "withdrawn"): "graduate",
    ("viewed", "withdrawn"): "graduate",
    ("interview", "withdrawn"): "graduate",
    ("offered", "accepted"): "graduate",
    ("offered", "declined"): "graduate",
}

#: Targets an employer picks in the pipeline (bulk actions included).
EMPLOYER_TARGETS = ("viewed", "interview", "offered", "rejected")

STATUS_LABELS = {
    "submitted": _l("已投递"),
    "viewed": _l("已查看"),
    "interview": _l("邀请面试"),
    "offered": _l("录用"),
    "rejected": _l("不合适"),
    "withdrawn": _l("已撤回"),
    "accepted": _l("已接受录用"),
    "declined": _l("已婉拒录用"),
}

INVITATION_KINDS = ("apply", "fair")
INVITATION_STATUSES = ("pending", "accepted", "declined")
INVITATION_KIND_LABELS = {"apply": _l("邀请投递"), "fair": _l("招聘会见面")}
INVITATION_STATUS_LABELS = {"pending": _l("待回复"), "accepted": _l("已接受"), "declined": _l("已婉拒")}


def allowed(from_status: str, to_status: str, actor: str) -> bool:
    """True when ``actor`` (``employer`` or ``graduate``) may move from ``from_status`` to ``to_status``."""
    return TRANSITIONS.get((from_status, to_status)) == actor


def targets(from_status: str, actor: str) -> list[str]:
    """Where ``actor`` may move an application from ``from_status``."""
    return [to for (frm, to), who in TRANSITIONS.items() if frm == from_status and who == actor]
