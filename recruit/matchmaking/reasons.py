"""Match reasons and score bands in the user's language.

The matching library returns reasons as codes plus data (:class:`matching.Reason`); this module
renders them through the message catalogue (Chinese first, English translated), and names the
score bands the pages show instead of a raw score (:data:`matching.BANDS`, calibrated on the
development set: docs/matching.md, "Score bands"). Templates use the ``match_reason`` and
``match_band`` filters and the ``MATCH_SCORE_FILTERS`` global (registered by recruit.templating).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import BANDS, Reason, band, reason_text
from recruit.i18n import vocab_label

#: The app's own reason code: the graduate's school recommends the posting (data: ``note``).
RECOMMENDED = "recommended"

BAND_LABELS = {"strong": _l("很匹配"), "good": _l("较匹配"), "fair": _l("可考虑")}

_FLOOR = dict(BANDS)
#: The graduate's "最低匹配度" options: (min_score, label), following the bands.
MATCH_SCORE_FILTERS = ((0.0, _l("不限")), (_FLOOR["good"], _l("较匹配及以上")), (_FLOOR["strong"], _l("很匹配")))


def recommended(note: str = "") -> Reason:
    """The reason shown first on a school recommendation."""
    return Reason(RECOMMENDED, {"note": note or ""})


def render_reason(reason: Reason) -> str:
    """One reason as a sentence in the current locale."""
    code, data = reason.code, reason.data
    if code == "terms":
        return _("共同关键词：%(terms)s", terms=_("、").join(data["terms"]))
    if code == "major":
        return _("专业对口：%(major)s", major=data["major"])
    if code == "related_major":
        return _("相关专业：%(major)s（%(group)s）", major=data["major"], group=data["group"])
    if code == "city":
        return _("意向城市：%(city)s", city=vocab_label(data["city"]))
    if code == "industry":
        return _("意向行业：%(industry)s", industry=vocab_label(data["industry"]))
    if code == "salary":
        return _(
            "薪资匹配：月薪最高 %(salary)s 元，不低于期望的 %(expectation)s 元",
            salary=f"{data['salary']:,}",
            expectation=f"{data['expectation']:,}",
        )
    if code == RECOMMENDED:
        note = data.get("note")
        return _("学校优先推荐：%(note)s", note=note) if note else _("学校优先推荐")
    return reason_text(reason)  # a code this app does not know yet: the library's Chinese


def band_label(score: float) -> str:
    """The band of a score in the current locale (很匹配 / 较匹配 / 可考虑)."""
    return str(BAND_LABELS[band(score)])


def band_code(score: float) -> str:
    """``strong`` / ``good`` / ``fair``, for CSS classes."""
    return band(score)
