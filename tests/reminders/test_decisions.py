"""Told at the right moment: governors when a decision waits, the head when they decide, and
nobody when a change is too minor to sign again."""

import datetime

import pytest
from django.core import mail

from agreements.models import Agreement, AgreementKind
from policies import services
from policies.models import Decision, VersionStatus
from reminders.models import Notification, ReminderKind

REVIEWED = datetime.date(2026, 11, 20)


@pytest.fixture
def submitted(demo, social_media, django_capture_on_commit_callbacks):
    version = services.version_draft(
        actor=demo["head"], policy=social_media, reviewed_on=REVIEWED, change_summary="WhatsApp added"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.version_submit(actor=demo["head"], version=version)
    version.refresh_from_db()
    return version


def test_each_governor_is_emailed_and_notified_that_a_decision_waits(demo, submitted):
    members = set(submitted.policy.approval_body.members.values_list("email", flat=True))
    assert demo["governor"].email in members and demo["chair"].email in members
    subject = f"Your decision is needed: Use of Social Media Policy, {submitted.label}"
    sent = [m for m in mail.outbox if m.subject == subject]
    assert sorted(m.to[0] for m in sent) == sorted(members)
    assert f"/policies/versions/{submitted.pk}/decide/" in sent[0].body
    assert "WhatsApp added" in sent[0].body
    note = Notification.objects.get(recipient=demo["governor"], reminder__kind=ReminderKind.DECISION_WAITING)
    assert note.url == f"/policies/versions/{submitted.pk}/decide/"
    assert not [m for m in mail.outbox if m.to == [demo["head"].email]]


def test_the_chair_asks_for_changes_lands_on_a_page_and_the_head_is_told(
    demo, login, submitted, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    chair = login("chair")
    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(
            f"/policies/versions/{submitted.pk}/decide/",
            {
                "decision": Decision.REQUEST_CHANGES,
                "comment": "Say which apps.",
                "shown_sha256": submitted.sha256,
            },
            follow=True,
        )
    assert response.status_code == 200, "after Request changes the chair lands on a page they can see"
    assert response.redirect_chain[-1][0] == f"/policies/{submitted.policy_id}/"
    assert "Decision recorded" in response.content.decode()
    sent = [m for m in mail.outbox if m.to == [demo["head"].email]]
    assert [m.subject for m in sent] == [
        f"The governors asked for changes to Use of Social Media Policy, {submitted.label}"
    ]
    assert "Say which apps." in sent[0].body
    assert Notification.objects.filter(
        recipient=demo["head"], reminder__kind=ReminderKind.DECISION_MADE
    ).exists()


def test_the_head_is_told_when_the_governors_approve(
    demo, login, submitted, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login("chair").post(
            f"/policies/versions/{submitted.pk}/decide/",
            {
                "decision": Decision.APPROVE,
                "minute_reference": "FGB/2026/41",
                "shown_sha256": submitted.sha256,
            },
            follow=True,
        )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == VersionStatus.APPROVED
    sent = [m for m in mail.outbox if m.to == [demo["head"].email]]
    assert [m.subject for m in sent] == [
        f"The governors approved Use of Social Media Policy, {submitted.label}"
    ]
    assert "ready for you to publish" in sent[0].body


def test_a_minor_change_is_not_announced(demo, publish_new_version, django_capture_on_commit_callbacks):
    staff = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    body = staff.policy.current_version.body.replace("confidential", "confidential at all times", 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_version(staff, body, minor=True)
    assert not [m for m in mail.outbox if m.subject.startswith("A new version of the")]
    assert not Notification.objects.filter(reminder__kind=ReminderKind.NEW_VERSION).exists()
