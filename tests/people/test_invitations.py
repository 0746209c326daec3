"""Invitations: the office invites imported people, each follows a single-use link that expires,
chooses a password (Django's rules) and is signed in; reminders to someone not yet joined carry one."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from agreements.models import Agreement
from audit.models import AuditEntry
from people.models import Invitation, Person, Role, RoleAssignment
from reminders import services as reminder_services
from reminders.models import Notification, Reminder, ReminderKind
from reminders.scan import Due

LINK = re.compile(r"http://testserver(/join/[^/\s\"]+/)(\?next=[^\s\"]+)?")
GOOD_PASSWORD = "purple-otter-ladder-42"


@pytest.fixture
def newcomer(demo):
    """A pupil the MIS import added: an email, no password, never signed in."""
    person = Person(
        school=demo["glenwood"], username="nadia.carter", first_name="Nadia", last_name="Carter",
        email="ncarter@glenwood.example", year_group=7, admission_number="07099",
    )  # fmt: skip
    person.set_unusable_password()
    person.save()
    RoleAssignment.objects.create(person=person, role=Role.PUPIL)
    return person


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def invite(client, person, capture):
    with capture(execute=True):
        return client.post(f"/people/{person.pk}/invite/", follow=True)


def link_in(message):
    html = message.alternatives[0][0]
    found = LINK.search(message.body)
    assert found and found.group(0) in html
    return found.group(1) + (found.group(2) or "")


def test_office_invites_and_the_person_joins(demo, login, newcomer, django_capture_on_commit_callbacks):
    office = login("admin")
    assert "Not invited" in office.get(f"/people/{newcomer.pk}/").content.decode()
    response = invite(office, newcomer, django_capture_on_commit_callbacks)
    assert "Invitation on the way to 1 person." in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ncarter@glenwood.example"]
    assert "Glenwood School" in message.subject and "nadia.carter" in message.body
    link = link_in(message)
    invitation = Invitation.objects.get(person=newcomer)
    assert invitation.token_sha256 and link.split("/")[2] not in invitation.token_sha256  # only the hash kept
    assert "Invited" in office.get(f"/people/{newcomer.pk}/").content.decode()
    assert [p.pk for p in office.get("/people/?invitation=invited").context["page"]] == [newcomer.pk]
    office.logout()

    page = office.get(link)
    assert "Welcome, Nadia" in page.content.decode()
    weak = office.post(link, {"new_password1": "password", "new_password2": "password"})
    assert "This password is on a list of common or breached passwords" in weak.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()

    response = office.post(
        link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == newcomer  # signed in
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD) and newcomer.has_joined
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=newcomer).exists()
    assert AuditEntry.objects.filter(action="invitation.sent", actor=demo["admin"]).exists()
    assert AuditEntry.objects.filter(action="person.invited", actor=demo["admin"]).exists()

    # The link works once.
    office.logout()
    used = office.get(link)
    assert used.status_code == 410
    assert "This invitation has already been used." in used.content.decode()
    assert office.login(username="nadia.carter", password=GOOD_PASSWORD)
    assert [
        p.pk for p in login("admin").get("/people/?invitation=joined&q=nadia.carter").context["page"]
    ] == [newcomer.pk]


def test_an_expired_link_is_refused_with_what_to_do(
    demo, login, newcomer, django_capture_on_commit_callbacks
):
    invite(login("admin"), newcomer, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    Invitation.objects.filter(person=newcomer).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = login("teacher")
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert "Ask the school office to send you a new one." in response.content.decode()
    response = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 410
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_made_up_link_is_refused(client, demo):
    response = client.get("/join/not-a-real-token/")
    assert response.status_code == 410
    assert "This invitation link is not valid." in response.content.decode()


def test_bulk_invite_after_an_import_skips_those_without_email_or_already_joined(
    demo, login, newcomer, django_capture_on_commit_callbacks
):
    office = login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post("/people/invite/", {"role": "pupil", "year_group": "7"}, follow=True)
    # Demo pupils have joined (they have passwords); only the imported pupil is invited.
    assert "Invitation on the way to 1 person." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["ncarter@glenwood.example"]]
    with django_capture_on_commit_callbacks(execute=True):
        office.post("/people/invite/", {"role": "pupil"})
    assert len(mail.outbox) == 1  # already invited: the list's bulk button does not send twice


def test_reminder_to_someone_not_joined_carries_their_invitation_link(demo, newcomer):
    agreement = Agreement.objects.get(kind="ks3", school=demo["glenwood"])
    reminder_services.reminders_record(
        [Due(demo["glenwood"].pk, newcomer.pk, ReminderKind.SIGNING_CHASE, "sign:test:1", "Please sign",
             {"agreement": agreement.pk, "number": 1})]
    )  # fmt: skip
    reminder = Reminder.objects.get(cycle="sign:test:1")
    assert reminder_services.reminder_deliver(reminder_id=reminder.pk)
    [message] = mail.outbox
    link = link_in(message)
    assert link.endswith(f"?next=/agreements/{agreement.pk}/sign/")
    assert "You have not joined the portal yet" in message.body
    # The in-app copy never holds a working link.
    assert "/join/" not in Notification.objects.get(recipient=newcomer).body

    response = Client().post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == f"/agreements/{agreement.pk}/sign/"


def test_reminder_to_someone_who_has_joined_has_the_plain_link(demo):
    agreement = Agreement.objects.get(kind="staff", school=demo["glenwood"])
    reminder_services.reminders_record(
        [Due(demo["glenwood"].pk, demo["teacher"].pk, ReminderKind.SIGNING_CHASE, "sign:test:2", "Please sign",
             {"agreement": agreement.pk, "number": 1})]
    )  # fmt: skip
    reminder_services.reminder_deliver(reminder_id=Reminder.objects.get(cycle="sign:test:2").pk)
    assert "/join/" not in mail.outbox[0].body
    assert f"/agreements/{agreement.pk}/sign/" in mail.outbox[0].body
    assert not Invitation.objects.exists()
