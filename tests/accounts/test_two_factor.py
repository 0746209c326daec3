"""Leaders sign in with a second factor; the first sign-in without one walks them through it."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from agreements.models import Agreement, AgreementKind, AuthMethod, Signature
from audit.models import AuditEntry
from people.models import Person, Role, RoleAssignment
from people.seed import DEMO_TOTP_SECRET

from .helpers import code_for, sign_in, sign_in_with_code


def test_a_headteacher_without_a_second_factor_is_sent_to_enrolment_and_nowhere_else(
    demo, client, django_capture_on_commit_callbacks
):
    head = demo["head"]
    Authenticator.objects.filter(user=head).delete()
    response = sign_in(client, "head")
    assert response.status_code == 302 and response.url == "/"
    for url in ["/", "/policies/", "/breaches/cases/", "/people/", "/admin/", "/agreements/exports/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/", url

    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert "Your role needs a second factor" in page
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret, time.time())})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=head, type=Authenticator.Type.TOTP).exists()
    assert AuditEntry.objects.filter(action="two_factor_added", record_id=str(head.pk)).exists()
    assert client.get("/policies/").status_code == 200


def test_a_teacher_may_add_a_second_factor_but_is_not_made_to(demo, login):
    client = login("teacher")
    assert client.get("/policies/").status_code == 200
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_a_leader_signs_in_with_password_and_code_and_the_signature_says_so(demo, client):
    # A teacher made a DSL, who has not signed this year's staff agreement yet.
    dsl = Person.objects.get(username="staff13")
    RoleAssignment.objects.create(person=dsl, role=Role.DSL)
    TOTP.activate(dsl, DEMO_TOTP_SECRET)
    response = sign_in_with_code(client, "staff13")
    assert response.status_code == 302 and response.url == "/"
    staff_aua = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    version = staff_aua.policy.current_version
    client.post(
        f"/agreements/{staff_aua.pk}/sign/",
        {"consent": "on", "typed_name": dsl.get_full_name(), "shown_sha256": version.sha256},
    )
    signature = Signature.objects.get(person=dsl, version=version)
    assert signature.auth_method == AuthMethod.TWO_FACTOR
    assert signature.get_auth_method_display() == "Password and second factor"


def test_a_wrong_code_does_not_sign_in(demo, client):
    sign_in(client, "head")
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_office_removes_a_lost_second_factor_and_it_is_recorded(demo, login):
    client = login("admin")
    client.post(f"/access/people/{demo['teacher'].pk}/remove-second-factor/")  # has none: nothing to do
    client.post(f"/access/people/{demo['deputy'].pk}/remove-second-factor/")
    assert not Authenticator.objects.filter(user=demo["deputy"]).exists()
    entry = AuditEntry.objects.get(action="two_factor_removed", record_id=str(demo["deputy"].pk))
    assert entry.actor == demo["admin"]
