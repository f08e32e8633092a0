"""A posting with its employer user, and a confirmed graduate with an intention and a résumé."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from recruit.applications import services

from recruit.applications import resumes
from recruit.extensions import db
from recruit.notifications.models import Notification


@dataclass
class Scene:
    posting: object
    employer_user: object
    graduate: object
    graduate_user: object
    organizer: object


@pytest.fixture
def scene(app, make_posting, make_graduate, make_user):
    posting = make_posting(title="Java后端开发工程师")
    graduate = make_graduate(
        intention=dict(
            positions=["Java后端开发"],
            cities=["贵阳"],
            industries=["软件和信息技术服务"],
            skills="Java、Spring Boot",
            statement="想做后端开发",
        )
    )
    resumes.save_resume(graduate, {"skills": "Java、MySQL", "projects": "校园二手交易平台（Spring Boot）"})
    return Scene(
        posting=posting,
        employer_user=make_user("employer", employer=posting.employer),
        graduate=graduate,
        graduate_user=make_user("graduate", graduate=graduate),
        organizer=make_user("organizer", university=graduate.university),
    )


@pytest.fixture
def application(scene):
    """The scene's graduate has applied to the scene's posting."""
    return services.apply(scene.graduate, scene.posting, scene.graduate_user)


def notifications_of(user) -> list:
    return list(
        db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    )
