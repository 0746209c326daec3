"""The member of staff concerned is told of each step by letter (Acas Code), by email and in the
portal, through a real Celery worker (tests/worker.py): suspension and its review, the
investigation meeting, the hearing invitation, the outcome, the appeal hearing and its outcome.

The test commits for real (`transactional_db`) so that the worker process sees each letter."""

import datetime
import email
import time

import pytest
from django.utils import timezone

from breaches import services
from breaches.choices import AppealResult, Finding, LetterKind, Outcome
from breaches.deadlines import add_working_days
from breaches.models import Letter
from reminders.models import Notification, Reminder, ReminderKind, ReminderStatus
from tests.breaches.conftest import ALLEGATION, friend_request_report, person

TIMEOUT = 120


@pytest.fixture
def school(transactional_db):
    """The demo school, made before the worker starts (while tasks still run in-process)."""
    from agreements.seed import seed_agreements
    from people.seed import seed_people
    from policies.seed import seed_policies

    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    return people


def wait_for(condition, what):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"Timed out waiting for {what}")


def emails_in(folder):
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(f.read_bytes()) for f in files]


def text_of(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def walk_the_procedure(demo):
    """A staff case from report to appeal decision, each step by the person whose step it is."""
    head, staff01, governor2 = demo["head"], person(demo, "staff01"), demo["governor2"]
    today = timezone.localdate()
    case = friend_request_report(demo)
    services.triage_report(actor=head, case=case, accept=True, allegation=ALLEGATION)
    services.assign_investigator(actor=head, case=case, investigator=demo["deputy"])
    services.suspend_staff(
        actor=head, case=case, suspended_on=today, review_on=today + datetime.timedelta(days=7),
        reason="So that the investigation can take place without contact with the pupils concerned.",
    )  # fmt: skip
    services.hold_investigation_meeting(
        actor=demo["deputy"], case=case, meeting_on=today + datetime.timedelta(days=2),
        meeting_time=datetime.time(15, 30), where="the deputy's office",
    )  # fmt: skip
    services.review_suspension(actor=head, case=case, lift=True, notes="The pupils have been spoken to.")
    services.record_finding(
        actor=demo["deputy"], case=case, finding=Finding.HEARING, summary="He accepted it."
    )
    # The invitation went out two weeks ago, recorded now: five working days' notice were given.
    services.arrange_hearing(
        actor=head, case=case, hearing_on=today, panel=[staff01, demo["governor"]],
        evidence="1. The screenshot of the Instagram friend request.\n2. The investigation meeting notes.",
        notice_sent_on=add_working_days(today - datetime.timedelta(days=21), 1),
    )  # fmt: skip
    services.record_hearing(actor=staff01, case=case, held_on=today, notes="He admitted it.")
    services.record_outcome(
        actor=staff01, case=case, outcome=Outcome.FINAL_WARNING,
        reasons="He accepted a pupil's friend request, against clause 6 of the staff agreement.",
    )  # fmt: skip
    services.lodge_appeal(actor=person(demo, "staff02"), case=case, grounds="Too harsh for a first matter.")
    services.arrange_appeal(actor=head, case=case, appeal_panel=[governor2], appeal_hearing_on=today)
    services.decide_appeal(
        actor=governor2, case=case, result=AppealResult.UPHELD, outcome_after_appeal=Outcome.FIRST_WARNING,
        reasons="A first matter, admitted at once.",
    )  # fmt: skip
    return case


def test_the_member_of_staff_receives_each_letter_by_email_and_in_the_portal(
    school, real_worker, tmp_path, client
):
    mail = tmp_path / "mail"
    real_worker(EMAIL_BACKEND="tests.support.slow_email.SlowFileBackend", EMAIL_FILE_PATH=mail)
    case = walk_the_procedure(school)
    staff02 = person(school, "staff02")
    letters = list(Letter.objects.filter(case=case).order_by("pk"))
    assert [letter.kind for letter in letters] == [
        LetterKind.SUSPENSION, LetterKind.INVESTIGATION_MEETING, LetterKind.SUSPENSION_REVIEW,
        LetterKind.HEARING, LetterKind.OUTCOME, LetterKind.APPEAL_HEARING, LetterKind.APPEAL_OUTCOME,
    ]  # fmt: skip
    assert {letter.recipient for letter in letters} == {staff02}

    to_staff02 = Reminder.objects.filter(recipient=staff02, kind=ReminderKind.CASE_LETTER)
    wait_for(lambda: to_staff02.filter(status=ReminderStatus.SENT).count() == 7, "seven letters sent")

    # By email: one each, the letter itself, to the member of staff only.
    theirs = [m for m in emails_in(mail) if m["To"] == staff02.email]
    assert sorted(m["Subject"] for m in theirs) == sorted(letter.subject for letter in letters)
    by_subject = {m["Subject"]: text_of(m) for m in theirs}
    hearing = by_subject[next(x.subject for x in letters if x.kind == LetterKind.HEARING)]
    assert ALLEGATION in hearing  # the allegation
    assert "The screenshot of the Instagram friend request" in hearing  # the evidence
    assert f"{timezone.localdate():%A %-d %B %Y}" in hearing  # the date
    assert "right to be accompanied" in hearing
    assert "at least five working days' notice" in hearing
    outcome = by_subject[next(x.subject for x in letters if x.kind == LetterKind.OUTCOME)]
    assert "Final written warning" in outcome and "against clause 6 of the staff agreement" in outcome
    assert "Your right of appeal" in outcome and f"{case.appeal_deadline:%-d %B %Y}" in outcome
    suspension = by_subject[next(x.subject for x in letters if x.kind == LetterKind.SUSPENSION)]
    assert "Suspension is a neutral act" in suspension
    appeal = by_subject[next(x.subject for x in letters if x.kind == LetterKind.APPEAL_OUTCOME)]
    assert "Your appeal is upheld" in appeal and "First written warning" in appeal

    # In the portal: on their notifications page, and every letter on their page of the case.
    notes = Notification.objects.filter(recipient=staff02, reminder__kind=ReminderKind.CASE_LETTER)
    assert notes.count() == 7 and {n.url for n in notes} == {f"/breaches/concerning-me/{case.pk}/"}
    client.force_login(staff02)
    page = client.get(f"/breaches/concerning-me/{case.pk}/").content.decode()
    for letter in letters:
        assert letter.subject in page
    assert "right to be accompanied" in page
