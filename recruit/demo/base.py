"""What the demo generator's parts share: the seasons and gaps generated, the context of one
load (:class:`_Ctx`) and the seeded random helpers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from recruit.auth.models import User
from recruit.demo import texts
from recruit.employers.models import Employer, Posting
from recruit.fairs.models import Fair, FairRegistration
from recruit.graduates.models import Graduate
from recruit.timeutil import combine_local
from recruit.universities.models import University
from recruit.validation import credit_code_check_char

DEMO_PASSWORD = "demo12345"
DEFAULT_SEED = 2026
N_EMPLOYERS = 60
N_POSTINGS = 300
N_GRADUATES = 600
KEY_GROUP_SHARE = 0.08

#: The seasons generated: (first day, last day, label, how much of it is scheduled).
SEASONS = (
    (date(2026, 3, 1), date(2026, 6, 30), "2026年春季"),
    (date(2026, 9, 1), date(2026, 12, 31), "2026年秋季"),
    (date(2027, 3, 1), date(2027, 6, 30), "2027年春季"),
)

#: Deliberate holes in the autumn 2026 schedule (Mondays of missed weeks, missed months), so the
#: compliance report has laggards and the gap planner has work right after 2026-11-27.
#: GZMU's holes all lie after 2026-11-27: the gap planner closes every one of them and the
#: season becomes compliant. LPSSY and GIT also missed past weeks, which no plan can repair.
AUTUMN_GAPS = {
    "GZMU": {"weeks": [date(2026, 11, 30), date(2026, 12, 7)], "draft_only_weeks": [date(2026, 12, 14)], "months": []},
    "LPSSY": {
        "weeks": [date(2026, 9, 7), date(2026, 11, 30), date(2026, 12, 14), date(2026, 12, 21)],
        "draft_only_weeks": [],
        "months": [12],
    },
    "GIT": {"weeks": [date(2026, 9, 28)], "draft_only_weeks": [], "months": [11]},
}
#: The university that meets the rule in every week and month of every generated season.
COMPLIANT = "GZU"

SPECIAL_START, SPECIAL_END = time(14, 0), time(17, 0)
LARGE_START, LARGE_END = time(9, 0), time(12, 30)

_CREDIT_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class _FairPlan:
    """One fair to create: a university, a day, a kind and what happens to it."""

    uni_code: str
    day: date
    kind: str
    season: str
    status: str = "published"  # published | draft | cancelled
    extra: bool = False


@dataclass
class _Ctx:
    rng: random.Random
    today: date
    now: datetime
    universities: dict[str, University] = field(default_factory=dict)
    uni_specs: dict[str, dict] = field(default_factory=dict)
    employers: list[Employer] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    graduates: list[Graduate] = field(default_factory=list)
    fairs: list[Fair] = field(default_factory=list)
    registrations: list[FairRegistration] = field(default_factory=list)
    organizers: dict[str, User] = field(default_factory=dict)
    accounts: list[dict] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    #: ``default`` (eight universities) or ``province`` (about 75, see recruit/demo/province.py).
    profile: str = "default"
    seed: int = DEFAULT_SEED
    n_graduates: int = N_GRADUATES
    n_postings: int = N_POSTINGS


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, items, weights):
    return rng.choices(list(items), weights=list(weights), k=1)[0]


def _round(value: float, step: int = 500) -> int:
    return int(round(value / step) * step)


def _person_name(rng: random.Random) -> str:
    surname = rng.choice(texts.SURNAMES)
    given = "".join(rng.choice(texts.GIVEN_CHARS) for _ in range(_weighted(rng, (1, 2), (35, 65))))
    return surname + given


def _mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "158", "186", "187", "177", "151", "182")) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def _at(day: date, rng: random.Random, first_hour: int = 9, last_hour: int = 18) -> datetime:
    return combine_local(day, time(rng.randint(first_hour, last_hour - 1), rng.choice((0, 10, 20, 30, 40, 50))))


def _past_moment(ctx: _Ctx, not_after: datetime, min_days: int, max_days: int) -> datetime:
    """A moment some days before ``not_after``, never later than now."""
    moment = not_after - timedelta(days=ctx.rng.randint(min_days, max_days), hours=ctx.rng.randint(0, 8))
    limit = ctx.now - timedelta(hours=ctx.rng.randint(1, 48))
    return min(moment, limit)


def _credit_code(rng: random.Random, city: str, used: set[str]) -> str:
    """A valid 18-character unified social credit code (91 = enterprise, registered in Guizhou)."""
    while True:
        body = "91" + texts.CITY_DIVISION.get(city, "520100") + "".join(rng.choice(_CREDIT_BODY) for _ in range(9))
        code = body + credit_code_check_char(body)
        if code not in used:
            used.add(code)
            return code
