"""Evidence PDFs for real: rendered by WeasyPrint, sealed by pyHanko, read back with pypdf and
checked with Debian's pdfsig; then the public verify page, given the PDF or one byte changed."""

import datetime
import hashlib
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from pypdf import PdfReader

from agreements import verification
from agreements.certificates import certificate_for
from agreements.evidence import EvidenceMaker, for_evidence
from agreements.models import RecordIsPermanent, Signature, SignatureCertificate
from audit.models import AuditEntry
from glenwood import pdf_batch
from people.models import Person
from tests.agreements.evidence_helpers import VALID, pdf_text, pdfsig
from tests.audit.tamper import triggers_dropped


@pytest.fixture
def pupil_signature(demo):
    """A Year 7 pupil's KS3 signature, witnessed by Tara Quinn: every line of the certificate is used."""
    return Signature.objects.select_related("person", "version", "agreement").get(
        person__username="y7pupil1", agreement__kind="ks3"
    )


def read(certificate) -> bytes:
    with default_storage.open(certificate.pdf.name, "rb") as f:
        return f.read()


def one_byte_changed(pdf: bytes) -> bytes:
    """The PDF with one byte of its signed content changed: the first letter of its title."""
    changed = bytearray(pdf)
    position = pdf.index(b"/Title (") + len(b"/Title (")
    changed[position] = ord("X") if pdf[position] != ord("X") else ord("Y")
    return bytes(changed)


def test_a_real_evidence_pdf_holds_the_evidence_and_a_valid_seal(pupil_signature, demo):
    certificate = certificate_for(pupil_signature, actor=demo["head"])
    pdf = read(certificate)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", certificate.code)

    text = pdf_text(pdf)
    version = pupil_signature.version
    assert pupil_signature.person.get_full_name() in text
    assert pupil_signature.text_sha256 in text
    assert certificate.code in text
    assert f"/verify/{certificate.code}/" in text
    assert "I will keep my passwords secret." in text  # the agreement text itself, as signed
    assert "This is the hash of the agreement text in this document." in text
    for expected in (
        "Glenwood School", "Pupil, Year 7", "KS3 Pupil Acceptable Use Agreement", version.label,
        pupil_signature.consent_wording, "UTC", "(Europe/London)", "127.0.0.1", "Demo data",
        "Password", "Tara Quinn, Teacher of English",
    ):  # fmt: skip
        assert expected in text, expected

    report = pdfsig(pdf)
    assert VALID in report, report
    assert "ETSI.CAdES.detached" in report  # PAdES, not the older adbe.pkcs7 form
    assert "Total document signed" in report

    tampered = pdfsig(one_byte_changed(pdf))
    assert VALID not in tampered, tampered


def test_the_certificate_is_made_once_and_kept(pupil_signature, demo):
    first = certificate_for(pupil_signature, actor=demo["head"])
    again = certificate_for(pupil_signature, actor=demo["admin"])
    assert again.pk == first.pk and again.pdf_sha256 == first.pdf_sha256
    assert SignatureCertificate.objects.filter(signature=pupil_signature).count() == 1
    entries = AuditEntry.objects.filter(action="agreement.certificate_sealed", record_id=str(first.pk))
    assert entries.count() == 1 and entries.get().actor == demo["head"]
    with pytest.raises(RecordIsPermanent):
        first.save()
    with pytest.raises(RecordIsPermanent):
        SignatureCertificate.objects.filter(pk=first.pk).update(code="XXXX-XXXX-XXXX")


