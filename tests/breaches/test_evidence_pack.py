"""The hearing evidence pack is evidence too: sealed and timestamped (by the local TSA, tests/pki.py),
with the case's screenshot inside it and its documents attached, in two recorded versions; the
member of staff's withholds who reported the concern until the headteacher decides to disclose it."""

import hashlib
import io
import re
import shutil
import subprocess
import tempfile

import pytest
from pypdf import PdfReader

from audit.models import AuditEntry
from breaches.models import EvidencePack, PackVersion
from glenwood import seal
from tests.agreements.evidence_helpers import VALID, pdf_text, pdfsig
from tests.breaches.conftest import friend_request_report, outcome_given
from tests.breaches.files import image_bytes, pdf_bytes, upload
from tests.pki import TSA_NAME


@pytest.fixture
def case_with_documents(demo, agreements):
    case = friend_request_report(
        demo,
        documents=[
            upload("instagram.png", image_bytes(text="Mr Jones accepted"), "image/png"),
            upload("pupil-statement.pdf", pdf_bytes(), "application/pdf"),
        ],
    )
    return outcome_given(demo, case)


def images_in(pdf: bytes) -> list[str]:
    """The image lines of `pdfimages -list` (poppler-utils)."""
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages is missing: apt-get install poppler-utils")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        listing = subprocess.run(
            ["pdfimages", "-list", f.name], capture_output=True, text=True, check=True
        ).stdout
    return [line for line in listing.splitlines()[2:] if line.strip()]


def download(client, case, version) -> bytes:
    response = client.get(f"/breaches/cases/{case.pk}/evidence-pack.pdf", {"version": version})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_both_versions_are_sealed_timestamped_hold_the_documents_and_are_kept(
    demo, login, case_with_documents, timestamped_seal, settings
):
    case, client = case_with_documents, login("head")
    reporter = demo["teacher"].get_full_name()
    panel, staff = download(client, case, "panel"), download(client, case, "staff")

    for pdf in (panel, staff):
        assert VALID in pdfsig(pdf)
        checked = seal.check_seal(pdf, fingerprint=seal.sealer().fingerprint)
        assert checked.genuine and checked.timestamp_authority == TSA_NAME
        assert len(images_in(pdf)) >= 1  # the screenshot, inline
        attached = PdfReader(io.BytesIO(pdf)).attachments
        assert [name for name in attached if name.endswith("pupil-statement.pdf")]
        assert "Oliver Jones" in pdf_text(pdf)  # the member of staff concerned, in both

    assert reporter in pdf_text(panel)
    staff_text = pdf_text(staff)
    assert reporter not in staff_text and "identity withheld" in staff_text
    assert not re.search(r"Tara|Quinn", staff_text)

    kept = {p.version: p for p in EvidencePack.objects.filter(case=case)}
    assert kept[PackVersion.PANEL].reporter_named and not kept[PackVersion.STAFF].reporter_named
    assert kept[PackVersion.STAFF].pdf_sha256 == hashlib.sha256(staff).hexdigest()
    assert {d["how"] for d in kept[PackVersion.PANEL].documents} == {"shown", "attached"}
    assert AuditEntry.objects.filter(action="case.evidence_pack_made", record_id=str(case.pk)).count() == 2


def test_the_staff_version_names_the_reporter_only_after_the_headteacher_decides(
    demo, login, case_with_documents
):
    case = case_with_documents
    reporter = demo["teacher"].get_full_name()
    url = f"/breaches/cases/{case.pk}/evidence-pack/disclose-reporter/"
    assert (
        login("deputy").post(url, {"reason": "He asked."}).status_code == 403
    )  # sees the case, may not decide
    assert login("hillside-head").post(url, {"reason": "x"}).status_code == 404
    client = login("head")
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Record why the reporter" in response.content.decode()
    assert reporter not in pdf_text(download(client, case, "staff"))

    client.post(url, {"reason": "Needed for a fair hearing: the account rests on what the reporter saw."})
    assert reporter in pdf_text(download(client, case, "staff"))
    assert AuditEntry.objects.filter(action="case.reporter_disclosed", record_id=str(case.pk)).exists()
