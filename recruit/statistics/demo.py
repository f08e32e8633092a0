"""Demo data of the statistics domain, added by ``flask demo load`` after the fairs and accounts.

Colleges follow the majors' disciplines in the MoE catalogue (工学 → 工学院); the class that has
graduated has most destination records verified, the coming class a few offers in review; the
last year's reports were mostly submitted on time, some late, a few are missing; staffing falls
short at some universities. Deterministic for a seed.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from matching.majors import catalogue
from recruit.auth.models import User
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.statistics.models import DestinationEvent, DestinationRecord, StatisticsReport, UniversityStaffing
from recruit.statistics.reports import class_year_on, officers_required, snapshot
from recruit.statistics.policy import load_policy
from recruit.timeutil import combine_local
from recruit.universities.models import College, University

#: Destination categories of a graduated class and their weights (a plausible provincial mix).
GRADUATED_MIX = (
    ("agreement", 30),
    ("contract", 22),
    ("other_hire", 8),
    ("further_study", 12),
    ("national_grassroots", 3),
    ("local_grassroots", 4),
    ("enlisted", 1),
    ("entrepreneur", 2),
    ("freelance", 5),
    ("research_assistant", 1),
    ("abroad", 2),
    ("seeking", 8),
    ("not_seeking", 2),
)
#: The coming class in November: offers from the autumn season.
COMING_MIX = (("agreement", 60), ("contract", 15), ("further_study", 20), ("national_grassroots", 5))
ORGANISATIONS = (
    "贵州大数据产业集团有限公司",
    "贵州茅台酒股份有限公司",
    "贵阳银行股份有限公司",
    "中国电建集团贵阳勘测设计研究院",
    "贵州航天电器股份有限公司",
    "遵义市第一人民医院",
    "贵州磷化（集团）有限责任公司",
    "贵州省交通规划勘察设计研究院",
)
SCHOOLS = ("贵州大学", "四川大学", "重庆大学", "华中科技大学", "贵州师范大学")
CITIES = ("贵阳", "贵阳", "贵阳", "遵义", "贵安新区", "六盘水", "毕节", "成都", "重庆", "深圳")
INDUSTRIES = ("大数据电子信息", "软件和信息技术服务", "健康医药", "现代化工", "先进装备制造", "旅游", "基础能源")


def _college_name(major: str) -> str:
    m = catalogue().lookup(major)
    if m is None:
        return "综合学院"
    name = m.discipline_name.removesuffix("大类").removesuffix("学")
    return f"{name}学院" if m.level == "本科" else f"{name}系"


def populate(seed: int, today: date, password_hash: str, password: str) -> list[dict]:
    """Add colleges, staffing, destination records and reports; returns the demo accounts added."""
    rng = random.Random(seed + 15)
    policy = load_policy()
    coming = class_year_on(today)
    universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
    office_of = {
        u.university_id: u
        for u in db.session.scalars(sa.select(User).where(User.role == "organizer").order_by(User.id))
    }
    accounts: list[dict] = []
    # the demo graduates who log in start with no record: the browser journeys fill theirs in
    with_accounts = set(db.session.scalars(sa.select(User.graduate_id).where(User.graduate_id.is_not(None))))
    for uni in universities:
        graduates = db.session.scalars(
            sa.select(Graduate).where(Graduate.university_id == uni.id).order_by(Graduate.id)
        ).all()
        colleges: dict[str, College] = {}
        for g in graduates:
            name = _college_name(g.major)
            if name not in colleges:
                colleges[name] = College(university_id=uni.id, name=name)
                db.session.add(colleges[name])
        db.session.flush()
        for g in graduates:
            g.college_id = colleges[_college_name(g.major)].id
        required = officers_required(uni.graduates_count)
        db.session.add(
            UniversityStaffing(university_id=uni.id, fulltime_officers=max(1, required - rng.choice((0, 0, 0, 1, 3))))
        )
        office = office_of.get(uni.id)
        for g in graduates:
            if g.id not in with_accounts:
                _record(rng, g, office, coming, today)
        db.session.flush()
        _reports(rng, uni, office, policy, today)
        if uni.code == "GZU" and office is not None:
            college = colleges[_college_name("计算机科学与技术")]
            reviewer = User(
                email="gzu-college@recruit.demo",
                role="organizer",
                display_name=f"{college.name}审核员（演示）",
                password_hash=password_hash,
                university_id=uni.id,
                college_id=college.id,
            )
            db.session.add(reviewer)
            accounts.append(
                {
                    "email": reviewer.email,
                    "role": "organizer",
                    "password": password,
                    "display_name": reviewer.display_name,
                }
            )
    db.session.commit()
    return accounts


def _record(rng: random.Random, g: Graduate, office: User | None, coming: int, today: date) -> None:
    graduated = g.graduation_year < coming
    if (graduated and rng.random() < 0.08) or (not graduated and rng.random() > 0.22):
        return  # no record yet
    mix = GRADUATED_MIX if graduated else COMING_MIX
    category = rng.choices([c for c, _ in mix], [w for _, w in mix])[0]
    placed = category not in ("seeking", "not_seeking")
    study = category in ("further_study", "abroad")
    status = (
        "verified" if graduated and rng.random() < 0.9 else rng.choice(("pending", "collected", "reviewed", "verified"))
    )
    day = (
        date(g.graduation_year, 6, 1) + timedelta(days=rng.randint(0, 60))
        if graduated
        else today - timedelta(days=rng.randint(5, 70))
    )
    record = DestinationRecord(
        graduate_id=g.id,
        university_id=g.university_id,
        category=category,
        status=status,
        organisation=(rng.choice(SCHOOLS) if study else rng.choice(ORGANISATIONS)) if placed else "",
        city=rng.choice(CITIES) if placed else "",
        industry="" if study or not placed else rng.choice(INDUSTRIES),
        destination_date=day if placed else None,
        filled_at=combine_local(day, time(10)),
    )
    steps = ("collected", "reviewed", "verified")[: ("pending", "collected", "reviewed", "verified").index(status)]
    at = combine_local(day, time(10))
    for step in steps:
        at += timedelta(days=rng.randint(1, 5))
        setattr(record, f"{step}_by_id", office.id if office else None)
        setattr(record, f"{step}_at", at)
        record.events.append(DestinationEvent(action=step, actor_id=office.id if office else None, at=at))
    db.session.add(record)


def _reports(rng: random.Random, uni: University, office: User | None, policy, today: date) -> None:
    """Submit most of the last year's reports: on time, some late, a few never."""
    periods = [p for p in policy.periods_between(today - timedelta(days=365), today) if p.end < today]
    snapshots: dict[int, dict] = {}
    late_share = rng.choice((0.0, 0.05, 0.2))
    missing_share = rng.choice((0.0, 0.0, 0.05, 0.15))
    for p in periods:
        roll = rng.random()
        if roll < missing_share:
            continue
        deadline = policy.deadline(p)
        late = roll < missing_share + late_share
        day = (
            deadline + timedelta(days=rng.randint(1, 6))
            if late
            else p.end + timedelta(days=rng.randint(0, policy.grace_days))
        )
        if day >= today:
            continue  # not submitted yet
        if p.class_year not in snapshots:
            snapshots[p.class_year] = snapshot(uni, p.class_year)
        db.session.add(
            StatisticsReport(
                university_id=uni.id,
                cadence=p.cadence,
                period_start=p.start,
                period_end=p.end,
                class_year=p.class_year,
                revision=1,
                snapshot=snapshots[p.class_year],
                submitted_by_id=office.id if office else None,
                submitted_at=combine_local(day, time(16)),
            )
        )
