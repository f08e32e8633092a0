"""Who hears of what (issue 14, item 5): each event once, in the recipient's language, in the app and by e-mail."""

from __future__ import annotations

import email
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import force_locale

from recruit.extensions import db
from recruit.notifications.models import Notification
from tests.notifications.test_notifications_centre import smtp_server  # noqa: F401  (fixture)

NOW = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-11-20 02:00:00+00:00", tick=False):
        yield


def rows(kind: str) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


def text_in(locale: str, n: Notification) -> str:
    with force_locale(locale):
        return " ".join(n.rendered())


def fair_data(fair, **changes):
    from recruit.fairs.services import FairData

    values = dict(
        kind=fair.kind,
        title=fair.title,
        format=fair.format,
        starts_at=fair.starts_at,
        ends_at=fair.ends_at,
        venue_id=fair.venue_id,
        online_url=fair.online_url,
        booth_capacity=fair.booth_capacity,
        industry_focus=fair.industry_focus,
        description=fair.description,
    )
    values.update(changes)
    return FairData(**values)


def test_employer_approval_and_rejection_reach_the_employer_once(app, make_employer, make_user):
    from recruit.employers.services import decide_employer

    employer = make_employer(status="pending", name="黔云科技")
    hr = make_user("employer", employer=employer, locale="en")
    decide_employer(employer, approve=False, reason="营业执照模糊")
    decide_employer(employer, approve=True)
    rejected, approved = rows("employer_rejected"), rows("employer_approved")
    assert [n.user_id for n in rejected] == [hr.id] and [n.user_id for n in approved] == [hr.id]
    assert "营业执照模糊" in text_in("zh", rejected[0]) and "单位认证未通过" in rejected[0].title
    english = text_in("en", approved[0])
    assert "黔云科技" in english and "approved" in english.lower()
    assert "认证" not in english.replace("黔云科技", "")


def test_booth_request_goes_to_the_organizers_and_the_decision_to_the_employer(
    app, make_fair, make_employer, make_posting, make_user
):
    from recruit.fairs import registrations

    fair = make_fair(day=NOW + timedelta(days=10), status="scheduled", title="冬季专场")
    organizer = make_user("organizer", university=fair.university)
    outsider = make_user("organizer")
    employer = make_employer(name="遵义制造")
    posting = make_posting(employer=employer)
    hr = make_user("employer", employer=employer, locale="en")
    registration = registrations.request_booth(fair, employer, [posting.id])
    requested = rows("booth_requested")
    assert [n.user_id for n in requested] == [organizer.id]  # never another university's organizer
    assert outsider.id not in {n.user_id for n in requested}
    assert "遵义制造" in requested[0].title and "冬季专场" in requested[0].body
    registrations.decide_registration(registration, approve=True)
    approved = rows("booth_approved")
    assert [n.user_id for n in approved] == [hr.id]
    english = text_in("en", approved[0])
    assert "冬季专场" in english and "booth 1" in english.lower()
    # Approved then cancelled by the organizer: the employer hears of the rejection too, once.
    registrations.decide_registration(registration, approve=False, reason="展位调整")
    assert [n.user_id for n in rows("booth_rejected")] == [hr.id]
    assert "展位调整" in text_in("en", rows("booth_rejected")[0])


