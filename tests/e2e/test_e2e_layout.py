"""No page scrolls sideways: the header menu and the tables fit every width, for every role.

For each role (and the public), in Chinese and in English, the dashboard and one list page are
measured at a phone (390 px) and two desktop widths (1024 and 1366 px): the document is never wider
than the window, and the account items (notifications, name, log out, language switch) are on
screen, on a phone once the menu is opened.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

WIDTHS = (390, 1024, 1366)
PAGES = {
    "anonymous": ("/", "/fairs/"),
    "graduate": ("/dashboard", "/me/applications"),
    "employer": ("/dashboard", "/employers/me/postings"),
    "organizer": ("/dashboard", "/org/key-group"),
    "admin": ("/dashboard", "/jobs/"),
}
# The account items, each in the header: the language switch for everyone, the rest once signed in.
ACCOUNT_ITEMS = (
    ".site-nav .account a.bell",
    ".site-nav .account a[href$='/account']",
    "form[action$='/logout'] button",
)
LANG_SWITCH = "form.lang button"


def _set_language(page, lang: str) -> None:
    want = "en" if lang == "en" else "zh-CN"
    if page.locator("html").get_attribute("lang") != want:
        page.set_viewport_size({"width": 1366, "height": 900})
        page.locator(LANG_SWITCH).click()
        expect(page.locator("html")).to_have_attribute("lang", want)


def _check_fits(page, path: str, width: int, signed_in: bool) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    inner, scroll = page.evaluate("() => [window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= inner, (
        f"{path} at {width}px: the page is {scroll}px wide, {scroll - inner}px wider than the window"
    )
    toggle = page.locator(".nav-toggle-label")
    opened = False
    if toggle.is_visible():  # phone width: the account items are in the collapsed menu
        toggle.click()
        opened = True
    selectors = (*ACCOUNT_ITEMS, LANG_SWITCH) if signed_in else (LANG_SWITCH,)
    for selector in selectors:
        item = page.locator(selector)
        expect(item).to_be_visible()
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= inner + 0.5, (
            f"{path} at {width}px: {selector} is off screen ({box})"
        )
    if opened:
        toggle.click()  # closes the menu again
        expect(page.locator(LANG_SWITCH)).to_be_hidden()
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= inner, f"{path} at {width}px with the menu closed again: {scroll}px wide"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("role", list(PAGES))
def test_pages_fit_the_window_at_every_width(page, role, lang):
    signed_in = role != "anonymous"
    page.goto("/")
    if signed_in:
        login(page, role)
    _set_language(page, lang)
    try:
        for path in PAGES[role]:
            page.set_viewport_size({"width": 1366, "height": 900})
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", "en" if lang == "en" else "zh-CN")
            for width in WIDTHS:
                _check_fits(page, path, width, signed_in)
    finally:
        # The choice is saved on the account: back to Chinese for the journeys that follow.
        _set_language(page, "zh")
