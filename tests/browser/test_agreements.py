"""Acceptable Use Agreements end to end in a real browser: a teacher signs the staff agreement, a
Year 7 pupil signs on the class device with a one-time code, and the dashboard counts the change.
Every step of each flow is a click in the UI; the database is only read before and after."""

import csv
import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementKind, AuthMethod, Signature
from people.seed import DEMO_PASSWORD
from tests.browser.conftest import TIMEOUT_MS, log_in, nav

STAFF_AGREEMENT = "Staff Acceptable Use Agreement"
KS3_AGREEMENT = "KS3 Pupil Acceptable Use Agreement"
# Clause 13 of agreements/demo/staff.md, near the end of the text: the whole agreement is shown.
STAFF_CLAUSE = "I will keep my passwords confidential, use a strong alphanumeric password"
KS3_CLAUSE = "I will keep my passwords secret."
COMMENT = "My signature confirms receipt, not agreement."
SUMMARY_COUNTS = re.compile(r"(\d+) of (\d+) signed")


def glenwood_agreement(kind):
    return Agreement.objects.select_related("policy__current_version").get(school__slug="glenwood", kind=kind)


def fill_sign_form(page, agreement, typed_name):
    """Tick the consent box (its label is the agreement's consent wording) and type a name."""
    consent = page.get_by_role("checkbox", name=agreement.consent_wording)
    consent.check()
    expect(consent).to_be_checked()
    page.get_by_label("Type your full name").fill(typed_name)


def sign_staff_agreement_from_home(page, agreement, *, comment=""):
    """From the home page, as Tara Quinn: open the agreement, read it, sign it; lands on the receipt."""
    page.locator("#attention").get_by_role("link", name=f"Sign the {STAFF_AGREEMENT}").click()
    expect(page.get_by_role("heading", name=STAFF_AGREEMENT, level=1)).to_be_visible()
    expect(page.locator("#agreement-text")).to_contain_text(STAFF_CLAUSE)
    fill_sign_form(page, agreement, "Tara Quinn")
    if comment:
        page.get_by_label("Comment (optional)").fill(comment)
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_role("heading", name=f"Signature: {STAFF_AGREEMENT}")).to_be_visible()


def staff_summary_counts(page):
    """The dashboard's summary card for the staff agreement: (signed, owe) from "N of M signed"."""
    card = page.get_by_role("region", name=STAFF_AGREEMENT, exact=True)
    expect(card).to_contain_text(SUMMARY_COUNTS)
    signed, owe = SUMMARY_COUNTS.search(card.inner_text()).groups()
    return int(signed), int(owe)


def people_names(page):
    """The names ("Last, First") in the dashboard's list of people."""
    return [name.strip() for name in page.locator("#people tbody tr td:first-child").all_inner_texts()]


