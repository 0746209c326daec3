"""From the MIS export to a signed agreement, in a real browser: the office imports a SIMS pupil
list, invites the pupils, and a new Year 7 pupil follows her email's link, chooses a password and
signs the KS3 agreement. Every step is a click in the UI; the email is read from the outbox."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementKind, Signature
from people.models import Person
from tests.browser.conftest import log_in

SIMS = Path(__file__).resolve().parents[2] / "people" / "demo" / "sims-pupils-sample.csv"
KS3_AGREEMENT = "KS3 Pupil Acceptable Use Agreement"
PASSWORD = "violet-harbour-kestrel-81"


@pytest.mark.browser
def test_office_imports_and_invites_a_pupil_who_joins_and_signs(
    live_demo, live_server, browser, page, settings
):
    settings.SITE_URL = live_server.url  # the links in the emails point at this server

    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Import from your MIS").click()
    page.get_by_label("Pupils").check()
    page.get_by_label("CSV file exported from your MIS").set_input_files(str(SIMS))
    page.get_by_role("button", name="Check the file").click()

    # The headings SIMS writes are known; the three it does not are matched once.
    expect(page.get_by_role("heading", name=re.compile("Match the columns"))).to_be_visible()
    page.get_by_label("“Pupil Email Address” holds").select_option(label="Email")
    page.get_by_role("button", name="Save and check the file").click()

    expect(page.get_by_role("heading", name="Cannot be imported (2)")).to_be_visible()
    expect(page.get_by_role("heading", name="Imported, but worth a look (4)")).to_be_visible()
    page.get_by_role("button", name="Apply the good rows, leave out 2").click()
    expect(page.get_by_text("Import applied: 7 added")).to_be_visible()
    page.get_by_role("button", name="Invite 5 people").click()
    expect(page.get_by_text("Invitations on the way to 5 people.")).to_be_visible()
    chi = Person.objects.get(admission_number="07011")
    # The invitations (other emails of the demo's own, such as reminders, may be in the outbox too).
    invitations = [m for m in mail.outbox if "invit" in (m.subject + m.body).lower()]
    assert sorted(m.to[0] for m in invitations) == sorted(
        ["cokonkwo@glenwood.example", "zwisniewska@glenwood.example", "asmithjones@glenwood.example",
         "abegum@glenwood.example", "tharrington@glenwood.example"]
    )  # fmt: skip

    # The people list shows who is invited.
    page.goto(f"{live_server.url}/people/?invitation=invited")
    expect(page.get_by_role("link", name="Okonkwo, Chi")).to_be_visible()

    # Chi, on her own device, follows the link in her email.
    [message] = [m for m in mail.outbox if m.to == ["cokonkwo@glenwood.example"]]
    link = re.search(rf"{re.escape(live_server.url)}/join/\S+/", message.body).group(0)
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    pupil = context.new_page()
    pupil.goto(link)
    expect(pupil.get_by_role("heading", name="Welcome, Chi")).to_be_visible()
    pupil.get_by_label("New password").first.fill(PASSWORD)
    pupil.get_by_label("New password confirmation").fill(PASSWORD)
    pupil.get_by_role("button", name="Set my password and join").click()
    pupil.wait_for_url(f"{live_server.url}/")
    expect(pupil.get_by_text("you have joined")).to_be_visible()

    agreement = Agreement.objects.get(school__slug="glenwood", kind=AgreementKind.KS3)
    pupil.locator("#attention").get_by_role("link", name=f"Sign the {KS3_AGREEMENT}").click()
    expect(pupil.get_by_role("heading", name=KS3_AGREEMENT, level=1)).to_be_visible()
    pupil.get_by_role("checkbox", name=agreement.consent_wording).check()
    pupil.get_by_label("Type your full name").fill("Chi Okonkwo")
    pupil.get_by_label("Which member of staff talked this agreement through with you?").select_option(
        label="Tara Quinn"
    )
    pupil.get_by_role("button", name="Sign the agreement").click()
    expect(pupil.get_by_role("heading", name=f"Signature: {KS3_AGREEMENT}")).to_be_visible()
    context.close()

    signature = Signature.objects.get(person=chi)
    assert signature.agreement == agreement and signature.witness.username == "teacher"

    # The link worked once.
    again = browser.new_context().new_page()
    again.goto(link)
    expect(again.get_by_text("This invitation has already been used.")).to_be_visible()
    page.goto(f"{live_server.url}/people/?invitation=joined&q=Okonkwo")
    expect(page.get_by_role("link", name="Okonkwo, Chi")).to_be_visible()
