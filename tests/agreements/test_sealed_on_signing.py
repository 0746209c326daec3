"""Evidence sealed at the moment of signing, by a real Celery worker, timestamped by a real local
time-stamping authority (certomancer's Animator, tests/pki.py): nobody downloads anything, yet the
sealed PDF is there; renaming the signer afterwards changes nothing in it."""

import hashlib
import io
import json
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from asn1crypto import cms, tsp
from pypdf import PdfReader

from agreements.models import Agreement, AgreementKind, Signature, SignatureCertificate
from glenwood import seal
from people.models import Person
from tests.agreements.evidence_helpers import VALID, pdf_text, pdfsig
from tests.pki import TSA_NAME

TIMEOUT = 120


@pytest.fixture
def school(transactional_db):
    from agreements.seed import seed_agreements
    from people.seed import seed_people
    from policies.seed import seed_policies
    from tests.conftest import sealing_deferred

    with sealing_deferred():  # the demo's own signatures are not what this test is about
        people = seed_people()
        seed_policies(people)
        seed_agreements(people)
    return people


def wait_for_certificate(signature) -> SignatureCertificate:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        certificate = SignatureCertificate.objects.filter(signature=signature).first()
        if certificate is not None:
            return certificate
        time.sleep(0.05)
    pytest.fail(f"No sealed PDF for signature {signature.pk} after {TIMEOUT}s")


def timestamp_in(pdf: bytes) -> tsp.TSTInfo:
    """The RFC 3161 timestamp inside the seal, read from the signature pdfsig dumps (pdfsig 22 has no
    option to print it)."""
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "evidence.pdf"
        document.write_bytes(pdf)
        subprocess.run(["pdfsig", "-dump", str(document)], cwd=folder, check=True, capture_output=True)
        dumped = Path(folder, "evidence.pdf.sig0").read_bytes()
    signer_info = cms.ContentInfo.load(dumped)["content"]["signer_infos"][0]
    token = next(a for a in signer_info["unsigned_attrs"] if a["type"].native == "signature_time_stamp_token")
    return token["values"][0]["content"]["encap_content_info"]["content"].parsed


def test_signing_seals_the_evidence_in_the_worker_with_a_trusted_time(
    school, client, real_worker, pki_worker_env, settings
):
    real_worker(**pki_worker_env)
    teacher = school["teacher"]
    agreement = Agreement.objects.select_related("policy__current_version").get(
        school=school["glenwood"], kind=AgreementKind.STAFF
    )
    version = agreement.policy.current_version
    client.force_login(teacher)
    response = client.post(
        f"/agreements/{agreement.pk}/sign/",
        {"consent": "on", "typed_name": teacher.get_full_name(), "shown_sha256": version.sha256},
    )
    assert response.status_code == 302
    signature = Signature.objects.get(person=teacher, version=version)
    name_at_signing = teacher.get_full_name()

    certificate = wait_for_certificate(signature)  # made by the worker: nobody asked for the PDF
    pdf = Path(settings.MEDIA_ROOT, certificate.pdf.name).read_bytes()
    assert certificate.pdf_sha256 == hashlib.sha256(pdf).hexdigest()

    # pdfsig finds the seal valid; the timestamp inside it comes from the local TSA, after signing.
    assert VALID in pdfsig(pdf)
    stamp = timestamp_in(pdf)
    assert stamp["gen_time"].native >= signature.signed_at.replace(microsecond=0)
    settings.SIGNING_CHAIN_PATH = str(pki_worker_env["SIGNING_CHAIN_PATH"])
    checked = seal.check_seal(pdf, fingerprint=certificate.seal_fingerprint)  # pyHanko's validator
    assert checked.genuine and checked.timestamp_authority == TSA_NAME
    assert checked.long_term  # the chain's OCSP response and CRLs are in the document (B-LT)

    # The certificate prints the frozen record: name, ids and session hash, and carries it as JSON.
    text = pdf_text(pdf)
    assert name_at_signing in text and f"Person number {teacher.pk}" in text
    assert f"signature number {signature.pk}" in text and signature.session_hash in text
    embedded = json.loads(PdfReader(io.BytesIO(pdf)).attachments["certificate.json"][0])
    assert embedded["record"]["signer_name"] == name_at_signing
    assert embedded["record"]["session_hash"] == signature.session_hash

    # The school renames the teacher: the certificate, downloaded now, is the same document.
    Person.objects.filter(pk=teacher.pk).update(first_name="Renamed", last_name="Afterwards")
    downloaded = b"".join(client.get(f"/agreements/signatures/{signature.pk}/evidence.pdf").streaming_content)
    assert downloaded == pdf
    assert "Renamed" not in pdf_text(downloaded)
