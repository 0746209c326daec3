"""A breach report end to end in a real browser: a teacher reports that a colleague accepted a
pupil's friend request; the headteacher triages it and assigns an investigator; the investigator
finds a case to answer at a hearing; the headteacher appoints the panel, records the hearing and a first written
warning. The teacher who reported it sees only that it is being dealt with."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from breaches.models import Case
from policies.models import Policy
from tests.breaches.files import image_bytes
from tests.browser.conftest import log_in, log_out, nav

WHAT = "Alex in Year 10 showed me that Mr Jones accepted his friend request on Instagram."


@pytest.mark.browser
def test_report_triage_investigation_and_a_first_written_warning(live_demo, live_server, page):
    status = page.locator("#case-status")
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    social = Policy.objects.get(school=live_demo["glenwood"], title="Use of Social Media Policy")

    # 1. The teacher reports it, with a screenshot, citing the policy's friend-request clause.
    log_in(page, live_server, "teacher")
    nav(page, "Report a concern")
    page.get_by_label("A member of staff").check()
    page.get_by_label("Who is it?").fill("Oliver Jon")  # typed, and chosen from the few that match
    page.get_by_role("option", name="Jones, Oliver (Teacher of Maths)").click()
    page.get_by_label("What kind of concern is it?").select_option(label="A friend request from a pupil")
    page.get_by_label("What happened?").fill(WHAT)
    page.get_by_label("When did it happen?").fill(yesterday)
    page.get_by_label("Where?").fill("Instagram")
    page.get_by_label("Which part of a policy does it concern?").select_option(
        f"{social.current_version_id}:26"
    )
    page.get_by_label("Evidence (screenshots or documents)").set_input_files(
        [{"name": "instagram.png", "mimeType": "image/png", "buffer": image_bytes("PNG", "friends")}]
    )
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status").filter(has_text="Your report has been received")).to_be_visible()
    expect(page.locator("#receipt-status")).to_have_text("Received: waiting to be read")
    case = Case.objects.get()
    log_out(page)

    # 2. The headteacher triages it from the home page and assigns the deputy to investigate.
    log_in(page, live_server, "head")
    page.locator("#attention").get_by_role("link", name=f"Triage report {case.reference}").click()
    expect(status).to_have_text("Reported: to be triaged")
    expect(page.locator("#cited-policy")).to_contain_text("Clause 26 of the Use of Social Media Policy")
    page.get_by_role("link", name="Triage the report").click()
    page.get_by_label("Accept: open a case").check()
    page.get_by_label("The allegation, as it will be put to the person concerned").fill(
        "That you accepted a friend request from a Year 10 pupil on your personal Instagram account."
    )
    page.get_by_role("button", name="Record the triage").click()
    expect(status).to_have_text("Accepted: awaiting an investigator")
    page.get_by_role("link", name="Assign an investigating officer").click()
    page.get_by_label("Investigating officer").select_option(label="Okafor, David (Deputy Headteacher)")
    page.get_by_role("button", name="Assign").click()
    expect(status).to_have_text("Under investigation")
    expect(page.locator("#case-investigator")).to_have_text("David Okafor")
    log_out(page)

    # 3. The investigator finds a case to answer at a hearing.
    log_in(page, live_server, "deputy")
    page.locator("#attention").get_by_role("link", name=f"Investigate case {case.reference}").click()
    page.get_by_role("link", name="Record the finding").click()
    page.get_by_label("A formal hearing").check()
    page.get_by_label("What the investigation found").fill("Mr Jones accepted the request and chatted twice.")
    page.get_by_role("button", name="Record the finding").click()
    expect(status).to_have_text("Finding made")
    log_out(page)

    # 4. The headteacher (not the investigator) appoints the panel; the invitation, sent three weeks
    # ago, is recorded afterwards, so the hearing can be today.
    log_in(page, live_server, "head")
    nav(page, "Cases")
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("link", name="Arrange the hearing").click()
    expect(page.get_by_label("David Okafor")).to_have_count(0)  # the investigator is not offered
    page.get_by_label("Invitation sent on").fill(
        (datetime.date.today() - datetime.timedelta(days=21)).isoformat()
    )
    page.get_by_label("Date of the hearing").fill(datetime.date.today().isoformat())
    page.get_by_label("Amelia Patel").check()
    page.get_by_label("Margaret Ellis").check()
    page.get_by_label("The evidence the panel will consider").fill("The Instagram screenshot.")
    page.get_by_role("button", name="Arrange the hearing and send the invitation").click()
    expect(page.get_by_role("status").filter(has_text="Hearing arranged")).to_be_visible()

    # 5. The headteacher records the hearing and a first written warning.
    page.get_by_role("link", name="Record the hearing").click()
    page.get_by_label("Notes of the hearing").fill(
        "Mr Jones admitted accepting the request; he has removed it."
    )
    page.get_by_role("button", name="Record the hearing").click()
    expect(status).to_have_text("Hearing held")
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("First written warning").check()
    page.get_by_label("Reasons").fill("A breach of clause 6 of the staff agreement, admitted.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(status).to_have_text("Outcome given")
    expect(page.locator("#case-outcome")).to_have_text("First written warning")
    log_out(page)

    # 6. The teacher sees only that her report is being dealt with: no outcome, no investigator.
    log_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/breaches/mine/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("#receipt-status")).to_have_text("Being dealt with")
    body = page.locator("main")
    for secret in ("First written warning", "Okafor", "hearing", "Oliver Jones"):
        expect(body).not_to_contain_text(re.compile(secret, re.IGNORECASE))
    response = page.goto(f"{live_server.url}/breaches/cases/{case.pk}/")
    assert response.status == 404
