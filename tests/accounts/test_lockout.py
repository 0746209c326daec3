"""Repeated wrong passwords lock that account from that address only; the ways back in."""

import re

from django.core import mail

from audit.models import AuditEntry

from .helpers import sign_in

WRONG = "not-the-password"


def fail_five_times(client, login, ip="10.0.0.1"):
    for _ in range(5):
        sign_in(client, login, WRONG, ip=ip)


def test_the_right_password_is_refused_after_five_wrong_ones_with_a_clear_message(demo, client):
    fail_five_times(client, "teacher")
    response = sign_in(client, "teacher")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in locked for this account on this device" in page
    assert "Reset your password by email" in page
    assert "_auth_user_id" not in client.session
    teacher = demo["teacher"]
    assert AuditEntry.objects.filter(action="sign_in_failed", record_id=str(teacher.pk)).count() == 5
    assert AuditEntry.objects.filter(action="sign_in_locked", record_id=str(teacher.pk)).exists()


def test_nobody_can_lock_the_head_out_from_elsewhere(demo, client):
    fail_five_times(client, "head", ip="203.0.113.9")
    assert sign_in(client, "head", ip="203.0.113.9").status_code == 429
    # From the head's own office the password still works (she is asked for her second factor next).
    response = sign_in(client, "head", ip="10.0.0.1")
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"


def test_the_school_office_unlocks_a_locked_account(demo, client, login):
    fail_five_times(client, "teacher")
    office = login("admin")
    page = office.get(f"/access/people/{demo['teacher'].pk}/").content.decode()
    assert "failed passwords from 10.0.0.1" in page
    office.post(f"/access/people/{demo['teacher'].pk}/unlock/")
    office.logout()
    assert AuditEntry.objects.filter(action="sign_in_unlocked", actor=demo["admin"]).exists()
    response = sign_in(client, "teacher")
    assert response.status_code == 302 and response.url == "/"


def test_choosing_a_new_password_by_email_lifts_the_lock(demo, client):
    teacher = demo["teacher"]
    teacher.email = "tara.quinn@glenwood.example"
    teacher.save(update_fields=["email"])
    fail_five_times(client, "teacher")
    client.post("/accounts/password/reset/", {"email": "tara.quinn@glenwood.example"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tara.quinn@glenwood.example"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "correct horse battery staple"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="password_reset", record_id=str(teacher.pk)).exists()
    response = sign_in(client, "teacher", new_password)
    assert response.status_code == 302 and response.url == "/"


def test_a_wrong_password_and_an_unknown_name_are_both_recorded(demo, client):
    sign_in(client, "teacher", WRONG)
    sign_in(client, "nobody-here", WRONG)
    assert AuditEntry.objects.filter(action="sign_in_failed", record_id=str(demo["teacher"].pk)).count() == 1
    unknown = AuditEntry.objects.get(action="sign_in_failed", record_id="")
    assert unknown.record_label == "nobody-here" and unknown.detail["ip"] == "10.0.0.1"
