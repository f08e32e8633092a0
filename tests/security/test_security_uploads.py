"""Uploads are limited in size on every state-changing route (and in type where files are read).

The size limit is app-wide (``MAX_CONTENT_LENGTH``): the walk below sends a multipart body just
over the limit to every POST route of the URL map, anonymous and as each role, and expects 413
before any view runs. The file-type refusals of the import page are in
tests/organizer/test_organizer_pages.py.
"""

from __future__ import annotations

import io
import re

import pytest

from config import Config


def test_the_configured_limit_is_modest():
    assert 0 < Config.MAX_CONTENT_LENGTH <= 10 * 1024 * 1024


@pytest.mark.parametrize("role", ["anonymous", "organizer", "admin"])
def test_every_post_route_refuses_an_oversized_body(app, client, auth, make_user, role):
    if role != "anonymous":
        auth.login(make_user(role))
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the form is read before any view
    app.config["MAX_CONTENT_LENGTH"] = 4096
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"]
    assert rules
    failures = []
    for rule in rules:
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        data = {"file": (io.BytesIO(b"x" * 8192), "big.csv"), "note": "x"}
        response = client.post(url, data=data, content_type="multipart/form-data")
        if response.status_code != 413:
            failures.append(f"{role} POST {url}: {response.status_code}")
        elif "文件太大" not in response.get_data(as_text=True):
            failures.append(f"{role} POST {url}: 413 without the friendly message")
    assert not failures, "\n".join(failures)