@pytest.mark.browser
def test_teacher_signs_the_staff_agreement(live_demo, live_server, page):
    agreement = glenwood_agreement(AgreementKind.STAFF)
    version = agreement.policy.current_version

    log_in(page, live_server, "teacher")
    page.locator("#attention").get_by_role("link", name=f"Sign the {STAFF_AGREEMENT}").click()
    expect(page.get_by_role("heading", name=STAFF_AGREEMENT, level=1)).to_be_visible()
    text = page.locator("#agreement-text")
    expect(text).to_contain_text(STAFF_CLAUSE)
    expect(text).to_contain_text("may result in dismissal")  # the last sentence: the whole text is there

    # A name that is not hers is refused, and the form stays for her to correct.
    fill_sign_form(page, agreement, "Tara Smith")
    page.get_by_label("Comment (optional)").fill(COMMENT)
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_text("Type your full name exactly as the school has it")).to_be_visible()
    expect(page.get_by_label("Type your full name")).to_have_value("Tara Smith")
    expect(page.get_by_label("Comment (optional)")).to_have_value(COMMENT)
    expect(text).to_contain_text(STAFF_CLAUSE)
    assert not Signature.objects.filter(person=live_demo["teacher"]).exists()

    fill_sign_form(page, agreement, "Tara Quinn")  # re-ticks the consent box if it was reset
    page.get_by_role("button", name="Sign the agreement").click()

    # The receipt: which exact text she signed, and how.
    expect(page.get_by_role("heading", name=f"Signature: {STAFF_AGREEMENT}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"You signed {STAFF_AGREEMENT}, {version.label}.")
    evidence = page.locator("#evidence")
    expect(evidence).to_contain_text("Tara Quinn")
    expect(evidence).to_contain_text(version.label)
    expect(evidence).to_contain_text(version.sha256)
    expect(evidence.locator("dd.hash")).to_have_text(version.sha256)
    expect(evidence).to_contain_text("Password")
    expect(evidence).to_contain_text(COMMENT)

    nav(page, "My agreements")
    row = page.locator(".list-group-item").filter(
        has=page.get_by_role("heading", name=STAFF_AGREEMENT, exact=True)
    )
    expect(row).to_contain_text("Signed")
    expect(row).to_contain_text(version.label)
    expect(row.get_by_role("link", name="Read and sign")).to_have_count(0)
    nav(page, "Home")
    expect(page.get_by_role("link", name=f"Sign the {STAFF_AGREEMENT}")).to_have_count(0)

    signature = Signature.objects.get(person=live_demo["teacher"], agreement=agreement)
    assert signature.text_sha256 == version.sha256
    assert signature.auth_method == AuthMethod.PASSWORD
    assert signature.typed_name == "Tara Quinn"
    assert signature.comment == COMMENT


@pytest.mark.browser
def test_year7_pupil_signs_in_a_class_session(live_demo, live_server, page):
    agreement = glenwood_agreement(AgreementKind.KS3)

    log_in(page, live_server, "teacher")
    nav(page, "Class signing")
    expect(page.get_by_role("heading", name="Class signing", level=1)).to_be_visible()
    page.get_by_label("Agreement").select_option(label=KS3_AGREEMENT)
    page.get_by_label("Year group").select_option(label="Year 7")
    page.get_by_role("button", name="Open the session and make codes").click()

    expect(page.get_by_role("heading", name=f"{KS3_AGREEMENT}: Year 7")).to_be_visible()
    jamie = page.locator("#codes tbody tr").filter(has_text="Jamie Cole")
    expect(jamie).to_have_count(1)
    expect(jamie).to_contain_text("Waiting")
    code = jamie.locator("td").nth(2).inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}", code), code

    # The kiosk: the teacher hands the device round; each pupil types the code from their slip.
    page.get_by_role("link", name="Start signing on this device").click()
    expect(page.get_by_role("heading", name=KS3_AGREEMENT, level=1)).to_be_visible()
    kiosk_url = page.url
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", name="Jamie, please read your agreement")).to_be_visible()
    expect(page.get_by_text("Your teacher, Tara Quinn,")).to_be_visible()
    expect(page.locator("#agreement-text")).to_contain_text(KS3_CLAUSE)
    fill_sign_form(page, agreement, "Jamie Cole")
    page.get_by_role("button", name="Sign the agreement").click()

    # Back on the code page for the next pupil, with nothing of Jamie left on it.
    page.wait_for_url(kiosk_url)
    expect(page.get_by_role("status")).to_contain_text("Signed. Thank you!")
    expect(page.get_by_label("Your code")).to_be_visible()
    expect(page.get_by_label("Your code")).to_have_value("")
    expect(page.locator("body")).not_to_contain_text("Jamie")
    assert "Jamie" not in page.content()
    assert "Cole" not in page.content()

    # The browser's Back button does not bring Jamie's page back either (the pages are never cached).
    page.go_back()
    page.wait_for_url(kiosk_url)
    expect(page.get_by_label("Your code")).to_be_visible()
    assert "Jamie" not in page.content()

    # The code is spent.
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("That code or login is not right for this session.")).to_be_visible()
    expect(page.get_by_role("heading", name="Jamie, please read your agreement")).to_have_count(0)

    # The kiosk is locked to signing: the teacher's pages are out of reach until the teacher
    # types their password again.
    expect(page.get_by_role("link", name="Class signing")).to_have_count(0)
    page.goto(kiosk_url.replace("/kiosk/", "/"))
    page.wait_for_url(kiosk_url)
    page.get_by_role("link", name="Teacher: leave the kiosk").click()
    page.get_by_label("Teacher's password").fill("not-the-password")
    page.get_by_role("button", name="Leave the kiosk").click()
    expect(page.get_by_text("That is not your password.", exact=True)).to_be_visible()
    page.get_by_label("Teacher's password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Leave the kiosk").click()

    # The teacher's session page shows Jamie as signed.
    expect(page.locator("#codes tbody tr").filter(has_text="Jamie Cole")).to_contain_text("Signed")

    signature = Signature.objects.select_related("witness", "signing_session").get(
        person=live_demo["pupil7"], agreement=agreement
    )
    assert signature.witness == live_demo["teacher"]
    assert signature.auth_method == AuthMethod.STAFF_WITNESSED == "witnessed"
    assert signature.signing_session.opened_by == live_demo["teacher"]
    assert signature.typed_name == "Jamie Cole"
    assert signature.text_sha256 == agreement.policy.current_version.sha256


@pytest.mark.browser
def test_admin_sees_the_dashboard_change(live_demo, live_server, page, browser):
    agreement = glenwood_agreement(AgreementKind.STAFF)

    log_in(page, live_server, "admin")
    nav(page, "Agreements dashboard")
    expect(page.get_by_role("heading", name="Acceptable Use Agreements: who has signed")).to_be_visible()
    signed, owe = staff_summary_counts(page)
    assert 0 < signed < owe
    page.get_by_role("region", name=STAFF_AGREEMENT, exact=True).get_by_role(
        "link", name=STAFF_AGREEMENT
    ).click()
    expect(page.get_by_role("heading", name=f"{STAFF_AGREEMENT}, ", level=2)).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("outstanding")
    people = page.locator("#people")
    expect(people).to_contain_text("Quinn, Tara")
    outstanding_before = people_names(page)
    assert len(outstanding_before) == owe - signed

    # Meanwhile, on another computer, Tara Quinn signs.
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        teacher = context.new_page()
        log_in(teacher, live_server, "teacher")
        sign_staff_agreement_from_home(teacher, agreement)
    finally:
        context.close()

    page.reload()
    assert staff_summary_counts(page) == (signed + 1, owe)
    expect(people).not_to_contain_text("Quinn, Tara")
    outstanding_after = people_names(page)
    assert sorted(outstanding_after) == sorted(n for n in outstanding_before if n != "Quinn, Tara")

    # The CSV of the list on screen: the staff agreement's outstanding people.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("agreements-staff-outstanding-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, "The CSV lists nobody."
    assert {"Last name", "First name", "Status"} <= set(rows[0])
    assert {r["Agreement"] for r in rows} == {STAFF_AGREEMENT}
    assert {r["Status"] for r in rows} <= {"outstanding", "declined"}
    assert sorted(f"{r['Last name']}, {r['First name']}" for r in rows) == sorted(outstanding_after)
    assert not any(r["Last name"] == "Quinn" and r["First name"] == "Tara" for r in rows)
