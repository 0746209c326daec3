"""A concern about the headteacher in a real browser: a teacher reports that the head was messaging
a Year 9 pupil on WhatsApp; the chair of governors finds it on their home page, triages it as an
allegation, records the referral to the LADO and the LADO's advice; the head, logged in, sees
nothing of it: not on the home page, not in the cases, and the case's address is a 404."""

import pytest
from playwright.sync_api import expect

from breaches.models import Case
from tests.browser.conftest import log_in, log_out, nav

WHAT = "I saw Mrs Marsh messaging a Year 9 pupil on WhatsApp at 11pm, asking her to keep it between them."
ADVICE = "Threshold met. Strategy meeting on Thursday; the chair is not to speak to the head about it yet."


@pytest.mark.browser
def test_a_teacher_reports_the_head_the_chair_refers_to_the_lado_and_the_head_sees_nothing(
    live_demo, live_server, page
):
    status = page.locator("#case-status")

    # 1. A teacher reports the headteacher.
    log_in(page, live_server, "teacher")
    nav(page, "Report a concern")
    page.get_by_label("A member of staff").check()
    page.get_by_label("Who is it?").fill("Helen Mar")  # typed, and chosen from the few that match
    page.get_by_role("option", name="Marsh, Helen (Headteacher)").click()
    page.get_by_label("What kind of concern is it?").select_option(
        label="Inappropriate contact or relationship with a pupil"
    )
    page.get_by_label("What happened?").fill(WHAT)
    page.get_by_label("Where?").fill("WhatsApp")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status").filter(has_text="Your report has been received")).to_be_visible()
    case = Case.objects.get()
    assert case.led_by_chair
    log_out(page)

    # 2. The chair finds it on their home page and triages it as an allegation.
    log_in(page, live_server, "chair")
    page.locator("#attention").get_by_role("link", name=f"Triage report {case.reference}").click()
    expect(status).to_have_text("Reported: to be triaged")
    expect(page.locator("#chair-led")).to_contain_text("the chair of governors handles it")
    page.get_by_role("link", name="Triage the report").click()
    page.get_by_label("Accept: open a case").check()
    page.get_by_label("An allegation: they may have harmed a child, or may pose a risk to children").check()
    page.get_by_label("The allegation, as it will be put to the person concerned").fill(
        "That you messaged a Year 9 pupil privately on WhatsApp late at night and asked for secrecy."
    )
    page.get_by_role("button", name="Record the triage").click()
    expect(status).to_have_text("Accepted: awaiting an investigator")
    expect(page.locator("#lado-due")).to_contain_text("refer to the LADO by")

    # 3. The chair records the referral to the LADO, then the LADO's advice.
    page.get_by_role("link", name="Record a referral").click()
    page.get_by_label("LADO (Local Authority Designated Officer)").check()
    page.get_by_label("Their reference").fill("LADO-2026-114")
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("status").filter(has_text="Referral recorded.")).to_be_visible()
    page.get_by_role("link", name="Record the LADO's advice").click()
    page.get_by_label("The LADO's advice").fill(ADVICE)
    page.get_by_role("button", name="Record the LADO's advice").click()
    expect(page.locator("#lado-advice")).to_contain_text("Threshold met.")
    expect(page.locator("#lado-due")).to_have_count(0)
    log_out(page)

    # 4. The head, logged in, sees nothing of it.
    log_in(page, live_server, "head")
    main = page.locator("main")
    expect(main).not_to_contain_text(case.reference)
    nav(page, "Cases")
    expect(main).not_to_contain_text(case.reference)
    page.goto(f"{live_server.url}/reminders/notifications/")
    expect(main).not_to_contain_text(case.reference)
    response = page.goto(f"{live_server.url}/breaches/cases/{case.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/breaches/cases/{case.pk}/chronology/")
    assert response.status == 404
