"""Single sign-on against a real OpenID Connect provider running in its own process."""

import io

from pypdf import PdfReader

from agreements import evidence
from agreements.models import Agreement, AgreementKind, AuthMethod, Signature
from audit.models import AuditEntry

from .conftest import GOOGLE_ID, PROVIDER_ID
from .identity_provider import sign_in_at_provider


def test_a_matched_teacher_signs_in_with_microsoft_and_her_signature_says_so(demo, client, microsoft_sign_in):
    response = sign_in_at_provider(client, PROVIDER_ID, "tquinn", "provider-pass-1")
    assert response.redirect_chain[-1][0] == "/"
    assert client.session["_auth_user_id"] == str(demo["teacher"].pk)

    staff_aua = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    version = staff_aua.policy.current_version
    client.post(
        f"/agreements/{staff_aua.pk}/sign/",
        {"consent": "on", "typed_name": "Tara Quinn", "shown_sha256": version.sha256},
    )
    signature = Signature.objects.get(person=demo["teacher"], version=version)
    assert signature.auth_method == AuthMethod.MICROSOFT
    # The certificate page of the evidence PDF prints how she signed in.
    pdf = PdfReader(io.BytesIO(evidence.plain_render(signature, code="TEST-CODE")))
    certificate = " ".join(page.extract_text() for page in pdf.pages)
    assert "Microsoft 365 account" in certificate
    entry = AuditEntry.objects.filter(action="signed_in", record_id=str(demo["teacher"].pk)).latest("id")
    assert entry.detail["method"] == "microsoft"


def test_an_email_the_school_does_not_hold_is_refused_with_a_reason(demo, client, microsoft_sign_in):
    response = sign_in_at_provider(client, PROVIDER_ID, "stranger", "provider-pass-2")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "Glenwood School has no one with the email address stranger@glenwood.example" in page
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="sign_in_refused", detail__reason="unknown_email").exists()


def test_an_unverified_email_is_not_matched(demo, client, microsoft_sign_in):
    response = sign_in_at_provider(client, PROVIDER_ID, "unverified", "provider-pass-3")
    assert "did not give a verified email address" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_leaver_is_refused_even_with_a_working_school_account(demo, client, microsoft_sign_in):
    import datetime

    teacher = demo["teacher"]
    teacher.leaving_date = datetime.date(2026, 7, 31)
    teacher.save(update_fields=["leaving_date"])
    response = sign_in_at_provider(client, PROVIDER_ID, "tquinn", "provider-pass-1")
    assert "Your account on the portal is closed" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_schools_button_does_not_sign_in_glenwoods_teacher(
    demo, client, microsoft_sign_in, google_sign_in
):
    """Hillside's Google sign-in only matches people Hillside holds."""
    response = sign_in_at_provider(client, GOOGLE_ID, "tquinn", "provider-pass-1", school="hillside")
    assert (
        "Hillside Academy has no one with the email address teacher@glenwood.example"
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_hillside_teacher_signs_in_with_google(demo, client, google_sign_in):
    hillside_teacher = demo["hillside-teacher"]
    hillside_teacher.email = "stranger@glenwood.example"  # the provider's second account
    hillside_teacher.save(update_fields=["email"])
    response = sign_in_at_provider(client, GOOGLE_ID, "stranger", "provider-pass-2", school="hillside")
    assert response.redirect_chain[-1][0] == "/"
    assert client.session["auth_method"] == AuthMethod.GOOGLE
