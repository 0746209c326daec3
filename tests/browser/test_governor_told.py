"""Told at the right moment, in a real browser: the head submits a revision, the governors are
emailed, the chair follows the email's link, reads the redline and approves, and the head is told."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from policies import services
from policies.models import Policy
from tests.browser.conftest import log_in, log_out, nav

POLICY = "Use of Social Media Policy"


@pytest.mark.browser
def test_governors_are_emailed_and_the_head_hears_the_decision(live_demo, live_server, page, settings):
    settings.SITE_URL = live_server.url  # as `make run` sets it from PORT
    policy = Policy.objects.get(school__slug="glenwood", title=POLICY)
    draft = services.version_draft(
        actor=live_demo["head"], policy=policy, reviewed_on=datetime.date(2026, 11, 20)
    )
    services.version_update_draft(
        actor=live_demo["head"], version=draft, body=draft.body.replace("MySpace", "TikTok"),
        change_summary="Current platforms named.",
    )  # fmt: skip
    mail.outbox.clear()

    # 1. The head submits the revision in the browser.
    log_in(page, live_server, "head")
    page.goto(f"{live_server.url}/policies/versions/{draft.pk}/")
    meeting = datetime.date.today() + datetime.timedelta(days=10)
    page.get_by_label("Governors' meeting (optional)").fill(meeting.isoformat())
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#version-status")).to_have_text("Submitted for approval")
    # The decisions panel comes before the text, with the meeting the governors are reminded of.
    expect(page.locator("#decisions")).to_contain_text(f"meeting on {meeting:%-d %B %Y}")
    log_out(page)

    # 2. The chair's email links straight to the decision page.
    to_chair = [m for m in mail.outbox if m.to == [live_demo["chair"].email]]
    assert [m.subject for m in to_chair] == [f"Your decision is needed: {POLICY}, Version 2"]
    link = re.search(r"http://\S+/decide/", to_chair[0].body).group(0)
    assert link.startswith(live_server.url)
    log_in(page, live_server, "chair")
    page.goto(link)
    expect(page.get_by_role("heading", name=f"Decide on {POLICY} Version 2")).to_be_visible()
    redline = page.locator("#redline")
    expect(redline.get_by_role("insertion").filter(has_text="TikTok")).to_be_visible()
    expect(redline.get_by_role("deletion").filter(has_text="MySpace")).to_be_visible()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_label("Minute reference").fill("FGB/2026/41")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#version-status")).to_have_text("Approved")
    log_out(page)

    # 3. The head is told, by email and on the notifications page.
    to_head = [m for m in mail.outbox if m.to == [live_demo["head"].email]]
    assert [m.subject for m in to_head] == [f"The governors approved {POLICY}, Version 2"]
    log_in(page, live_server, "head")
    nav(page, "Notifications")
    expect(page.get_by_text(f"The governors approved {POLICY}, Version 2").first).to_be_visible()
