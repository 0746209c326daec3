"""The governors' meeting the head names when submitting a policy: each governor who has not yet
decided is emailed a few days before it, once, however often the daily job runs."""

import datetime

import pytest
from django.core import mail

from policies import services as policy_services
from policies.models import Decision, Policy
from reminders import services
from reminders.models import Reminder, ReminderKind

from .conftest import START, at

MEETING = datetime.date(2026, 9, 24)  # a Thursday; the reminder falls three days before


def run_day(clock, day):
    at(clock, day)
    services.reminders_scan()
    for reminder_id in services.pending_ids():
        services.reminder_deliver(reminder_id=reminder_id)


def meeting_emails():
    return [m for m in mail.outbox if m.subject.startswith("Before the meeting on")]


@pytest.fixture
def submitted(school):
    policy = Policy.objects.get(school=school["glenwood"], title="Use of Social Media Policy")
    version = policy_services.version_draft(
        actor=school["head"], policy=policy, reviewed_on=START.date(), change_summary="TikTok named"
    )
    policy_services.version_submit(actor=school["head"], version=version, meeting_on=MEETING)
    version.refresh_from_db()
    return version


def test_each_undecided_governor_is_reminded_once_three_days_before_the_meeting(
    school, clock, submitted, settings
):
    assert settings.MEETING_REMINDER_DAYS_BEFORE == 3
    # One governor decides at once (the chair's decision settles it, so the version stays submitted).
    policy_services.version_decide(
        actor=school["governor"], version=submitted, decision=Decision.APPROVE,
        shown_sha256=submitted.sha256, minute_reference="FGB/2026/20",
    )  # fmt: skip
    mail.outbox.clear()

    run_day(clock, MEETING - datetime.timedelta(days=4))
    assert meeting_emails() == []

    run_day(clock, MEETING - datetime.timedelta(days=3))
    sent = meeting_emails()
    undecided = {school[name].email for name in ("chair", "governor2", "governor3")}
    assert sorted(m.to[0] for m in sent) == sorted(undecided)  # not the governor who decided
    email = next(m for m in sent if m.to == [school["chair"].email])
    assert email.subject == "Before the meeting on 24 September: your decision on Use of Social Media Policy"
    assert "meets on Thursday 24 September 2026" in email.body
    assert f"/policies/versions/{submitted.pk}/decide/" in email.body
    html = email.alternatives[0][0]
    assert "Thursday 24 September 2026" in html and "TikTok named" in html

    # The beat job runs twice, and again the next day: still one email each.
    run_day(clock, MEETING - datetime.timedelta(days=3))
    services.reminders_scan()
    run_day(clock, MEETING - datetime.timedelta(days=2))
    assert len(meeting_emails()) == 3
    assert Reminder.objects.filter(kind=ReminderKind.DECISION_MEETING).count() == 3


def test_no_reminder_without_a_meeting_date(school, clock):
    policy = Policy.objects.get(school=school["glenwood"], title="Use of Social Media Policy")
    version = policy_services.version_draft(actor=school["head"], policy=policy, reviewed_on=START.date())
    policy_services.version_submit(actor=school["head"], version=version)
    run_day(clock, MEETING - datetime.timedelta(days=3))
    assert meeting_emails() == []


def test_a_meeting_already_past_is_refused(school, clock):
    from glenwood.services import ServiceError

    policy = Policy.objects.get(school=school["glenwood"], title="Use of Social Media Policy")
    version = policy_services.version_draft(actor=school["head"], policy=policy, reviewed_on=START.date())
    with pytest.raises(ServiceError, match="meeting date has passed"):
        policy_services.version_submit(
            actor=school["head"], version=version, meeting_on=START.date() - datetime.timedelta(days=1)
        )
