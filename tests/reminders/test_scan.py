"""Frozen-clock tests of each reminder interval, the weekly repeats and catching up after a missed day."""

import datetime

import pytest
from django.core import mail

from policies import services as policy_services
from policies.models import Decision, Policy
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderSettings

from .conftest import at


def run_day(clock, day):
    at(clock, day)
    services.reminders_scan()
    for reminder_id in services.pending_ids():
        services.reminder_deliver(reminder_id=reminder_id)


def cycles(kind, person=None):
    found = Reminder.objects.filter(kind=kind)
    if person is not None:
        found = found.filter(recipient=person)
    return list(found.order_by("created_at", "pk").values_list("cycle", flat=True))


@pytest.fixture
def online_safety(school):
    # Reviewed 1 March 2026, so its next review falls on 1 March 2027.
    version = Policy.objects.get(school=school["glenwood"], title="Online Safety Policy").current_version
    assert version.next_review_on == datetime.date(2027, 3, 1)
    return version


def review_cycles(version, person):
    return [c.split(":", 2)[2] for c in cycles(ReminderKind.REVIEW_DUE, person) + cycles(ReminderKind.REVIEW_OVERDUE, person)
            if c.startswith(f"review:{version.pk}:")]  # fmt: skip


def test_60_30_and_7_days_before_then_weekly_once_overdue(school, clock, online_safety):
    head, chair = school["head"], school["chair"]
    due = online_safety.next_review_on
    run_day(clock, due - datetime.timedelta(days=61))
    assert review_cycles(online_safety, head) == []
    for days_before in (60, 59, 45, 31):
        run_day(clock, due - datetime.timedelta(days=days_before))
    assert review_cycles(online_safety, head) == ["before:60"]
    run_day(clock, due - datetime.timedelta(days=30))
    run_day(clock, due - datetime.timedelta(days=8))
    assert review_cycles(online_safety, head) == ["before:60", "before:30"]
    run_day(clock, due - datetime.timedelta(days=7))
    run_day(clock, due)
    assert review_cycles(online_safety, head) == ["before:60", "before:30", "before:7"]
    assert review_cycles(online_safety, chair) == []  # the chair hears only once it is overdue
    for days_after in (1, 2, 7, 8, 14, 15):
        run_day(clock, due + datetime.timedelta(days=days_after))
    weekly = ["overdue:0", "overdue:1", "overdue:2"]
    assert review_cycles(online_safety, head)[3:] == weekly
    assert review_cycles(online_safety, chair) == weekly
    subjects = [m.subject for m in mail.outbox if "Online Safety" in m.subject]
    assert subjects.count("Overdue for review: Online Safety Policy") == 6  # head and chair, three weeks


def test_a_missed_day_is_caught_up_once(school, clock, online_safety):
    head = school["head"]
    due = online_safety.next_review_on
    run_day(clock, due - datetime.timedelta(days=60))
    # The job did not run on the 30-day mark; the next day's run sends the 30-day reminder once.
    run_day(clock, due - datetime.timedelta(days=29))
    run_day(clock, due - datetime.timedelta(days=29))
    run_day(clock, due - datetime.timedelta(days=28))
    assert review_cycles(online_safety, head) == ["before:60", "before:30"]
    assert len([m for m in mail.outbox if m.to == [head.email] and "Online Safety" in m.subject]) == 2


def test_first_scan_close_to_the_date_sends_only_the_nearest_notice(school, clock, online_safety):
    run_day(clock, online_safety.next_review_on - datetime.timedelta(days=5))
    assert review_cycles(online_safety, school["head"]) == ["before:7"]


def test_overdue_reminders_stop_once_a_new_version_is_approved(school, clock):
    head, chair = school["head"], school["chair"]
    policy = Policy.objects.get(
        school=school["glenwood"], title="Use of Social Media Policy"
    )  # overdue since 2019
    run_day(clock, datetime.date(2026, 9, 1))
    assert len(review_cycles(policy.current_version, chair)) == 1
    draft = policy_services.version_draft(actor=head, policy=policy, reviewed_on=datetime.date(2026, 9, 2))
    policy_services.version_submit(actor=head, version=draft)
    draft.refresh_from_db()
    policy_services.version_decide(
        actor=chair,
        version=draft,
        decision=Decision.APPROVE,
        shown_sha256=draft.sha256,
        minute_reference="FGB/1",
    )
    run_day(clock, datetime.date(2026, 9, 20))
    assert len(review_cycles(policy.current_version, chair)) == 1


def test_a_school_can_change_its_intervals(school, clock, online_safety):
    ReminderSettings.objects.create(school=school["glenwood"], review_days_before="90,14")
    run_day(clock, online_safety.next_review_on - datetime.timedelta(days=60))
    assert review_cycles(online_safety, school["head"]) == ["before:90"]
    run_day(clock, online_safety.next_review_on - datetime.timedelta(days=14))
    assert review_cycles(online_safety, school["head"]) == ["before:90", "before:14"]


def test_signing_chasers_after_3_days_then_weekly_up_to_the_limit(school, clock):
    teacher = school["teacher"]
    start = datetime.date(2026, 9, 1)
    run_day(clock, start + datetime.timedelta(days=2))
    assert cycles(ReminderKind.SIGNING_CHASE, teacher) == []
    for day in (3, 4, 9, 10, 17, 24, 31, 38, 45):
        run_day(clock, start + datetime.timedelta(days=day))
    chased = cycles(ReminderKind.SIGNING_CHASE, teacher)
    assert [c.rsplit(":", 1)[1] for c in chased] == ["1", "2", "3", "4"]  # the school's default limit
    assert len([m for m in mail.outbox if m.to == [teacher.email] and "sign" in m.subject]) == 4
    # Those who signed or declined are not chased.
    assert cycles(ReminderKind.SIGNING_CHASE, school["head"]) == []
    assert not Reminder.objects.filter(
        kind=ReminderKind.SIGNING_CHASE, recipient__username="staff20"
    ).exists()


def test_weekly_digest_for_admins_once_a_week_caught_up_if_missed(school, clock):
    admin = school["admin"]
    run_day(clock, datetime.date(2026, 9, 1))  # Tuesday: Monday's digest was missed, caught up now
    run_day(clock, datetime.date(2026, 9, 2))
    assert len(cycles(ReminderKind.ADMIN_DIGEST, admin)) == 1
    run_day(clock, datetime.date(2026, 9, 7))  # the next Monday
    assert len(cycles(ReminderKind.ADMIN_DIGEST, admin)) == 2
    digest = [m for m in mail.outbox if m.to == [admin.email] and "outstanding" in m.subject][-1]
    assert "Staff Acceptable Use Agreement: 16 of 25 signed" in digest.body
    assert "Tara Quinn" in digest.body


def test_each_email_has_text_and_html(school, clock, online_safety):
    run_day(clock, online_safety.next_review_on - datetime.timedelta(days=30))
    message = next(m for m in mail.outbox if "Online Safety" in m.subject)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<a href=" in html
    assert f"/policies/{online_safety.policy_id}/" in message.body
