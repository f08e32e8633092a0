"""Browser journeys: Playwright driving Debian's chromium against a running demo server.

``make e2e`` (scripts/run_e2e.sh) starts the server and sets ``E2E_BASE_URL``. Without it
(``make test``) this folder is not collected at all: the journeys need a browser and a server.

Every ``page`` fails its test on a console error, an uncaught page error, a failed request
or any response with a 5xx status. Each test saves a screenshot under tests/e2e/artifacts/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

BASE_URL = os.environ.get("E2E_BASE_URL", "")
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
DEMO_PASSWORD = "demo12345"
ACCOUNTS = {
    "admin": "admin@recruit.demo",
    "organizer": "gzu@recruit.demo",
    "employer": "employer@recruit.demo",
    "graduate": "graduate@recruit.demo",
}
PHONE = {"width": 375, "height": 812}

if not BASE_URL:
    collect_ignore_glob = ["test_*.py"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def base_url() -> str:
    return BASE_URL


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's chromium, once per run; each test gets new isolated contexts.

    Playwright's ``launch`` gives chromium a fresh, empty user-data-dir of its own (a
    temporary folder it deletes on close); it refuses a ``--user-data-dir`` argument.
    """
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class BrowserProblems:
    """Collects what must fail a journey: console errors, page errors, failed requests, 5xx."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        """Expect a failure matching ``pattern`` (e.g. a 404 a test provokes on purpose)."""
        self.allowed.append(re.compile(pattern))

    def add(self, text: str) -> None:
        if not any(p.search(text) for p in self.allowed):
            self.items.append(text)


def _attach(page, problems: BrowserProblems) -> None:
    page.on("console", lambda m: m.type == "error" and problems.add(f"console error: {m.text} ({m.location})"))
    page.on("pageerror", lambda e: problems.add(f"page error: {e}"))
    page.on("requestfailed", lambda r: _request_failed(problems, r))
    page.on("response", lambda r: _response(problems, r))


def _request_failed(problems: BrowserProblems, request) -> None:
    # ERR_ABORTED: the browser cancelled a pending request because the page navigated on
    # (a favicon still loading when the test clicks the next link): not a failure of the app.
    if "ERR_ABORTED" not in (request.failure or ""):
        problems.add(f"request failed: {request.method} {request.url}: {request.failure}")


def _response(problems: BrowserProblems, response) -> None:
    if response.status >= 500:
        problems.add(f"server error {response.status}: {response.request.method} {response.url}")
    elif response.status >= 400 and response.request.resource_type != "document":
        problems.add(f"sub-resource {response.status}: {response.request.method} {response.url}")


def _new_page(browser, problems: BrowserProblems, viewport=None, **kw):
    context = browser.new_context(
        base_url=BASE_URL,
        viewport=viewport or {"width": 1280, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        **kw,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    _attach(page, problems)
    return context, page


def _shot_name(request, suffix: str = "") -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    return ARTIFACTS / f"{name}{suffix}.png"


@pytest.fixture
def problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(chromium_browser, problems, request):
    """A desktop-sized page; fails the test on any console error or failed request."""
    context, page = _new_page(chromium_browser, problems)
    yield page
    _finish(page, context, problems, request)


@pytest.fixture
def phone_page(chromium_browser, problems, request):
    """A phone-sized page (375×812, touch), with the same failure rules."""
    context, page = _new_page(
        chromium_browser,
        problems,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield page
    _finish(page, context, problems, request, "-phone")


@pytest.fixture
def new_page(chromium_browser, problems, request):
    """Extra pages (other users, in their own contexts) within one test."""
    opened = []

    def make(viewport=None):
        context, page = _new_page(chromium_browser, problems, viewport=viewport)
        opened.append((context, page))
        return page

    yield make
    for i, (context, page) in enumerate(opened):
        _finish(page, context, problems, request, f"-extra{i}")


def _finish(page, context, problems: BrowserProblems, request, suffix: str = "") -> None:
    try:
        if not page.is_closed():
            page.screenshot(path=str(_shot_name(request, suffix)), full_page=True)
    finally:
        context.close()
    if problems.items:
        pytest.fail("browser problems:\n" + "\n".join(dict.fromkeys(problems.items)), pytrace=False)


def login(page, role_or_email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    from playwright.sync_api import expect

    email = ACCOUNTS.get(role_or_email, role_or_email)
    page.goto("/login")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.locator("form").get_by_role("button", name="登录").click()
    try:
        page.wait_for_url(lambda url: "/login" not in url)
    except Exception:  # noqa: BLE001 - say which login failed
        raise AssertionError(f"login as {email} failed: still on {page.url}") from None
    # The logout button is in the menu (collapsed at phone width): present, maybe hidden.
    expect(page.get_by_role("button", name="退出", include_hidden=True)).to_have_count(1)


def logout(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="退出").first.click()
    expect(page.get_by_role("link", name="登录").first).to_be_visible()


def no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url}: the page scrolls sideways by {overflow}px at phone width"