def test_change_of_time_or_place_reaches_booths_and_savers_once_per_change(
    app, make_fair, make_employer, make_graduate, make_user, make_venue
):
    from recruit.fairs import services as fairs
    from recruit.fairs.models import FairRegistration
    from recruit.graduates.models import SavedFair

    fair = make_fair(day=NOW + timedelta(days=10), status="scheduled", title="春季双选会")
    approved, pending = make_employer(), make_employer()
    db.session.add_all(
        [
            FairRegistration(fair=fair, employer=approved, status="approved", booth_number=1),
            FairRegistration(fair=fair, employer=pending, status="pending"),
        ]
    )
    saver, other = make_graduate(), make_graduate()
    db.session.add(SavedFair(graduate_id=saver.id, fair_id=fair.id))
    db.session.commit()
    hr = make_user("employer", employer=approved)
    make_user("employer", employer=pending)
    grad = make_user("graduate", graduate=saver, locale="en")
    make_user("graduate", graduate=other)
    fairs.update_fair(fair, fair_data(fair, description="只改说明"))
    assert rows("fair_changed") == []  # neither time nor place changed
    later = fair.starts_at + timedelta(hours=1)
    fairs.update_fair(fair, fair_data(fair, starts_at=later, ends_at=fair.ends_at + timedelta(hours=1)))
    assert sorted(n.user_id for n in rows("fair_changed")) == sorted([hr.id, grad.id])
    new_hall = make_venue(university=fair.university, name="新体育馆")
    fairs.update_fair(fair, fair_data(fair, venue_id=new_hall.id))
    moved = [n for n in rows("fair_changed") if n.user_id == grad.id]
    assert len(moved) == 2 and "新体育馆" in text_in("en", moved[1])
    assert "Nov 2026 15:00" in text_in("en", moved[0]) and "年" not in text_in("en", moved[0]).replace("春季双选会", "")


def test_school_recommendation_tells_the_graduate_in_their_language(
    app,
    make_university,
    make_user,
    make_graduate,
    make_posting,
    smtp_server,  # noqa: F811
):
    from recruit.organizer import services as organizer

    university = make_university()
    author = make_user("organizer", university=university)
    case = make_graduate(university=university, low_income=True)
    grad = make_user("graduate", graduate=case, locale="en", email="case@example.com")
    posting = make_posting(title="Java开发")
    organizer.recommend(case, posting.id, author, "离家近")
    [n] = rows("school_recommendation")
    assert n.user_id == grad.id and "Java开发" in n.title and "离家近" in n.body
    english = text_in("en", n)
    assert "recommend" in english.lower() and "离家近" in english
    [envelope] = smtp_server.messages
    msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert "recommend" in str(msg["subject"]).lower()
    assert "/graduates/me/matches" in msg.get_content()


def test_centre_shows_each_notification_in_the_readers_language(app, client, auth, make_employer, make_user):
    from recruit.employers.services import decide_employer

    employer = make_employer(status="pending", name="Acme")
    hr = make_user("employer", employer=employer, locale="en")
    decide_employer(employer, approve=True)
    auth.login(hr)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Employer approved: Acme" in page and "单位认证已通过" not in page
    # The stored text is the platform language (Chinese), used when no renderer knows the kind.
    [n] = rows("employer_approved")
    assert n.title == "单位认证已通过：Acme" and n.params == {"name": "Acme", "reason": ""}


def test_job_notifications_render_in_english(app):
    from recruit.notifications.messages import render

    week = {
        "period": "week",
        "kind": "special",
        "year": 2026,
        "month": 12,
        "start": "2026-12-07",
        "end": "2026-12-13",
        "n": 1,
    }
    month = {
        "period": "month",
        "kind": "large",
        "year": 2026,
        "month": 12,
        "start": "2026-12-01",
        "end": "2026-12-31",
        "n": 1,
    }
    cases = [
        ("frequency_watch", {"days": 21, "periods": [week, month]}),
        ("frequency_digest", {"universities": [{"name": "Test University", "periods": [week]}]}),
        ("holiday_missing", {"year": 2027}),
        ("fair_reminder", {"title": "Autumn Fair", "when": "2026-12-08T06:00:00+00:00", "venue": "", "online_url": ""}),
    ]
    for kind, params in cases:
        with force_locale("en"):
            title, body = render(kind, params)
        assert title and body and not any("\u4e00" <= ch <= "\u9fff" for ch in title + body), (kind, title, body)
        with force_locale("zh"):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(render(kind, params))), kind
