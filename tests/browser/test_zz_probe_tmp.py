import re
from tests.browser.conftest import log_in
from tests.browser.test_agreements import (
    AgreementKind,
    STAFF_AGREEMENT,
    glenwood_agreement,
    fill_sign_form,
    pytest,
)


@pytest.mark.browser
def test_probe(live_demo, live_server, page):
    agreement = glenwood_agreement(AgreementKind.STAFF)
    log_in(page, live_server, "teacher")
    page.locator("#attention").get_by_role("link", name=f"Sign the {STAFF_AGREEMENT}").click()
    fill_sign_form(page, agreement, "Tara Smith")
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_text("Type your full name as the school has it").wait_for()
    print("CHECKED AFTER ERROR:", page.get_by_role("checkbox", name=agreement.consent_wording).is_checked())
    print("ERRTEXT:", page.get_by_text("Type your full name as the school has it").inner_text())
    print("ATTN:", page.url)
    page.goto(live_server.url + "/")
    print(page.locator("#attention").inner_text())
    log_in(page, live_server, "admin")
    page.goto(live_server.url + "/agreements/dashboard/")
    print(page.locator("main").inner_text()[:400])
    print(page.locator("#people").inner_text())
