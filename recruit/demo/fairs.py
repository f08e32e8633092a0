"""The demo's fairs of the generated seasons (with the deliberate gaps) and booth registrations."""

from __future__ import annotations

from datetime import date, timedelta

from recruit.demo import texts
from recruit.demo.base import (
    AUTUMN_GAPS,
    COMPLIANT,
    LARGE_END,
    LARGE_START,
    SEASONS,
    SPECIAL_END,
    SPECIAL_START,
    _Ctx,
    _FairPlan,
    _past_moment,
    _weighted,
)
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.fairs.models import Fair, FairRegistration
from recruit.timeutil import combine_local


def _season_weeks(start: date, end: date) -> list[date]:
    """Mondays of the weeks whose Thursday lies in the season (the ISO majority rule)."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        if start <= monday + timedelta(days=3) <= end:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _season_months(start: date, end: date) -> list[tuple[int, int]]:
    months, d = [], start.replace(day=1)
    while d <= end:
        months.append((d.year, d.month))
        d = (d + timedelta(days=32)).replace(day=1)
    return months


def _saturdays(year: int, month: int, start: date, end: date) -> list[date]:
    d = date(year, month, 1)
    out = []
    while d.month == month:
        if d.weekday() == 5 and start <= d <= end:
            out.append(d)
        d += timedelta(days=1)
    return out


def _plan_fairs(ctx: _Ctx) -> list[_FairPlan]:
    """Which fairs each university holds (with the deliberate gaps), one fair per day at most."""
    rng = ctx.rng
    plans: list[_FairPlan] = []
    for code in ctx.universities:
        gaps = AUTUMN_GAPS.get(code, {"weeks": [], "draft_only_weeks": [], "months": []})
        # A couple of the ordinary universities lose one spring week to a cancellation.
        spring_loss = None
        if code not in AUTUMN_GAPS and code != COMPLIANT and rng.random() < 0.6:
            spring_loss = rng.choice(_season_weeks(*SEASONS[0][:2])[2:-2])
        for s_index, (start, end, label) in enumerate(SEASONS):
            weeks = _season_weeks(start, end)
            months = _season_months(start, end)
            if s_index == 2 and code != COMPLIANT:
                # Spring 2027: only the first weeks and March are scheduled so far.
                weeks = weeks[: rng.randint(3, 5)]
                months = months[:1]
            for monday in weeks:
                days = [monday + timedelta(days=wd - 1) for wd in (2, 3, 4)]
                days = [d for d in days if start <= d <= end]
                if s_index == 1 and monday in gaps["weeks"]:
                    continue
                if s_index == 1 and monday in gaps["draft_only_weeks"]:
                    plans.append(_FairPlan(code, rng.choice(days), "special", label, status="draft"))
                    continue
                rng.shuffle(days)
                main = days[0]
                if spring_loss == monday and s_index == 0:
                    plans.append(_FairPlan(code, main, "special", label, status="cancelled"))
                    continue
                if rng.random() < 0.06 and len(days) > 1:
                    # Cancelled, then replaced later in the same week.
                    plans.append(_FairPlan(code, days[0], "special", label, status="cancelled"))
                    plans.append(_FairPlan(code, days[1], "special", label))
                    continue
                plans.append(_FairPlan(code, main, "special", label))
                if rng.random() < 0.15 and len(days) > 1:
                    plans.append(_FairPlan(code, days[1], "special", label, extra=True))
                elif rng.random() < 0.05 and len(days) > 1 and days[1] >= ctx.today:
                    plans.append(_FairPlan(code, days[1], "special", label, status="draft", extra=True))
            for year, month in months:
                sats = _saturdays(year, month, start, end)
                if not sats:
                    continue
                day = sats[1] if len(sats) > 2 and rng.random() < 0.7 else rng.choice(sats)
                if s_index == 1 and month in gaps["months"]:
                    if day >= ctx.today:
                        plans.append(_FairPlan(code, day, "large", label, status="draft"))
                    else:
                        plans.append(_FairPlan(code, day, "large", label, status="cancelled"))
                    continue
                if rng.random() < 0.05 and len(sats) > 1:
                    other = next(s for s in sats if s != day)
                    plans.append(_FairPlan(code, min(day, other), "large", label, status="cancelled"))
                    plans.append(_FairPlan(code, max(day, other), "large", label))
                    continue
                plans.append(_FairPlan(code, day, "large", label))
    return plans


def _themes_for(spec: dict) -> list[tuple[str, str]]:
    industries: list[str] = []
    for major in spec["majors"]:
        for ind in texts.PROFILES[texts.MAJOR_PROFILE[major]]["industries"]:
            if ind not in industries:
                industries.append(ind)
    return [t for t in texts.SPECIAL_THEMES if t[0] == "" or t[0] in industries]


def _make_fairs(ctx: _Ctx) -> None:
    rng = ctx.rng
    for plan in _plan_fairs(ctx):
        uni = ctx.universities[plan.uni_code]
        spec = ctx.uni_specs[plan.uni_code]
        venues = sorted(uni.venues, key=lambda v: (-v.capacity, v.name))
        if plan.kind == "large":
            start, end = combine_local(plan.day, LARGE_START), combine_local(plan.day, LARGE_END)
            fmt = _weighted(rng, ("onsite", "hybrid"), (85, 15))
            venue = venues[0]
            booths = rng.randint(max(60, venue.capacity * 2 // 5), venue.capacity)
            focus = "综合"
            title = f"{uni.name}{plan.season}校园招聘服务季{plan.day.month}月大型综合招聘会"
            description = rng.choice(texts.LARGE_DESCRIPTIONS).format(
                uni=uni.name, month=plan.day.month, jobs=rng.randint(20, 60) * 100
            )
        else:
            start, end = combine_local(plan.day, SPECIAL_START), combine_local(plan.day, SPECIAL_END)
            fmt = _weighted(rng, ("onsite", "online", "hybrid"), (80, 10, 10))
            venue = rng.choice(venues[1:])
            booths = rng.randint(max(10, venue.capacity // 3), venue.capacity)
            focus, theme = rng.choice(_themes_for(spec))
            title = f"{uni.name}{theme}招聘会"
            description = rng.choice(texts.SPECIAL_DESCRIPTIONS).format(
                year=2027 if plan.day >= date(2026, 9, 1) else 2026, focus=focus or "各行业"
            )
            if fmt == "online":
                venue = None
                booths = rng.randint(30, 80)
                title += "（线上）"
        url = None
        if fmt != "onsite":
            url = f"https://live.{uni.code.lower()}.example.edu.cn/fair/{plan.day:%Y%m%d}-{plan.kind}"
            if fmt == "hybrid":
                title += "（线上线下结合）"
        if plan.status == "draft":
            status, revision = "draft", 0
        elif plan.status == "cancelled":
            status, revision = "cancelled", 2
        else:
            status, revision = ("held" if plan.day < ctx.today else "scheduled"), 1
        created = _past_moment(ctx, start, 10, 35)
        fair = Fair(
            university=uni,
            kind=plan.kind,
            title=title[:120],
            format=fmt,
            starts_at=start,
            ends_at=end,
            venue=venue,
            online_url=url,
            booth_capacity=booths,
            industry_focus=focus,
            description=description,
            status=status,
            revision=revision,
            created_by_id=ctx.organizers[plan.uni_code].id,
            created_at=created,
            updated_at=created,
        )
        if status == "cancelled":
            fair.cancel_reason = rng.choice(texts.CANCEL_REASONS)
            fair.cancelled_at = max(created + timedelta(hours=2), _past_moment(ctx, start, 1, 4))
            fair.updated_at = fair.cancelled_at
        ctx.fairs.append(fair)
    db.session.add_all(ctx.fairs)


def _make_registrations(ctx: _Ctx) -> None:
    rng = ctx.rng
    approved = [e for e in ctx.employers if e.status == "approved"]
    by_employer: dict[int, list[Posting]] = {}
    for i, emp in enumerate(ctx.employers):
        by_employer[i] = [p for p in ctx.postings if p.employer is emp]
    index_of = {id(e): i for i, e in enumerate(ctx.employers)}
    for fair in ctx.fairs:
        if fair.status not in ("held", "scheduled"):
            continue
        day = fair.starts_at
        days_ahead = (fair.local_date - ctx.today).days
        if fair.kind == "large":
            n = rng.randint(15, 35)
        else:
            n = rng.randint(3, 10)
        if days_ahead > 60:
            n = rng.randint(0, 4)
        elif days_ahead > 21:
            n = max(1, n // 2)
        n = min(n, len(approved))
        if fair.industry_focus and fair.industry_focus != "综合":
            weights = [6 if e.industry == fair.industry_focus else 1 for e in approved]
        else:
            weights = [1] * len(approved)
        chosen: list[Employer] = []
        pool, pw = list(approved), list(weights)
        for _ in range(n):
            k = _weighted(rng, range(len(pool)), pw)
            chosen.append(pool.pop(k))
            pw.pop(k)
        booth = 0
        for emp in chosen:
            if days_ahead < 0:
                status = _weighted(rng, ("approved", "rejected", "withdrawn"), (85, 10, 5))
            elif days_ahead <= 14:
                status = _weighted(rng, ("approved", "pending", "rejected"), (60, 30, 10))
            else:
                status = _weighted(rng, ("pending", "approved", "rejected"), (60, 35, 5))
            reason = ""
            if status == "approved" and booth >= fair.booth_capacity:
                status, reason = "rejected", texts.REGISTRATION_REJECT_REASONS[0]
            elif status == "rejected":
                reason = rng.choice(texts.REGISTRATION_REJECT_REASONS)
            created = _past_moment(ctx, day, 3, 20)
            reg = FairRegistration(
                fair=fair,
                employer=emp,
                status=status,
                note=rng.choice(texts.REGISTRATION_NOTES),
                decision_reason=reason,
                created_at=created,
            )
            if status == "approved":
                booth += 1
                reg.booth_number = booth
            if status in ("approved", "rejected"):
                reg.decided_at = min(
                    created + timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 8)), ctx.now - timedelta(hours=1)
                )
            own = by_employer[index_of[id(emp)]]
            usable = [p for p in own if p.status == "open"] or own
            if usable:
                reg.postings = rng.sample(usable, k=min(len(usable), rng.randint(1, 3)))
            ctx.registrations.append(reg)
    db.session.add_all(ctx.registrations)
