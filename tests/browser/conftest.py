"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses ORM calls
from a thread with a running loop unless told otherwise; the live server and the fixtures here
touch the database from that thread, so allow it before anything else runs.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re
import time
from pathlib import Path

import pytest

from agreements.seed import seed_agreements
from people.seed import DEMO_PASSWORD, demo_codes, seed_people
from policies.seed import seed_policies

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; never downloads a browser of its own."""
    if not CHROMIUM.exists():
        # In CI a missing browser is a failure, never a quiet skip: the flows must be proven there.
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium).")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Browser tests need playwright (pip).")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        sync_api.expect.set_options(timeout=TIMEOUT_MS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh context (own cookies, so own session) and page for each test."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_demo(live_server, transactional_db):
    """The demo trust, built in the live server's (transactional) database."""
    from tests.conftest import sealing_deferred

    with sealing_deferred():  # the export test's worker uses its own media folder
        people = seed_people()
        seed_policies(people)
        seed_agreements(people)
    return people


# Codes this test run has typed: an authenticator code is accepted once, so a second log-in within
# the same 30 seconds types the next one, as a person waiting for their app to change would.
_CODES_USED = set()


def log_in(page, live_server, username, password=DEMO_PASSWORD):
    """Log in through the login form as a person would, typing the authenticator app's code when
    asked (demo leaders have one); lands on the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: url.rstrip("/") == live_server.url or "/2fa/authenticate" in url)
    if "/2fa/authenticate" in page.url:
        code = _unused_code(username)
        _CODES_USED.add((username, code))
        page.get_by_label("Authenticator code").fill(code)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(f"{live_server.url}/")


def _unused_code(username):
    """A code is taken once: a person who signed in several times this minute waits, as they would,
    for their authenticator app to show the next one (a new code every 30 seconds)."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        fresh = [c for c in demo_codes() if (username, c) not in _CODES_USED]
        if fresh:
            return fresh[0]
        time.sleep(1)
    raise AssertionError(f"No new authenticator code for {username} in 40 seconds")


def _open_menu_holding(page, item):
    """Narrow windows fold the bar behind "Menu"; each group is a drop-down: open what hides the item."""
    bar = page.get_by_role("navigation", name="Main")
    toggler = bar.get_by_role("button", name="Menu")
    if toggler.is_visible() and not item.is_visible():
        toggler.click()
        bar.locator("#mainnav.show").wait_for()
    if not item.is_visible():
        menu_id = item.evaluate("el => el.closest('li.dropdown').querySelector('button').id")
        page.locator(f"#{menu_id}").click()
    return item


def nav(page, name):
    """Follow a menu item in the main navigation the way a person would, opening its menu first."""
    bar = page.get_by_role("navigation", name="Main")
    # A CSS match, not a role: a closed menu's links are not in the accessibility tree yet.
    # The name may be followed by a count, as in "Notifications (2 unread)".
    link = bar.locator("a").filter(has_text=re.compile(rf"^\s*{re.escape(name)}(\s|$)"))
    _open_menu_holding(page, link.first).click()


def log_out(page):
    """The account menu's "Log out" button posts the logout form; Django then shows the login page."""
    bar = page.get_by_role("navigation", name="Main")
    _open_menu_holding(page, bar.locator('button:text-is("Log out")')).click()
    page.wait_for_url("**/accounts/login/")
