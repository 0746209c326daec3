"""Nobody sets someone else's password in the Django admin: they send a reset link, and it is audited."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from people.models import Person


@pytest.fixture
def superuser(demo):
    """The most the Django admin ever gives anyone: even this account sets no one's password."""
    return Person.objects.create_superuser(
        username="root", email="root@glenwood.example", password="unused-here", school=demo["glenwood"]
    )


def test_not_even_a_superuser_can_set_a_pupils_password(demo, client, superuser):
    client.force_login(superuser)
    pupil = demo["pupil7"]
    before = Person.objects.get(pk=pupil.pk).password
    assert client.get(f"/admin/people/person/{pupil.pk}/password/").status_code == 403
    response = client.post(
        f"/admin/people/person/{pupil.pk}/password/",
        {"password1": "Summer2026!x", "password2": "Summer2026!x", "usable_password": "true"},
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=pupil.pk).password == before
    page = client.get(f"/admin/people/person/{pupil.pk}/change/").content.decode()
    assert 'name="password' not in page and "../password/" not in page


def test_a_person_added_in_the_admin_has_no_password_until_they_choose_one(demo, client, superuser):
    client.force_login(superuser)
    page = client.get("/admin/people/person/add/").content.decode()
    assert 'name="password1"' not in page
    client.post(
        "/admin/people/person/add/",
        {"username": "newteacher", "school": demo["glenwood"].pk, "first_name": "Nia", "last_name": "Bell",
         "email": "nia.bell@glenwood.example", "role_assignments-TOTAL_FORMS": 0,
         "role_assignments-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert not Person.objects.get(username="newteacher").has_usable_password()


def test_the_admin_sends_a_reset_link_instead_and_it_is_audited(
    demo, client, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    pupil = demo["pupil7"]
    pupil.email = "jamie.cole@pupils.glenwood.example"
    pupil.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/people/person/",
            {"action": "send_reset_link", "_selected_action": [pupil.pk]},
            follow=True,
        )
    assert [m.to for m in mail.outbox] == [["jamie.cole@pupils.glenwood.example"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="password_reset_link_sent", record_id=str(pupil.pk))
    assert entry.actor == superuser


def test_the_office_sends_a_reset_link_from_the_sign_in_page(
    demo, client, django_capture_on_commit_callbacks
):
    client.force_login(demo["admin"])
    teacher = demo["teacher"]
    teacher.email = "tara.quinn@glenwood.example"
    teacher.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/access/people/{teacher.pk}/reset/", follow=True)
    assert "A link to choose a new password was emailed to Tara Quinn" in response.content.decode()
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="password_reset_link_sent", actor=demo["admin"]).exists()
