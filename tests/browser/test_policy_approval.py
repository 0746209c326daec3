"""A policy revision end to end in a real browser: drafted by the head, approved by the chair of
governors, published by the head, read by a teacher. Every step is a click in the UI."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out, nav

POLICY = "Use of Social Media Policy"
OLD_SENTENCE_END = "irrespective of advances in technology."
NEW_SENTENCE = "Staff should take the same care on messaging apps such as WhatsApp."
DATES_NOT_SHOWN = (
    "The draft's dates are not shown in its <input type=date> fields: a date input only accepts an ISO "
    "value (YYYY-MM-DD), so the form's DateInput widgets need format='%Y-%m-%d'."
)


def open_policy(page, title=POLICY):
    nav(page, "Policy library")
    expect(page.get_by_role("heading", name="Policies", level=1)).to_be_visible()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


@pytest.mark.browser
def test_revision_is_drafted_approved_published_and_read(live_demo, live_server, page):
    status = page.locator("#version-status")

    # 1. The headteacher drafts Version 2 and submits it.
    log_in(page, live_server, "head")
    open_policy(page)
    page.get_by_text("Draft a revision", exact=True).click()
    reviewed = page.get_by_label("Reviewed")
    reviewed.fill("2026-11-20")
    expect(reviewed).to_have_value("2026-11-20")
    page.get_by_role("button", name="Start a revision").click()

    expect(page.get_by_role("heading", name=f"Edit {POLICY} Version 2")).to_be_visible()
    # The dates are required here, so if they are not carried over the browser refuses "Save draft".
    expect(page.get_by_label("Reviewed"), DATES_NOT_SHOWN).to_have_value("2026-11-20")
    expect(page.get_by_label("Next review"), DATES_NOT_SHOWN).to_have_value("2027-11-20")
    page.get_by_label("Change summary").fill("Annual review: current platforms named; messaging apps.")
    # The text is written in the editor (a toolbar, a preview), which keeps the form's textarea in step.
    textarea = page.locator("textarea#id_body")
    text = textarea.input_value()
    assert "MySpace" in text and OLD_SENTENCE_END in text
    editor = page.get_by_role("textbox", name="Body (Markdown)")
    editor.focus()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(
        text.replace("MySpace", "TikTok").replace(OLD_SENTENCE_END, f"{OLD_SENTENCE_END} {NEW_SENTENCE}")
    )
    expect(textarea).to_have_value(re.compile("WhatsApp"))
    # Tab leaves the editor for the next control: no keyboard trap.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save draft")).to_be_focused()
    # The toolbar is reached by keyboard; its Preview shows the text as the portal will publish it.
    toolbar = page.get_by_role("toolbar", name="Formatting")
    toolbar.get_by_role("button", name="Preview as published").focus()
    page.keyboard.press("Enter")
    preview = page.get_by_role("region", name="Preview, as it will be published")
    expect(preview.get_by_text(NEW_SENTENCE)).to_be_visible()
    expect(preview.get_by_role("emphasis").filter(has_text="TikTok")).to_be_visible()
    expect(preview).not_to_contain_text("*TikTok*")
    page.keyboard.press("Enter")  # back to the text
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("status").filter(has_text="Draft saved.")).to_be_visible()
    expect(status).to_have_text("Draft")
    page.get_by_role("button", name="Submit for approval").click()
    expect(status).to_have_text("Submitted for approval")
    log_out(page)

    # 2. The chair of governors (the FGB decides by the chair alone) approves it from the home page.
    log_in(page, live_server, "chair")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    page.locator("#attention").get_by_role("link", name=f"Decide on {POLICY} Version 2").click()
    expect(page.get_by_role("heading", name=f"Decide on {POLICY} Version 2")).to_be_visible()
    redline = page.locator("#redline")
    expect(redline.get_by_role("insertion").filter(has_text="TikTok")).to_be_visible()
    expect(redline.get_by_role("deletion").filter(has_text="MySpace")).to_be_visible()
    expect(redline.get_by_role("insertion").filter(has_text="WhatsApp")).to_be_visible()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_label("Minute reference").fill("FGB/2026/41")
    page.get_by_role("button", name="Record my decision").click()
    expect(status).to_have_text("Approved")
    expect(page.get_by_text("minute FGB/2026/41")).to_be_visible()
    log_out(page)

    # 3. The headteacher publishes it.
    log_in(page, live_server, "head")
    page.locator("#attention").get_by_role("link", name=f"Publish {POLICY} Version 2").click()
    expect(status).to_have_text("Approved")
    page.get_by_role("button", name="Publish").click()
    expect(status).to_have_text("Published")
    log_out(page)

    # 4. A teacher reads the new text; the old one is kept in the history, superseded.
    log_in(page, live_server, "teacher")
    open_policy(page)
    expect(page.locator("#current-version")).to_contain_text(re.compile(r"Current version:\s*Version 2\b"))
    policy_body = page.locator(".policy-body")
    expect(policy_body).to_contain_text("TikTok")
    expect(policy_body).to_contain_text(NEW_SENTENCE)
    expect(policy_body).not_to_contain_text("MySpace")
    history = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Change summary"))
    version_1 = history.get_by_role("row").filter(has=page.get_by_role("link", name="Version 1", exact=True))
    expect(version_1).to_contain_text("Superseded")
    version_2 = history.get_by_role("row").filter(has=page.get_by_role("link", name="Version 2", exact=True))
    expect(version_2).to_contain_text("Published")
    expect(version_2).to_contain_text("FGB/2026/41")
