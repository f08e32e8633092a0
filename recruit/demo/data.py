"""The demo data generator behind ``flask --app wsgi demo load``.

:func:`load_demo` fills an empty database with a deterministic (seeded) picture of a Guizhou
recruitment year: 8 universities with majors and venues, 60 employers with valid credit codes,
300 postings, 600 graduates with intentions, the fairs of the 2026 spring and autumn seasons and
the start of the 2027 spring season (with deliberate gaps for the frequency check and the gap
planner), booth registrations, and one login per role (password ``demo12345``).

It runs in one transaction and does nothing when a university already exists. The vocabularies
are data (recruit/demo/data/*.json, read by :mod:`recruit.demo.texts`); the fairs and booth
registrations are made by :mod:`recruit.demo.fairs`, the logins by :mod:`recruit.demo.accounts`,
the shared pieces live in :mod:`recruit.demo.base`.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, time, timedelta

import sqlalchemy as sa

from recruit.demo import province, texts
from recruit.demo.base import (
    COMPLIANT,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    KEY_GROUP_SHARE,
    N_GRADUATES,
    N_POSTINGS,
    _at,
    _credit_code,
    _Ctx,
    _mobile,
    _past_moment,
    _person_name,
    _round,
    _weighted,
)
from recruit.demo.accounts import _make_accounts
from recruit.demo.fairs import _make_fairs, _make_registrations
from recruit.employers.models import Employer, Posting
from recruit.extensions import db
from recruit.statistics import demo as statistics_demo
from recruit.graduates.models import Graduate, Intention
from recruit.timeutil import combine_local, today_local
from recruit.universities.models import University, Venue
from recruit.validation import DEGREES

# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------


def demo_data_exists() -> bool:
    return db.session.scalar(sa.select(University.id).limit(1)) is not None


#: Sizes of the demo profiles: (graduates, postings).
PROFILES = {"default": (N_GRADUATES, N_POSTINGS), "province": (6000, 1500)}


def load_demo(seed: int = DEFAULT_SEED, today: date | None = None, profile: str = "default") -> dict:
    """Generate the demo data in one transaction; a no-op when any university exists.

    Returns ``{"created": bool, "message": str, "seed": int, "counts": {...}, "accounts": [...]}``
    where each account is ``{"email", "role", "password", "display_name"}``.
    """
    if demo_data_exists():
        return {
            "created": False,
            "seed": seed,
            "message": "演示数据已存在（数据库中已有高校），未做任何修改。Demo data already exists; nothing changed.",
            "counts": {},
            "accounts": [],
        }
    today = today or today_local()
    if profile not in PROFILES:
        raise ValueError(f"unknown demo profile {profile!r}")
    ctx = _Ctx(
        rng=random.Random(seed),
        today=today,
        now=combine_local(today, time(8, 0)),
        profile=profile,
        seed=seed,
        n_graduates=PROFILES[profile][0],
        n_postings=PROFILES[profile][1],
    )
    try:
        with db.session.no_autoflush:
            _make_universities(ctx)
            _make_employers(ctx)
            _make_postings(ctx)
            _make_graduates(ctx)
        _make_accounts(ctx)
        db.session.flush()  # ids of the organizer accounts, for Fair.created_by_id
        with db.session.no_autoflush:
            _make_fairs(ctx)
            _make_registrations(ctx)
        counts = _counts(ctx)  # before the commit expires every object
        db.session.commit()
        ctx.accounts.extend(statistics_demo.populate(seed, today, ctx.users[0].password_hash, DEMO_PASSWORD))
    except Exception:
        db.session.rollback()
        raise
    return {
        "created": True,
        "seed": seed,
        "message": "演示数据已生成。Demo data loaded.",
        "counts": counts,
        "accounts": ctx.accounts,
    }


# ---------------------------------------------------------------------------------------------
# Universities, employers, postings, graduates
# ---------------------------------------------------------------------------------------------


def _make_universities(ctx: _Ctx) -> None:
    specs = list(texts.UNIVERSITIES)
    if ctx.profile == "province":
        specs += province.extra_specs(random.Random(f"province-{ctx.seed}"))
    stats_rng = random.Random(f"major-stats-{ctx.seed}")  # not ctx.rng: the default demo stays as it was
    for spec in specs:
        uni = University(
            code=spec["code"],
            name=spec["name"],
            city=spec["city"],
            graduates_count=spec["graduates_count"],
            majors=list(spec["majors"]),
            moe_code=spec.get("moe_code") or province.DEMO_MOE.get(spec["code"]),
            level=spec.get("level", "本科"),
            major_stats=province.major_stats(spec, stats_rng),
            plan_special_weekdays=[2, 3, 4],
            plan_special_start="14:00",
            plan_special_minutes=180,
            plan_large_weekdays=[6],
            plan_large_start="09:00",
            plan_large_minutes=210,
        )
        uni.venues = [Venue(name=n, capacity=c, address=a) for n, c, a in spec["venues"]]
        db.session.add(uni)
        ctx.universities[spec["code"]] = uni
        ctx.uni_specs[spec["code"]] = spec


def _make_employers(ctx: _Ctx) -> None:
    rng = ctx.rng
    used_codes: set[str] = set()
    used_names: set[str] = set()
    brands = list(texts.BRANDS)
    idx = 0
    for industry, n in texts.EMPLOYER_MIX.items():
        for _ in range(n):
            idx += 1
            core, cities, desc = rng.choice(texts.EMPLOYER_KINDS[industry])
            city = rng.choice(cities)
            for _attempt in range(50):
                name = texts.CITY_PREFIX[city] + rng.choice(brands) + core
                if name not in used_names:
                    break
            used_names.add(name)
            ctx.employers.append(
                Employer(
                    name=name,
                    credit_code=_credit_code(rng, city, used_codes),
                    industry=industry,
                    city=city,
                    contact_name=_person_name(rng),
                    contact_phone=_mobile(rng),
                    contact_email=f"hr@emp{idx:02d}.example.cn",
                    description=f"{name}{desc}。",
                    status="approved",
                    created_at=_at(date(2026, 1, 5) + timedelta(days=rng.randint(0, 200)), rng),
                )
            )
    # ~5 pending and 2 rejected; the first employer of each of the first two industries stays
    # approved (demo employer accounts use them).
    protected = {
        next(i for i, e in enumerate(ctx.employers) if e.industry == industry)
        for industry in ("大数据电子信息", "健康医药")
    }
    candidates = [i for i in range(len(ctx.employers)) if i not in protected]
    picked = rng.sample(candidates, 7)
    for i in picked[:5]:
        ctx.employers[i].status = "pending"
        ctx.employers[i].created_at = _past_moment(ctx, ctx.now, 1, 20)
    for j, i in enumerate(picked[5:]):
        emp = ctx.employers[i]
        emp.status = "rejected"
        emp.status_reason = texts.REJECT_REASONS[j % len(texts.REJECT_REASONS)]
        emp.decided_at = _past_moment(ctx, ctx.now, 3, 30)
    for emp in ctx.employers:
        if emp.status == "approved":
            emp.decided_at = emp.created_at + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
            if emp.decided_at > ctx.now:
                emp.decided_at = ctx.now - timedelta(hours=3)
    db.session.add_all(ctx.employers)


def _majors_for_profiles(profiles: list[str]) -> list[str]:
    return [m for m, p in texts.MAJOR_PROFILE.items() if p in profiles]


def _posting_counts(ctx: _Ctx) -> list[int]:
    rng = ctx.rng
    counts = [1 if e.status == "rejected" else 3 for e in ctx.employers]
    weights = [0 if e.status == "rejected" else (1 if e.status == "pending" else 3) for e in ctx.employers]
    for _ in range(ctx.n_postings - sum(counts)):
        counts[_weighted(rng, range(len(counts)), weights)] += 1
    return counts


def _posting_description(ctx: _Ctx, emp: Employer, occ: dict, city: str, desc: str) -> str:
    rng = ctx.rng
    duties = rng.sample(occ["duties"], k=min(len(occ["duties"]), _weighted(rng, (1, 2), (55, 45))))
    needs = rng.sample(occ["needs"], k=min(len(occ["needs"]), _weighted(rng, (1, 2), (60, 40))))
    company = (
        rng.choice(texts.COMPANY_SENTENCES).format(desc=desc, city=emp.city, name=emp.name)
        if rng.random() < 0.25
        else ""
    )
    if rng.random() < 0.3:
        needs.append(rng.choice(texts.GENERIC_NEEDS).format(year=rng.choice((2026, 2027))))
    benefit = rng.choice(texts.BENEFITS).format(city=city) if rng.random() < 0.6 else ""
    # At most 5 sentences: drop the optional pieces first.
    while len(duties) + len(needs) + bool(company) + bool(benefit) > 5:
        if len(needs) > 1:
            needs.pop()
        elif company:
            company = ""
        else:
            duties.pop()
    if rng.random() < 0.15:
        # Occasionally the structured style HR departments like.
        text = f"岗位职责：{'；'.join(duties)}。任职要求：{'；'.join(needs)}。"
        if benefit:
            text += f"福利待遇：{benefit}。"
        return (company + "。" if company else "") + text
    parts = ([company] if company else []) + duties + needs + ([benefit] if benefit else [])
    return "。".join(parts) + "。"


def _make_postings(ctx: _Ctx) -> None:
    rng = ctx.rng
    guizhou = [c for c in texts.CITY_DIVISION]
    for emp, n in zip(ctx.employers, _posting_counts(ctx)):
        occupations = texts.INDUSTRY_OCCUPATIONS[emp.industry]
        weights = [len(occupations) - i + 2 for i in range(len(occupations))]
        desc = emp.description.removeprefix(emp.name).rstrip("。")
        titles: set[str] = set()
        for _ in range(n):
            for _attempt in range(6):
                title = _weighted(rng, occupations, weights)
                if title not in titles:
                    break
            occ = texts.OCCUPATIONS[title]
            city = emp.city if rng.random() < 0.75 else rng.choice(guizhou)
            shown = title if title not in titles else f"{title}（{city}）"
            if shown in titles:
                shown = f"{title}（{len(titles) + 1}号岗）"
            titles.add(shown)
            titles.add(title)
            degree = _weighted(rng, DEGREES, occ["degree"])
            lo, hi = occ["salary"]
            bonus = {"专科": -500, "本科": 0, "硕士": 2000, "博士": 5000}[degree]
            factor = 1.0 if city in ("贵阳", "贵安新区", "仁怀") else 0.92
            smin = max(3000, min(18000, _round((lo + bonus) * factor * rng.uniform(0.9, 1.12))))
            smax = max(smin + 500, min(20000, _round((hi + bonus) * factor * rng.uniform(0.85, 1.15))))
            if "专业不限" in "".join(occ["needs"]) or rng.random() < 0.06:
                majors: list[str] = []
            else:
                pool = _majors_for_profiles(occ["profiles"])
                majors = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
            headcount = _weighted(rng, (1, 2, 3, 5, 8, 10, 20), (22, 26, 20, 14, 7, 7, 4))
            created = _past_moment(ctx, ctx.now, 2, 80)
            roll = rng.random()
            if roll < 0.05:
                # Past its deadline but still open: the nightly upkeep job should close it.
                deadline = ctx.today - timedelta(days=rng.randint(1, 25))
                status = "open"
            elif roll < 0.10:
                deadline = date(2026, 12, 1) + timedelta(days=rng.randint(0, 211))
                status = "closed"
            else:
                deadline = date(2026, 12, 1) + timedelta(days=rng.randint(0, 211))
                status = "open"
            posting = Posting(
                employer=emp,
                title=shown,
                description=_posting_description(ctx, emp, occ, city, desc),
                industry=emp.industry,
                majors=majors,
                min_degree=degree,
                city=city,
                salary_min=smin,
                salary_max=smax,
                headcount=headcount,
                deadline=deadline,
                status=status,
                created_at=created,
                updated_at=created,
                # Posting review: a verified employer's postings passed it; a waiting one's are drafts.
                review_status="published" if emp.status == "approved" else "draft",
                reviewed_at=created if emp.status == "approved" else None,
            )
            ctx.postings.append(posting)
    db.session.add_all(ctx.postings)


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - out[i], -i), reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _statement(ctx: _Ctx, g: Graduate, uni: University, profile: dict, intention: Intention) -> str:
    rng = ctx.rng
    degree_word = {"专科": "专科", "本科": "本科", "硕士": "硕士", "博士": "博士"}[g.degree]
    openings = texts.STATEMENT_OPENINGS if g.graduation_year >= 2027 else texts.STATEMENT_OPENINGS_PAST
    opening = rng.choice(openings).format(
        uni=uni.name, major=g.major, degree=degree_word, year=g.graduation_year, name=g.name
    )
    exps = rng.sample(profile["experiences"], k=min(len(profile["experiences"]), _weighted(rng, (1, 2), (55, 45))))
    if rng.random() < 0.4:
        exps.append(rng.choice(texts.GENERIC_EXPERIENCES))
    joiner = rng.choice(("，", "；", "，还"))
    lead = "在校期间" if rng.random() < 0.5 and not exps[0].startswith("在校期间") else ""
    body = opening + "。" + lead + exps[0]
    for e in exps[1:]:
        body += joiner + e
        joiner = "，"
    body += "。"
    if rng.random() < 0.65:
        body += rng.choice(texts.STATEMENT_TRAITS) + "。"
    wishes = rng.sample(texts.STATEMENT_WISHES, k=_weighted(rng, (1, 2), (60, 40)))
    fill = {
        "city": intention.cities[0] if intention.cities else uni.city,
        "hometown": rng.choice(texts.HOMETOWNS),
        "industry": intention.industries[0] if intention.industries else "本专业",
        "position": intention.positions[0] if intention.positions else "本专业",
    }
    body += "，".join(w.format(**fill) for w in wishes) + "。"
    return body


def _intention(ctx: _Ctx, g: Graduate, uni: University) -> Intention:
    rng = ctx.rng
    profile = texts.PROFILES[texts.MAJOR_PROFILE[g.major]]
    industries = rng.sample(profile["industries"], k=min(len(profile["industries"]), rng.randint(1, 3)))
    if rng.random() < 0.12:
        other = rng.choice(("大数据电子信息", "公共管理", "教育", "旅游", "金融"))
        if other not in industries:
            industries.append(other)
    positions = rng.sample(profile["positions"], k=min(len(profile["positions"]), rng.randint(1, 3)))
    home = rng.choice(texts.HOMETOWNS)
    cities = [uni.city]
    if home not in cities and rng.random() < 0.45:
        cities.append(home)
    if "贵阳" not in cities and rng.random() < 0.5:
        cities.append("贵阳")
    if len(cities) < 3 and rng.random() < 0.12:
        cities.append(rng.choice(("成都", "重庆", "深圳", "杭州", "广州", "长沙")))
    if len(cities) > 1 and rng.random() < 0.3:
        cities.reverse()
    lo, hi = {"专科": (3500, 5500), "本科": (4500, 8000), "硕士": (6500, 11000), "博士": (10000, 16000)}[g.degree]
    salary = _round(rng.uniform(lo, hi))
    skills = "、".join(rng.sample(profile["skills"], k=min(len(profile["skills"]), rng.randint(2, 5))))
    intention = Intention(
        industries=industries,
        positions=positions,
        cities=cities,
        salary_expectation=salary,
        skills=skills,
    )
    intention.statement = _statement(ctx, g, uni, profile, intention)
    return intention


def _make_graduates(ctx: _Ctx) -> None:
    rng = ctx.rng
    codes = list(ctx.universities)
    shares = _allocate(ctx.n_graduates, [ctx.uni_specs[c]["graduates_count"] for c in codes])
    for uni_index, (code, n) in enumerate(zip(codes, shares), start=1):
        uni = ctx.universities[code]
        spec = ctx.uni_specs[code]
        seq = Counter()
        for k in range(n):
            year = 2027 if rng.random() < 0.85 else 2026
            degree = _weighted(rng, DEGREES, spec["degrees"])
            major = rng.choice(spec["majors"])
            key = rng.random() < KEY_GROUP_SHARE
            flags = {"low_income": False, "ethnic_minority": False, "disability": False}
            if key:
                flags["low_income"] = rng.random() < 0.6
                flags["ethnic_minority"] = rng.random() < 0.5
                flags["disability"] = rng.random() < 0.12
                if not any(flags.values()):
                    flags[rng.choice(list(flags))] = True
            has_intention = rng.random() < 0.9
            if code == COMPLIANT and k == 0:
                # The graduate@recruit.demo account: GZU computer science, 本科, with an intention.
                year, degree, major, has_intention = 2027, "本科", "计算机科学与技术", True
                flags = {"low_income": False, "ethnic_minority": False, "disability": False}
            if code == "GZMU" and k == 0:
                # The keygroup@recruit.demo account: a key-group graduate with an intention.
                year, degree, major, has_intention = 2027, "本科", "数据科学与大数据技术", True
                flags = {"low_income": True, "ethnic_minority": True, "disability": False}
            entry = year - {"专科": 3, "本科": 4, "硕士": 3, "博士": 4}[degree]
            seq[entry] += 1
            number = f"{entry}{uni_index:02d}{seq[entry]:05d}"
            visible = rng.random() < 0.7 or k == 0
            g = Graduate(
                university=uni,
                student_number=number,
                name=_person_name(rng),
                major=major,
                degree=degree,
                graduation_year=year,
                phone=_mobile(rng),
                email=f"{number}@stu.{code.lower()}.example.edu.cn",
                visible_to_employers=visible,
                share_contact=visible and rng.random() < 0.4,
                confirmed=rng.random() < 0.95 or k == 0,
                created_at=_at(date(2026, 9, 1) + timedelta(days=rng.randint(0, 60)), rng),
                **flags,
            )
            if has_intention:
                g.intention = _intention(ctx, g, uni)
                g.intention.updated_at = g.created_at + timedelta(days=rng.randint(0, 20))
                if g.intention.updated_at > ctx.now:
                    g.intention.updated_at = ctx.now
            ctx.graduates.append(g)
    db.session.add_all(ctx.graduates)


# ---------------------------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------------------------


def _counts(ctx: _Ctx) -> dict:
    fair_status = Counter(f.status for f in ctx.fairs)
    return {
        "universities": len(ctx.universities),
        "venues": sum(len(u.venues) for u in ctx.universities.values()),
        "employers": len(ctx.employers),
        "employers_by_status": dict(sorted(Counter(e.status for e in ctx.employers).items())),
        "postings": len(ctx.postings),
        "postings_open": sum(1 for p in ctx.postings if p.status == "open"),
        "graduates": len(ctx.graduates),
        "intentions": sum(1 for g in ctx.graduates if g.intention is not None),
        "key_group_graduates": sum(1 for g in ctx.graduates if g.is_key_group),
        "fairs": len(ctx.fairs),
        "fairs_by_status": dict(sorted(fair_status.items())),
        "fairs_by_kind": dict(sorted(Counter(f.kind for f in ctx.fairs).items())),
        "registrations": len(ctx.registrations),
        "registrations_by_status": dict(sorted(Counter(r.status for r in ctx.registrations).items())),
        "users": len(ctx.users),
    }
