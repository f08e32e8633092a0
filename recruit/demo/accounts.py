"""The demo's logins: one per role and per university (password ``demo12345``), and the two
graduates and three employers the walkthrough uses."""

from __future__ import annotations

from recruit.auth.models import User
from recruit.auth.services import create_user, normalise_email
from recruit.demo import texts
from recruit.demo.base import COMPLIANT, DEMO_PASSWORD, _Ctx
from recruit.extensions import db


def _make_accounts(ctx: _Ctx) -> None:
    """One login per role and per university; the password is hashed once (scrypt is slow)."""
    admin = create_user("admin@recruit.demo", DEMO_PASSWORD, "admin", "省教育厅管理员（演示）")
    password_hash = admin.password_hash

    def add(email: str, role: str, display_name: str, **links) -> User:
        user = User(
            email=normalise_email(email), role=role, display_name=display_name, password_hash=password_hash, **links
        )
        db.session.add(user)
        ctx.users.append(user)
        return user

    ctx.users.append(admin)
    ctx.accounts.append(
        {"email": admin.email, "role": "admin", "password": DEMO_PASSWORD, "display_name": admin.display_name}
    )
    for code, uni in ctx.universities.items():
        user = add(
            f"{code.lower()}@recruit.demo",
            "organizer",
            texts.ORGANIZER_NAMES.get(code) or f"{uni.name}就业指导中心",
            university=uni,
        )
        ctx.organizers[code] = user
        ctx.accounts.append(
            {"email": user.email, "role": "organizer", "password": DEMO_PASSWORD, "display_name": user.display_name}
        )

    approved = [e for e in ctx.employers if e.status == "approved"]
    it_employer = next(e for e in approved if e.industry == "大数据电子信息")
    med_employer = next(e for e in approved if e.industry == "健康医药")
    pending = next(e for e in ctx.employers if e.status == "pending")
    gzu_grad = next(g for g in ctx.graduates if g.university is ctx.universities[COMPLIANT])
    key_grad = next(g for g in ctx.graduates if g.university is ctx.universities["GZMU"])
    gzu_grad.intention.statement = (
        "我是贵州大学计算机专业的应届本科生，做过两个校园项目，一个是学院的实验室预约小程序，"
        "一个是二手书交易网站，我负责后端接口和MySQL数据库设计。暑假在贵阳一家软件公司实习过两个月，"
        "熟悉Java和Spring Boot，也会一点Python做数据处理。希望留在贵阳发展，做后端开发或者大数据相关的工作。"
    )
    gzu_grad.intention.positions = ["Java开发", "后端开发", "大数据开发"]
    gzu_grad.intention.industries = ["软件和信息技术服务", "大数据电子信息"]
    gzu_grad.intention.cities = ["贵阳", "贵安新区"]
    gzu_grad.intention.skills = "Java、Spring Boot、MySQL、Python、Linux、Git"
    gzu_grad.intention.salary_expectation = 7000
    for email, role, name, links in (
        ("employer@recruit.demo", "employer", it_employer.name, {"employer": it_employer}),
        ("employer2@recruit.demo", "employer", med_employer.name, {"employer": med_employer}),
        ("pending@recruit.demo", "employer", pending.name, {"employer": pending}),
        ("graduate@recruit.demo", "graduate", gzu_grad.name, {"graduate": gzu_grad, "university": gzu_grad.university}),
        ("keygroup@recruit.demo", "graduate", key_grad.name, {"graduate": key_grad, "university": key_grad.university}),
    ):
        user = add(email, role, name, **links)
        ctx.accounts.append({"email": user.email, "role": role, "password": DEMO_PASSWORD, "display_name": name})
