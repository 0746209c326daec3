"""Navigation by job: each demo role's menus fit the window and every item in them can be reached."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, nav

ROLES = ["head", "deputy", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply",
         "trainee", "pupil7", "pupil10"]  # fmt: skip
WIDTHS = [390, 1280]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("username", ROLES)
def test_every_role_reaches_every_menu_item_without_sideways_scrolling(
    live_demo, live_server, page, username
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, username)
    items = page.evaluate(
        """() => [...document.querySelectorAll('nav[aria-label="Main"] a')]
                .map(a => [a.textContent.trim(), a.getAttribute('href')])"""
    )
    assert ("Home", "/") in [tuple(i) for i in items]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        assert horizontal_overflow(page) <= 0, f"{username} scrolls sideways at {width} px"
        for label, href in items:
            if label.startswith("Glenwood"):
                continue  # the brand link goes home too
            page.goto(f"{live_server.url}/")
            nav(page, label)
            page.wait_for_url(f"{live_server.url}{href}")
            if width >= 1280:
                assert horizontal_overflow(page) <= 0, f"{label} scrolls sideways at {width} px"
        # The account menu fits as well and its focus can be seen.
        page.goto(f"{live_server.url}/")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert focused != "none", f"keyboard focus is invisible for {username} at {width} px"


def test_a_pupil_sees_only_what_a_pupil_uses(live_demo, live_server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "pupil7")
    bar = page.get_by_role("navigation", name="Main")
    for hidden in ("Review schedule", "Cases", "People", "Agreements dashboard", "Class signing"):
        expect(bar.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    for menu in ("Policies", "Agreements", "Safeguarding"):
        expect(bar.get_by_role("button", name=menu)).to_be_visible()
