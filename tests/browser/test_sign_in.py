"""Signing in in a real browser, under the portal's Content Security Policy."""

import time

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.accounts.helpers import code_for

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_head_without_a_second_factor_enrols_before_anything_else(page, live_server, live_demo):
    Authenticator.objects.filter(user=live_demo["head"]).delete()
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or email").fill("head")
    page.get_by_label("Password").fill("glenwood-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(
        page.get_by_role("alert").or_(page.get_by_text("Your role needs a second factor")).first
    ).to_be_visible()
    page.goto(f"{live_server.url}/policies/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")

    # The QR code shows (a data: image the policy allows); the key is there to type instead.
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(code_for(secret, time.time()))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    page.goto(f"{live_server.url}/policies/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Policies")
    assert blocked == []


def test_the_log_in_page_offers_the_reset_link_and_leaders_type_a_code(page, live_server, live_demo):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Forgotten your password?")).to_be_visible()
    log_in(page, live_server, "chair")
    # Signed in: the account menu carries the chair's name (Log out is inside it).
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("button", name="Margaret Ellis")
    ).to_be_visible()
