"""A new concern reaches the people who triage it at once, by email and in the app, with no details."""

from django.core import mail

from reminders.models import Notification, ReminderKind
from tests.breaches.conftest import friend_request_report


def test_a_staff_concern_emails_the_head_once_and_holds_no_names(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = friend_request_report(demo)
    sent = [m for m in mail.outbox if m.subject == f"A concern to triage: {case.reference}"]
    assert [m.to for m in sent] == [[demo["head"].email]]
    body = sent[0].body + sent[0].alternatives[0][0]
    assert "Jones" not in body and "Instagram" not in body and "Alex" not in body
    assert f"/breaches/cases/{case.pk}/" in body
    note = Notification.objects.get(recipient=demo["head"], reminder__kind=ReminderKind.NEW_REPORT)
    assert note.url == f"/breaches/cases/{case.pk}/"


def test_a_safeguarding_concern_goes_to_the_dsls(demo, django_capture_on_commit_callbacks):
    from breaches.choices import Category, Concerns

    with django_capture_on_commit_callbacks(execute=True):
        case = friend_request_report(
            demo, category=Category.RADICALISATION, concerns=Concerns.PUPIL, subject_person=demo["pupil10"]
        )
    sent = sorted(m.to[0] for m in mail.outbox if m.subject == f"A concern to triage: {case.reference}")
    assert sent == sorted(demo[u].email for u in ("head", "deputy", "dsl"))  # each holds the DSL role
