"""Ids beyond what a database integer holds are 404, never a database error (PostgreSQL refuses them)."""

from __future__ import annotations

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "role, path",
    [
        ("employer", f"/fairday/registrations/{HUGE}"),
        ("graduate", f"/fairday/signups/{HUGE}"),
        ("organizer", f"/fairday/{HUGE}/checkin"),
        ("organizer", f"/fairday/{HUGE}/report"),
        ("anonymous", f"/fairday/{HUGE}/booths"),
        ("anonymous", f"/fairs/{HUGE}"),
        ("anonymous", "/fairs/2147483648"),
    ],
)
def test_huge_ids_are_404(client, auth, make_user, role, path):
    if role != "anonymous":
        auth.login(make_user(role))
    assert client.get(path).status_code in (404, 405)  # not routed (werkzeug may answer 405)


def test_the_largest_id_still_routes(client):
    assert client.get("/fairs/2147483647").status_code == 404  # routed, then not found
