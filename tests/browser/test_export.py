"""An administrator exports the Year 7 KS3 agreements in a real browser: she chooses them, watches
the progress bar move while a real Celery worker makes the PDFs, and downloads the ZIP."""

import csv
import io
import time
import zipfile

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementKind, Export, ExportStatus
from tests.agreements.evidence_helpers import add_signed_pupils
from tests.browser.conftest import log_in, nav

KS3_AGREEMENT = "KS3 Pupil Acceptable Use Agreement"


@pytest.mark.browser
def test_admin_exports_year7_ks3_agreements_and_downloads_the_zip(live_demo, live_server, real_worker, page):
    agreement = Agreement.objects.select_related("policy__current_version").get(
        school__slug="glenwood", kind=AgreementKind.KS3
    )
    add_signed_pupils(agreement, year_group=7, count=30, witness=live_demo["teacher"])  # 35 in Year 7
    real_worker(EVIDENCE_BATCH_SIZE=5, EVIDENCE_PROCESSES=2)

    log_in(page, live_server, "admin")
    nav(page, "Evidence exports")
    expect(page.get_by_role("heading", name="Evidence exports", level=1)).to_be_visible()
    page.get_by_label("Agreement").select_option(label=KS3_AGREEMENT)
    page.get_by_label("Version").select_option(
        label=f"{KS3_AGREEMENT}: {agreement.policy.current_version.label}"
    )
    page.get_by_label("Who signed").select_option(label="Year 7")
    page.get_by_role("button", name="Make the export").click()

    expect(page.get_by_role("heading", name=f"Evidence export: {KS3_AGREEMENT}")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Export started: 35 signed agreements.")
    bar = page.get_by_role("progressbar", name="Export progress")
    seen = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        value = int(bar.get_attribute("aria-valuenow"))
        if not seen or seen[-1] != value:
            seen.append(value)
        if value == 100:
            break
        page.wait_for_timeout(100)
    assert seen[-1] == 100, seen
    assert seen[0] < 100 and seen == sorted(seen), seen  # it started below 100% and only moved forward
    expect(page.locator("#export-count")).to_have_text("35 of 35")
    expect(page.locator("#export-status")).to_contain_text("Ready to download")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the ZIP").click()
    download = download_info.value
    assert download.suggested_filename.startswith("signed-agreements-ks3-year-7-")
    with open(download.path(), "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 35
    rows = list(csv.DictReader(io.TextIOWrapper(archive.open("index.csv"), encoding="utf-8")))
    assert len(rows) == 35 and {row["Year group"] for row in rows} == {"7"}
    assert {row["Agreement"] for row in rows} == {KS3_AGREEMENT}
    assert all(archive.read(name).startswith(b"%PDF") for name in pdfs)
    assert Export.objects.get().status == ExportStatus.DONE
