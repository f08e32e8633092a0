"""Registration state changes are compare-and-set (issue 12, item 7), on SQLite and PostgreSQL.

The race made deterministic: the request loaded the registration (``pending``), then the
other side's change commits on another connection, then this request writes. Before the fix
the later write silently overwrote the earlier one (approved although the employer withdrew,
or withdrawn yet holding a booth number). The threaded version through HTTP is in
test_security_races.py (PostgreSQL).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from recruit.core.errors import ServiceError
from recruit.extensions import db
from recruit.fairs import registrations
from recruit.fairs.models import FairRegistration


@pytest.fixture
def registration(make_fair, make_employer, make_posting):
    fair = make_fair()
    employer = make_employer()
    reg = FairRegistration(fair=fair, employer=employer, status="pending", postings=[make_posting(employer=employer)])
    db.session.add(reg)
    db.session.commit()
    assert reg.status == "pending"  # loaded by "this request"
    return reg


def _elsewhere(reg_id: int, **values) -> None:
    """The other request's change, committed on its own connection."""
    with db.engine.begin() as conn:
        conn.execute(sa.update(FairRegistration).where(FairRegistration.id == reg_id).values(**values))


def _stored(reg_id: int):
    with db.engine.connect() as conn:
        return conn.execute(
            sa.select(FairRegistration.status, FairRegistration.booth_number).where(FairRegistration.id == reg_id)
        ).one()


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_after_the_employer_withdrew_is_a_409(registration, approve):
    _elsewhere(registration.id, status="withdrawn")
    with pytest.raises(ServiceError) as info:
        registrations.decide_registration(registration, approve, "" if approve else "不符合")
    assert info.value.status == 409 and info.value.message == "单位刚刚已撤回该申请，未作处理。"
    assert tuple(_stored(registration.id)) == ("withdrawn", None)


def test_a_withdrawal_after_the_approval_is_a_409_that_says_so(registration):
    _elsewhere(registration.id, status="approved", booth_number=1)
    with pytest.raises(ServiceError) as info:
        registrations.withdraw_registration(registration)
    assert info.value.status == 409 and "刚刚已被通过" in info.value.message
    assert tuple(_stored(registration.id)) == ("approved", 1)
    # Told the truth, the employer may still withdraw, knowingly.
    db.session.expire_all()
    registrations.withdraw_registration(db.session.get(FairRegistration, registration.id))
    assert tuple(_stored(registration.id)) == ("withdrawn", None)


def test_two_organizers_deciding_at_once(registration):
    _elsewhere(registration.id, status="rejected", decision_reason="不符合")
    with pytest.raises(ServiceError) as info:
        registrations.decide_registration(registration, True)
    assert info.value.status == 409 and "刚刚已被拒绝" in info.value.message


def test_the_loser_sees_a_409_page(client, auth, registration, make_user):
    organizer = make_user("organizer", university=registration.fair.university)
    auth.login(organizer)
    _elsewhere(registration.id, status="withdrawn")
    response = client.post(f"/fairs/registrations/{registration.id}/decide", data={"decision": "approve"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and ("撤回" in page or "该申请已处理" in page)
    assert tuple(_stored(registration.id)) == ("withdrawn", None)
