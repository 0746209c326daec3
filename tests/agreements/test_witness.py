"""A pupil signing away from class names a member of staff, who is asked to confirm it."""

import pytest
from django.core import mail

from agreements import services
from agreements.certificates import certificate_for
from agreements.evidence import certificate_context
from agreements.models import AuthMethod, RecordIsPermanent, Signature, WitnessConfirmation
from audit.models import AuditEntry
from glenwood.services import NotAllowed
from reminders.models import Notification, ReminderKind


@pytest.fixture
def signed_at_home(demo, login, ks3_aua, django_capture_on_commit_callbacks):
    """Jamie (Year 7) signs on the family laptop and names their English teacher as witness."""
    version = ks3_aua.policy.current_version
    with django_capture_on_commit_callbacks(execute=True):
        response = login("pupil7").post(
            f"/agreements/{ks3_aua.pk}/sign/",
            {"consent": "on", "typed_name": "Jamie Cole", "shown_sha256": version.sha256,
             "witness": demo["teacher"].pk},
        )  # fmt: skip
    assert response.status_code == 302
    return Signature.objects.get(person=demo["pupil7"], version=version)


def test_the_named_witness_is_emailed_and_notified(demo, signed_at_home):
    sent = [m for m in mail.outbox if m.to == [demo["teacher"].email]]
    assert len(sent) == 1
    assert (
        sent[0].subject
        == "Please confirm you talked the KS3 Pupil Acceptable Use Agreement through with Jamie Cole"
    )
    assert f"/agreements/signatures/{signed_at_home.pk}/witness/" in sent[0].body
    note = Notification.objects.get(recipient=demo["teacher"], reminder__kind=ReminderKind.WITNESS_REQUEST)
    assert note.url == f"/agreements/signatures/{signed_at_home.pk}/witness/"


def test_until_confirmed_the_receipt_and_certificate_say_so(demo, login, signed_at_home):
    receipt = login("pupil7").get(f"/agreements/signatures/{signed_at_home.pk}/").content.decode()
    assert "witness not yet confirmed" in receipt
    context = certificate_context(signed_at_home, code="AAAA-BBBB-CCCC", made_at=signed_at_home.signed_at,
                                  sealed_by="test")  # fmt: skip
    assert context["witness"] == "Tara Quinn, Teacher of English (witness not yet confirmed)"


def test_the_sealed_pdf_says_not_yet_confirmed(demo, signed_at_home):
    from pypdf import PdfReader

    certificate = certificate_for(signed_at_home, actor=demo["head"])
    with certificate.pdf.open("rb") as f:
        text = " ".join(page.extract_text() for page in PdfReader(f).pages)
    assert "witness not yet confirmed" in " ".join(text.split())


def test_the_witness_confirms_and_it_is_recorded_beside_the_signature(demo, login, signed_at_home):
    teacher = login("teacher")
    home = teacher.get("/").content.decode()
    assert "Confirm you talked the KS3 Pupil Acceptable Use Agreement through with Jamie Cole" in home
    page = teacher.get(f"/agreements/signatures/{signed_at_home.pk}/witness/").content.decode()
    assert "Did you talk this agreement through with Jamie Cole?" in page
    response = teacher.post(f"/agreements/signatures/{signed_at_home.pk}/witness/", follow=True)
    assert (
        "You confirmed you talked the KS3 Pupil Acceptable Use Agreement through" in response.content.decode()
    )
    confirmation = WitnessConfirmation.objects.get(signature=signed_at_home)
    assert confirmation.witness == demo["teacher"]
    assert AuditEntry.objects.filter(action="signature.witness_confirmed").count() == 1
    signature = Signature.objects.get(pk=signed_at_home.pk)
    assert signature.witness_confirmed
    receipt = login("pupil7").get(f"/agreements/signatures/{signature.pk}/").content.decode()
    assert "witness not yet confirmed" not in receipt and "(confirmed " in receipt
    context = certificate_context(
        signature, code="AAAA-BBBB-CCCC", made_at=signature.signed_at, sealed_by="t"
    )
    assert "confirmed by them on" in context["witness"]
    # A second confirmation changes nothing, and the record itself is never edited.
    assert services.witness_confirm(witness=demo["teacher"], signature=signature) == confirmation
    with pytest.raises(RecordIsPermanent):
        confirmation.save()


def test_nobody_else_confirms(demo, login, signed_at_home):
    for username in ("head", "deputy", "pupil7", "hillside-head"):
        assert login(username).post(f"/agreements/signatures/{signed_at_home.pk}/witness/").status_code == 404
    with pytest.raises(NotAllowed):
        services.witness_confirm(witness=demo["head"], signature=signed_at_home)
    assert not WitnessConfirmation.objects.exists()


def test_a_class_session_signature_needs_no_confirmation(demo, ks3_aua):
    session = services.signing_session_open(teacher=demo["teacher"], agreement=ks3_aua, year_group=7)
    version = ks3_aua.policy.current_version
    signature = services.kiosk_signature_record(
        session=session, pupil=demo["pupil7"], witness=demo["teacher"], version=version,
        shown_sha256=version.sha256, consent_given=True, typed_name="Jamie Cole",
        evidence=services.Evidence("127.0.0.1", "test", "", AuthMethod.STAFF_WITNESSED),
    )  # fmt: skip
    assert signature.witness_confirmed and not signature.witness_needs_confirming
    assert not mail.outbox
