"""The organizer's 待办 lists pending booth requests and pending employers with links (issue 14, item 5)."""

from __future__ import annotations

from datetime import date

import time_machine

from recruit.extensions import db
from recruit.fairs.models import FairRegistration


def test_todo_lists_pending_booths_of_own_university_and_pending_employers(
    client, auth, make_user, make_fair, make_employer
):
    with time_machine.travel("2026-11-20 02:00:00+00:00", tick=False):
        mine = make_fair(day=date(2026, 12, 8), status="scheduled", title="本校冬季专场")
        theirs = make_fair(day=date(2026, 12, 9), status="scheduled", title="外校专场")
        asking, other = make_employer(name="申请单位甲"), make_employer(name="外校申请乙")
        db.session.add_all(
            [
                FairRegistration(fair=mine, employer=asking, status="pending"),
                FairRegistration(fair=theirs, employer=other, status="pending"),
            ]
        )
        db.session.commit()
        make_employer(status="pending", name="待审单位丙")
        organizer = make_user("organizer", university=mine.university)
        auth.login(organizer)
        page = client.get("/dashboard").get_data(as_text=True)
    booths = page.split('data-testid="todo-booths"', 1)[1].split("</ul>", 1)[0]
    assert f'href="/fairs/{mine.id}#registrations"' in booths and "申请单位甲" in booths
    assert "外校申请乙" not in page and "外校专场" not in page
    assert "待审核展位申请：1 条" in page
    employers = page.split('data-testid="todo-employers"', 1)[1].split("</ul>", 1)[0]
    assert "待审单位丙" in employers and "/employers/manage?status=pending#employer-" in employers
