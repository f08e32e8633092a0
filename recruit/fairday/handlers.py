"""Fair day listens to fair changes: each approved booth (and, after a reschedule, each confirmed
sign-up) is sent its check-in pass — in the app and by e-mail when configured — once per fair day
(a new day after a reschedule means a new pass and a new message)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from recruit import signals
from recruit.auth.models import User
from recruit.extensions import db
from recruit.fairs.models import Fair, FairSignup
from recruit.notifications import services as notes
from recruit.timeutil import format_datetime


def send_employer_pass(registration) -> None:
    fair = registration.fair
    users = db.session.scalars(
        sa.select(User).where(User.role == "employer", User.employer_id == registration.employer_id)
    )
    notes.notify(
        users,
        kind="checkin_pass",
        event_key=f"checkin_pass:E{registration.id}:{fair.local_date.isoformat()}",
        title="签到码：%s" % fair.title,
        body="贵单位的展位已通过。%s入场时请出示签到二维码或签到码（打开下面的链接查看），"
        "并在同一页面确认参会、登记参会代表。" % format_datetime(fair.starts_at),
        link=notes.path_for("fairday.registration_pass", registration_id=registration.id),
    )


def send_graduate_pass(signup: FairSignup) -> None:
    fair = signup.fair
    users = db.session.scalars(sa.select(User).where(User.role == "graduate", User.graduate_id == signup.graduate_id))
    notes.notify(
        users,
        kind="checkin_pass",
        event_key=f"checkin_pass:G{signup.id}:{fair.local_date.isoformat()}",
        title="签到码：%s" % fair.title,
        body="您已报名。%s入场时请出示签到二维码或签到码（打开下面的链接查看）。" % format_datetime(fair.starts_at),
        link=notes.path_for("fairday.signup_pass", signup_id=signup.id),
    )


def on_fair_changed(sender, change: str = "", **kw) -> None:
    fair = sender
    if not isinstance(fair, Fair) or fair.status != "scheduled":
        return
    if change in ("registration", "rescheduled"):
        for registration in fair.registrations:
            if registration.status == "approved":
                send_employer_pass(registration)
    if change == "rescheduled":
        for signup in db.session.scalars(
            sa.select(FairSignup).where(FairSignup.fair_id == fair.id, FairSignup.status == "confirmed")
        ):
            send_graduate_pass(signup)


def connect(app: Flask) -> None:
    """Connect the listeners (idempotent: blinker keeps one connection per receiver)."""
    signals.fair_changed.connect(on_fair_changed)
