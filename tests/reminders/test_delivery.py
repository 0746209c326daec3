"""Delivering reminders: once each, mirrored in the app, failures recorded and retried."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from agreements.models import Agreement
from policies import services as policy_services
from reminders import services
from reminders.models import Notification, Reminder, ReminderKind, ReminderStatus
from reminders.scan import Due
from tests.support.revisions import approved_staff_agreement_revision


@pytest.fixture
def reminder(school):
    services.reminders_record(
        [Due(school["glenwood"].pk, school["teacher"].pk, ReminderKind.SIGNING_CHASE, "sign:test:1",
             "Please sign", {"agreement": Agreement.objects.get(kind="staff", school=school["glenwood"]).pk, "number": 1})]
    )  # fmt: skip
    return Reminder.objects.get(cycle="sign:test:1")


def test_recording_the_same_reminder_twice_keeps_one(school, reminder):
    services.reminders_record(
        [
            Due(
                reminder.school_id,
                reminder.recipient_id,
                reminder.kind,
                reminder.cycle,
                "Again",
                reminder.context,
            )
        ]
    )
    assert Reminder.objects.filter(cycle="sign:test:1").count() == 1


def test_delivered_once_with_an_in_app_notification(school, reminder):
    assert services.reminder_deliver(reminder_id=reminder.pk) is True
    assert services.reminder_deliver(reminder_id=reminder.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [school["teacher"].email]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.sent_at is not None
    note = Notification.objects.get(recipient=school["teacher"])
    assert note.title == mail.outbox[0].subject
    assert note.url.startswith("/agreements/")


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


@override_settings(EMAIL_BACKEND="tests.reminders.test_delivery.BrokenBackend")
def test_a_failed_send_stays_waiting_then_is_given_up_visibly(school, reminder):
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with pytest.raises(ConnectionRefusedError):
            services.reminder_deliver(reminder_id=reminder.pk)
        reminder.refresh_from_db()
        assert reminder.attempts == attempt
    assert reminder.status == ReminderStatus.FAILED
    assert "SMTP server down" in reminder.last_error
    assert not Notification.objects.exists()


def test_new_version_emails_everyone_who_now_owes_it_once(school, django_capture_on_commit_callbacks):
    draft = approved_staff_agreement_revision(school)
    head = school["head"]
    with django_capture_on_commit_callbacks(execute=True):
        policy_services.version_publish(actor=head, version=draft)
    announced = [m for m in mail.outbox if m.subject.startswith("New version to sign")]
    recipients = sorted(m.to[0] for m in announced)
    assert len(recipients) == len(set(recipients)) == 25  # every member of staff, once
    assert "Adds two-factor sign-in." in announced[0].body


def test_reminders_page_shows_sent_and_upcoming_and_saves_settings(school, login, reminder):
    services.reminder_deliver(reminder_id=reminder.pk)
    client = login("admin")
    page = client.get("/reminders/").content.decode()
    assert "Please sign" in page.split('id="sent"')[1]
    assert "Use of Social Media Policy" in page.split('id="upcoming-reviews"')[1]  # overdue: weekly
    bad = client.post("/reminders/", {"review_days_before": "sixty", "overdue_every_days": 7, "chase_after_days": 3,
                                      "chase_every_days": 0, "chase_at_most": 4, "digest_weekday": 0})  # fmt: skip
    assert "Give whole numbers of days" in bad.content.decode()
    assert "Must be at least 1 day." in bad.content.decode()
    client.post("/reminders/", {"review_days_before": "30, 90 ,7", "overdue_every_days": 7, "chase_after_days": 2,
                                "chase_every_days": 7, "chase_at_most": 3, "digest_weekday": 4})  # fmt: skip
    settings = school["glenwood"].reminder_settings
    assert settings.review_thresholds == [90, 30, 7] and settings.chase_at_most == 3


def test_reminders_page_is_for_leaders_and_notifications_for_their_owner(school, login, reminder):
    services.reminder_deliver(reminder_id=reminder.pk)
    for username in ("teacher", "governor", "pupil7", "dsl"):
        assert login(username).get("/reminders/").status_code == 403
    note = Notification.objects.get()
    teacher = login("teacher")
    assert "Notifications (1 unread)" in teacher.get("/").content.decode()  # the account menu says so
    assert login("head").post(f"/reminders/notifications/{note.pk}/open/").status_code == 302
    note.refresh_from_db()
    assert note.read_at is None  # someone else's notification is untouched
    teacher = login("teacher")
    response = teacher.post(f"/reminders/notifications/{note.pk}/open/")
    assert response.url == note.url
    note.refresh_from_db()
    assert note.read_at is not None


class SeesTheReminderWhileSending:
    """A backend that looks at the reminder in the database at the moment the email goes out."""

    seen = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        from reminders.models import Reminder as Stored

        self.seen.extend(Stored.objects.values_list("status", "sending_since", "attempts"))
        mail.outbox.extend(messages)
        return len(messages)


@override_settings(EMAIL_BACKEND="tests.reminders.test_delivery.SeesTheReminderWhileSending")
def test_a_reminder_is_marked_sending_before_its_email_goes_out(school, reminder):
    SeesTheReminderWhileSending.seen.clear()
    assert services.reminder_deliver(reminder_id=reminder.pk) is True
    [(status, since, attempts)] = SeesTheReminderWhileSending.seen
    assert status == ReminderStatus.SENDING and since is not None and attempts == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.resends == 0


def test_a_send_interrupted_by_a_dead_worker_is_resent_once_with_the_same_message_id(
    school, reminder, settings, clock, client
):
    from audit.models import AuditEntry
    from people.seed import DEMO_PASSWORD
    from reminders.emails import message_id

    services.reminder_deliver(reminder_id=reminder.pk)
    first = mail.outbox[0].message()["Message-ID"]
    assert first == message_id(reminder)
    # As a worker killed after the SMTP server took the email leaves it: claimed, never committed.
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.SENDING, sent_at=None, sending_since=timezone.now()
    )
    Notification.objects.filter(reminder=reminder).delete()
    assert services.reminders_resume_interrupted() == []  # not stuck yet: its worker may be sending
    clock.shift(datetime.timedelta(seconds=settings.REMINDER_SENDING_TIMEOUT_SECONDS + 1))
    assert services.reminders_resume_interrupted() == [reminder.pk]
    assert services.reminders_resume_interrupted() == []  # once
    assert services.reminder_deliver(reminder_id=reminder.pk) is True
    assert [m.message()["Message-ID"] for m in mail.outbox] == [first, first]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.resends == 1
    assert AuditEntry.objects.filter(action="reminder.resend", record_id=str(reminder.pk)).count() == 1
    assert client.login(username="head", password=DEMO_PASSWORD)
    assert ">resent</span>" in client.get("/reminders/").content.decode()
