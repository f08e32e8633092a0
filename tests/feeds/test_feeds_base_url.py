"""Absolute links follow the request in development and PUBLIC_BASE_URL in production (issue 14, item 2)."""

from __future__ import annotations

import re

import pytest

from config import ProductionConfig


@pytest.fixture
def development(app):
    app.config["PUBLIC_BASE_URL_FROM_REQUEST"] = True
    yield app
    app.config["PUBLIC_BASE_URL_FROM_REQUEST"] = False


def test_development_links_use_the_requests_host_and_port(development, client, auth, make_fair, make_user):
    fair = make_fair(status="scheduled")
    base = "http://127.0.0.1:5071"
    page = client.get(f"/fairs/{fair.id}", base_url=base).get_data(as_text=True)
    assert "webcal://127.0.0.1:5071/feeds/" in page
    assert "recruit.test" not in page and ":5000" not in page
    body = client.get(f"/feeds/fair/{fair.id}.ics", base_url=base).get_data(as_text=True)
    urls = re.findall(r"^URL[^:]*:(.*)$", body.replace("\r\n ", ""), flags=re.M)
    assert urls and all(u.startswith(base + "/") for u in urls), urls
    # The UID is stable: it keeps the configured host whatever address the browser used.
    assert f"fair-{fair.id}@recruit.test" in body
    # Another port gets its own links (the built-feed cache is per base URL).
    other = client.get(f"/feeds/fair/{fair.id}.ics", base_url="http://localhost:5072").get_data(as_text=True)
    assert "http://localhost:5072/fairs/" in other.replace("\r\n ", "")
    graduate = make_user("graduate")
    auth.login(graduate)
    client.post("/feeds/token", base_url=base)
    account = client.get("/account", base_url=base).get_data(as_text=True)
    assert "127.0.0.1:5071/feeds/" in account and "recruit.test/feeds/" not in account


def test_configured_base_url_wins_when_not_deriving(client, make_fair):
    fair = make_fair(status="scheduled")
    page = client.get(f"/fairs/{fair.id}", base_url="http://evil.example:6666").get_data(as_text=True)
    assert "evil.example" not in page and "webcal://recruit.test/feeds/" in page
    body = client.get(f"/feeds/fair/{fair.id}.ics", base_url="http://evil.example:6666").get_data(as_text=True)
    assert "evil.example" not in body


def test_production_never_derives_links_from_the_host_header():
    assert ProductionConfig.PUBLIC_BASE_URL_FROM_REQUEST is False
