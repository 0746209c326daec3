"""The frozen record: a signature keeps what its certificate prints as the school held it at signing,
so a certificate made late (the worker behind, the time-stamping authority down) still says it."""

import pytest

from agreements import services
from agreements.certificates import certificate_for, decline_certificate_for
from agreements.models import Decline, Signature, SignatureCertificate
from glenwood import seal
from people.models import Person
from tests.agreements.evidence_helpers import pdf_text
from tests.agreements.test_pdf_evidence import read


@pytest.fixture
def teacher_signature(demo, staff_aua, django_capture_on_commit_callbacks):
    teacher, version = demo["teacher"], staff_aua.policy.current_version
    with django_capture_on_commit_callbacks(execute=False) as queued:
        signature = services.signature_record(
            signer=teacher, agreement=staff_aua, version=version, shown_sha256=version.sha256,
            consent_given=True, typed_name=teacher.get_full_name(),
            evidence=services.Evidence("10.0.0.9", "Firefox", "ab" * 32, "password"),
        )  # fmt: skip
    assert len(queued) == 1  # the seal is queued for when the signature commits, nowhere else
    return signature


def test_a_signature_keeps_what_its_certificate_prints(teacher_signature, demo):
    snapshot = Signature.objects.get(pk=teacher_signature.pk).snapshot
    assert snapshot["signer_name"] == demo["teacher"].get_full_name()
    assert snapshot["person_id"] == demo["teacher"].pk and snapshot["filled_from"] == "signing"
    assert snapshot["school"] == "Glenwood School" and "Staff" in snapshot["roles"]
    assert snapshot["agreement"] == "Staff Acceptable Use Agreement"


def test_a_certificate_made_after_a_rename_prints_the_name_at_signing(teacher_signature, demo, client):
    name_at_signing = demo["teacher"].get_full_name()
    Person.objects.filter(pk=demo["teacher"].pk).update(first_name="Renamed", last_name="Afterwards")
    client.force_login(demo["head"])
    page = client.get(f"/agreements/signatures/{teacher_signature.pk}/").content.decode()
    assert "has not been made yet: it is being made now" in page
    assert not SignatureCertificate.objects.filter(signature=teacher_signature).exists()

    signature = Signature.objects.get(pk=teacher_signature.pk)
    text = pdf_text(read(certificate_for(signature, actor=demo["head"])))
    assert name_at_signing in text and "Renamed" not in text
    assert "ab" * 32 in text and f"Person number {demo['teacher'].pk}" in text
    assert (
        "has not been made yet" not in client.get(f"/agreements/signatures/{signature.pk}/").content.decode()
    )


def test_a_decline_is_kept_with_its_snapshot_and_sealed_once(demo):
    decline = Decline.objects.select_related("person").get(person__username="staff20")
    first = decline_certificate_for(decline, actor=None)
    assert decline_certificate_for(decline, actor=None).pk == first.pk
    text = pdf_text(read(first))
    assert "Record of a declined agreement" in text and decline.person.get_full_name() in text
    assert "union representative" in text


def test_when_the_time_stamping_authority_is_down_the_download_says_so_and_nothing_is_lost(
    teacher_signature, demo, client, settings
):
    from agreements.certificates import SealingFailed
    from agreements.tasks import seal_evidence

    settings.TSA_URL, settings.TSA_TIMEOUT = "http://127.0.0.1:9/tsa", 2  # nothing listens there
    seal._sealer_for.cache_clear()
    client.force_login(demo["teacher"])
    response = client.get(f"/agreements/signatures/{teacher_signature.pk}/evidence.pdf", follow=True)
    assert response.status_code == 200
    assert "The trusted time service did not answer" in response.content.decode()
    assert not SignatureCertificate.objects.filter(signature=teacher_signature).exists()
    # The worker's task fails the same way and is retried by Celery (here, run in place, it raises).
    with pytest.raises(SealingFailed):
        seal_evidence.apply(args=("signature", teacher_signature.pk), throw=True, retries=10)
    seal._sealer_for.cache_clear()