def test_the_verify_page_says_genuine_for_the_pdf_and_not_genuine_after_one_changed_byte(
    pupil_signature, demo, client, timestamped_seal
):
    certificate = certificate_for(pupil_signature, actor=demo["head"])
    pdf = read(certificate)

    response = client.post(
        "/verify/", {"document": SimpleUploadedFile("evidence.pdf", pdf, "application/pdf")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Genuine: this PDF is exactly as the portal sealed it" in page
    assert "Glenwood Demo Time-Stamping Authority" in page  # the trusted time, from the local TSA
    assert certificate.code in page and "altered" not in page
    # An anonymous visitor sees initials, never the full name.
    name = pupil_signature.person.get_full_name()
    assert name not in page and verification.initials(name) in page

    response = client.post(
        "/verify/", {"document": SimpleUploadedFile("evidence.pdf", one_byte_changed(pdf), "application/pdf")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not genuine." in page
    assert "Genuine:" not in page
    assert verification.initials(name) not in page  # nothing about what it claims to be


def test_a_seal_without_a_trusted_timestamp_is_not_called_genuine(pupil_signature, demo, client):
    certificate = certificate_for(pupil_signature, actor=demo["head"])  # no TSA_URL: no timestamp
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "The seal is intact, but this PDF carries no trusted timestamp." in page
    assert "Genuine" not in page


def test_the_verify_page_shows_what_the_sealed_pdf_holds_and_nothing_private(
    pupil_signature, demo, client, timestamped_seal
):
    certificate = certificate_for(pupil_signature, actor=demo["head"])
    pdf = read(certificate)
    text = pdf_text(pdf)
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "Genuine: the portal sealed a PDF with this code" in page
    shown = dict(
        re.findall(r'<dt class="col-sm-3">(.*?)</dt><dd class="col-sm-9[^"]*"[^>]*>(.*?)</dd>', page, re.S)
    )
    assert shown["Signed by"] == verification.initials(pupil_signature.person.get_full_name())
    assert shown["Role and year group"] == "Pupil, Year 7"
    for label in ("School", "Document", "Signed on", "SHA-256 of the text", "Verification code"):
        for part in shown[label].replace("&#x27;", "'").split(", "):
            assert part in text, (label, part)
    assert shown["SHA-256 of the sealed PDF"] == hashlib.sha256(pdf).hexdigest()
    person = pupil_signature.person
    for private in (person.get_full_name(), person.username, person.admission_number or "no-number",
                    pupil_signature.session_hash or "no-hash", "127.0.0.1", "Demo data"):  # fmt: skip
        assert private not in page


def test_the_verify_page_says_when_the_record_was_altered_after_sealing(
    pupil_signature, demo, client, timestamped_seal
):
    """Someone with database access back-dates the signature after its PDF was sealed: the PDF
    still verifies (it is the evidence as sealed), and the page says the portal's record changed."""
    certificate = certificate_for(pupil_signature, actor=demo["head"])
    pdf = read(certificate)
    with triggers_dropped(), connection.cursor() as cursor:  # as a database owner could
        cursor.execute(
            "UPDATE agreements_signature SET signed_at = %s, ip_address = %s WHERE id = %s",
            [pupil_signature.signed_at - datetime.timedelta(days=30), "10.66.66.66", pupil_signature.pk],
        )

    response = client.post("/verify/", {"document": SimpleUploadedFile("e.pdf", pdf, "application/pdf")})
    page = response.content.decode()
    assert "The portal's own record has been altered since this PDF was sealed." in page
    assert "IP address, Signed at" in page
    # What is shown is what the PDF holds, not the altered row.
    signed_on = pupil_signature.signed_at.astimezone(ZoneInfo("Europe/London"))
    assert f"{signed_on:%-d %B %Y}" in page and "10.66.66.66" not in page
    entry = AuditEntry.objects.get(action="evidence.record_altered_after_sealing")
    assert entry.record_id == str(pupil_signature.pk)
    assert entry.detail == {"certificate": certificate.code, "fields": ["IP address", "Signed at"]}
    # The same by code.
    assert "has been altered since" in client.get(f"/verify/{certificate.code}/").content.decode()


def test_a_wrong_or_mistyped_code_finds_nothing(demo, client, pupil_signature):
    certificate = certificate_for(pupil_signature, actor=demo["head"])
    page = client.get("/verify/AAAA-BBBB-CCCC/").content.decode()
    assert "No certificate has the code" in page and "Genuine" not in page
    # Typed in lower case without dashes through the form: found, at its canonical address.
    response = client.get("/verify/", {"code": certificate.code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.url == f"/verify/{certificate.code}/"
    assert client.get("/verify/", {"code": "short"}).status_code == 400


@pytest.mark.parametrize(
    "upload,message",
    [
        (b"GIF89a not a pdf", "That file is not a PDF."),
        (b"%PDF-1.7\nthis is not really a PDF at all\n%%EOF", "Not genuine."),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_bad_upload_gets_a_clear_message_and_never_a_500(demo, client, upload, message):
    response = client.post("/verify/", {"document": SimpleUploadedFile("x.pdf", upload, "application/pdf")})
    assert response.status_code in (200, 400)
    assert message in response.content.decode()


def test_a_too_large_upload_is_refused_with_a_message(demo, client, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 1024 * 1024
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
    response = client.post("/verify/", {"document": SimpleUploadedFile("big.pdf", big, "application/pdf")})
    assert response.status_code == 400
    assert "That file is larger than 1 MB" in response.content.decode()
    # Declared far beyond the limit: refused by its length, before the body is read.
    response = client.post(
        "/verify/", data=b"x", content_type="application/pdf", CONTENT_LENGTH=str(50 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "That file is too large" in response.content.decode()


def test_the_verify_page_is_throttled_per_address(demo, client, settings):
    settings.VERIFY_RATE = "3/m"
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get("/verify/AAAA-BBBB-CCCC/", REMOTE_ADDR="10.9.9.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many checks" in client.get("/verify/", REMOTE_ADDR="10.9.9.9").content.decode()
    assert (
        client.get("/verify/", REMOTE_ADDR="10.9.9.10").status_code == 200
    )  # another address is not held up
    cache.clear()


def test_certificate_pages_in_a_batch_go_to_the_right_signers(demo):
    """A long comment pushes one certificate onto two pages; each PDF still gets exactly its own."""
    signatures = list(for_evidence(Signature.objects.filter(agreement__kind="ks3").order_by("pk"))[:4])
    long_comment = "I understand. " * 400
    signatures[1].comment = long_comment  # in memory only: signatures are never changed
    made = list(EvidenceMaker(batch_size=4).make(signatures))
    text_pages = len(PdfReader(io.BytesIO(made[0].pdf)).pages) - 1
    for item, signature in zip(made, signatures, strict=True):
        reader = PdfReader(io.BytesIO(item.pdf))
        certificate_text = " ".join(p.extract_text() for p in reader.pages[text_pages:])
        assert signature.person.get_full_name() in certificate_text
        assert item.code in certificate_text
        others = [s.person.get_full_name() for s in signatures if s.pk != signature.pk]
        assert not any(name in certificate_text for name in others)
    assert len(PdfReader(io.BytesIO(made[1].pdf)).pages) >= text_pages + 2


def test_the_text_is_rendered_once_per_version_however_many_signed_it(demo, monkeypatch):
    renders = []
    real = pdf_batch.render
    # The evidence module imports the renderer where it renders, so one patch sees every render.
    monkeypatch.setattr(pdf_batch, "render", lambda html: renders.append(html) or real(html))
    signatures = list(for_evidence(Signature.objects.filter(agreement__kind__in=["ks3", "staff"])))
    versions = {s.version_id for s in signatures}
    made = list(EvidenceMaker(batch_size=50).make(signatures))
    assert len(made) == len(signatures) > 10
    text_renders = [h for h in renders if 'class="text"' in h]
    assert len(text_renders) == len(versions) == 2
    assert len(renders) == len(versions) + 1  # and one batch of certificate pages


def test_the_signer_and_the_schools_leaders_download_the_pdf(demo, client, pupil_signature):
    url = f"/agreements/signatures/{pupil_signature.pk}/evidence.pdf"
    client.force_login(Person.objects.get(username="y7pupil1"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf == read(SignatureCertificate.objects.get(signature=pupil_signature))
    client.force_login(demo["head"])
    assert b"".join(client.get(url).streaming_content) == pdf  # the same PDF, not a new one
    client.force_login(demo["teacher"])
    assert client.get(url).status_code == 404


def test_make_signing_certificate_writes_one_and_keeps_it(tmp_path, settings):
    from django.core.management import call_command

    settings.SIGNING_CERT_PATH, settings.SIGNING_KEY_PATH = tmp_path / "c.pem", tmp_path / "k.pem"
    call_command("make_signing_certificate", stdout=io.StringIO())
    written = (tmp_path / "c.pem").read_bytes()
    assert written.startswith(b"-----BEGIN CERTIFICATE-----")
    assert oct((tmp_path / "k.pem").stat().st_mode & 0o777) == "0o600"
    call_command("make_signing_certificate", stdout=io.StringIO())
    assert (tmp_path / "c.pem").read_bytes() == written  # kept, not replaced
