"""Why a pair matched, as codes plus data, and what a score means to a person.

The library never writes a sentence for the user: a :class:`Reason` is a code (one of
:data:`REASON_CODES`) and the data to show with it, and the application renders it in the user's
language (recruit renders Chinese and English through its message catalogue).
:func:`reason_text` is the library's own Chinese rendering, for the command line and scripts.

Score bands (:data:`BANDS`, :func:`band`): the raw score is a weighted sum of cosines and bonuses
whose scale means nothing to a reader (the best match of a typical graduate scores about 0.6), so
the app shows one of three bands, calibrated on the development set (docs/matching.md, "Score
bands"): a pair in ``"strong"`` was a relevant posting 99.6 % of the time there, the graduate's
target occupation in an acceptable city 80 % of the time; ``"good"`` and above 88 % relevant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Reason", "REASON_CODES", "RULE_CODES", "BANDS", "band", "reason_text"]

#: Codes of the rules that add a bonus, in the order they are reported.
RULE_CODES = ("major", "related_major", "city", "industry", "salary")
#: Every reason code: ``terms`` (data ``terms``: the readable shared words, best first),
#: ``major`` (``major``: the graduate's major, listed by the posting), ``related_major``
#: (``major``: the graduate's major, ``group``: its class, 专业类, which the posting asks for), ``city`` (``city``: the
#: posting's city, one of the intended cities), ``industry`` (``industry``: the canonical
#: industry), ``salary`` (``salary``: the posting's top monthly salary, ``expectation``: the
#: graduate's).
REASON_CODES = ("terms",) + RULE_CODES

#: (band, lowest score), best band first; a score below the last floor has no band.
BANDS: tuple[tuple[str, float], ...] = (("strong", 0.50), ("good", 0.35), ("fair", 0.0))


def band(score: float) -> str:
    """The band of a score: ``"strong"`` (很匹配), ``"good"`` (较匹配) or ``"fair"`` (可考虑)."""
    for name, floor in BANDS:
        if score >= floor:
            return name
    return BANDS[-1][0]


@dataclass(frozen=True)
class Reason:
    """One reason a pair matched: a code from :data:`REASON_CODES` and its data."""

    code: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """``{"code": ..., **data}``, JSON-serialisable."""
        return {"code": self.code, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in self.data.items()}}

    def __str__(self) -> str:
        return reason_text(self)


_ZH = {
    "terms": lambda d: "共同关键词：" + "、".join(d["terms"]),
    "major": lambda d: f"专业对口：{d['major']}",
    "related_major": lambda d: f"相关专业：{d['major']}（{d['group']}）",
    "city": lambda d: f"意向城市：{d['city']}",
    "industry": lambda d: f"意向行业：{d['industry']}",
    "salary": lambda d: f"薪资匹配：月薪最高{d['salary']}元，不低于期望的{d['expectation']}元",
}


def reason_text(reason: Reason) -> str:
    """The library's Chinese sentence for a reason (applications render their own)."""
    render = _ZH.get(reason.code)
    return render(reason.data) if render else reason.code
