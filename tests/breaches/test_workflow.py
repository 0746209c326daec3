"""The staff track step by step: each move, each refusal, one audit and chronology entry per step."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEntry
from breaches import services
from breaches.choices import AppealResult, Category, Concerns, EntryKind, Finding, Outcome, Status, Track
from breaches.deadlines import add_working_days
from breaches.models import Case, CaseEntry, EvidenceIsPermanent
from glenwood.services import NotAllowed, ServiceError

from .conftest import accepted, friend_request_report, hearing_arranged, investigating, outcome_given, person


def actions(case):
    return list(AuditEntry.objects.for_record(case).order_by("id").values_list("action", flat=True))


def entries(case):
    return list(CaseEntry.objects.filter(case=case).values_list("kind", "status_after"))


def test_a_report_finds_the_agreement_signed_and_suggests_its_clause(demo, agreements, report):
    assert report.status == Status.REPORTED
    assert report.track == Track.DISCIPLINARY
    assert report.signature == agreements["staff02"]
    assert report.agreement_clause == 6  # "I will decline any friend request..."
    assert report.policy_clause == 26
    assert report.step_due_on == add_working_days(timezone.localdate(), 1)
    assert actions(report) == ["case.reported"]
    assert entries(report) == [(EntryKind.REPORTED, Status.REPORTED)]


def test_a_report_checks_whom_it_concerns(demo, agreements):
    with pytest.raises(ServiceError, match="is not a pupil"):
        friend_request_report(demo, concerns=Concerns.PUPIL)
    with pytest.raises(ServiceError, match="cannot name someone"):
        friend_request_report(demo, concerns=Concerns.UNKNOWN)
    with pytest.raises(ServiceError, match="must be at this school"):
        friend_request_report(demo, subject_person=demo["hillside-teacher"])
    with pytest.raises(ServiceError, match="has no clause 99"):
        friend_request_report(demo, policy_clause=99)
    assert not Case.objects.exists()


def test_a_teacher_cannot_triage(demo, report):
    for username in ("teacher", "staff01", "admin", "chair", "pupil10", "hillside-head"):
        with pytest.raises(NotAllowed):
            services.triage_report(actor=person(demo, username), case=report, accept=True)
    report.refresh_from_db()
    assert report.status == Status.REPORTED
    assert actions(report) == ["case.reported"]


def test_triage_closes_with_no_further_action_only_with_a_reason(demo, report):
    with pytest.raises(ServiceError, match="Give the reason"):
        services.triage_report(actor=demo["head"], case=report, accept=False, reason=" ")
    with pytest.raises(NotAllowed):  # a staff-conduct matter with no child-protection element
        services.triage_report(actor=demo["dsl"], case=report, accept=False, reason="He declined it.")
    services.triage_report(actor=demo["head"], case=report, accept=False, reason="He declined it at once.")
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.closed_reason == "He declined it at once."
    assert report.step_due_on is None
    assert actions(report) == ["case.reported", "case.closed_at_triage"]


def test_triage_accepts_once(demo, report):
    accepted(demo, report)
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED and report.accepted_at and report.triaged_by == demo["head"]
    with pytest.raises(ServiceError, match="already been triaged"):
        services.triage_report(actor=demo["head"], case=report, accept=True)


def test_a_stale_page_cannot_triage_twice(demo, report):
    stale = Case.objects.get(pk=report.pk)
    accepted(demo, report)
    stale.status = Status.REPORTED  # what the second click's page still believed
    with pytest.raises(ServiceError, match="nothing was changed"):
        services.triage_report(actor=demo["head"], case=stale, accept=False, reason="duplicate")
    assert actions(report).count("case.accepted") == 1
    assert Case.objects.get(pk=report.pk).status == Status.ACCEPTED


def test_the_track_must_suit_whom_it_concerns(demo, report):
    with pytest.raises(ServiceError, match="behaviour track is for pupils"):
        services.triage_report(actor=demo["head"], case=report, accept=True, track=Track.BEHAVIOUR)


def test_nobody_leads_a_case_about_themselves(demo, agreements):
    about_head = friend_request_report(demo, subject_person=demo["head"])
    for not_them in ("head", "dsl", "deputy"):  # the head, and the DSLs the head line-manages
        with pytest.raises(NotAllowed):
            services.triage_report(actor=demo[not_them], case=about_head, accept=True)
    services.triage_report(actor=demo["chair"], case=about_head, accept=True)


def test_the_head_assigns_an_independent_investigator(demo, report):
    accepted(demo, report)
    with pytest.raises(NotAllowed):  # the DSL alone does not run the staff track
        services.assign_investigator(actor=demo["dsl"], case=report, investigator=demo["deputy"])
    with pytest.raises(ServiceError, match="made the report cannot be"):
        services.assign_investigator(actor=demo["head"], case=report, investigator=demo["teacher"])
    with pytest.raises(ServiceError, match="concerns cannot be"):
        services.assign_investigator(actor=demo["head"], case=report, investigator=person(demo, "staff02"))
    with pytest.raises(ServiceError, match="must be a member of staff"):
        services.assign_investigator(actor=demo["head"], case=report, investigator=demo["governor"])
    services.assign_investigator(actor=demo["head"], case=report, investigator=demo["deputy"], note="Urgent")
    report.refresh_from_db()
    assert report.status == Status.INVESTIGATING and report.investigator == demo["deputy"]
    assert report.step_due_on == timezone.localdate() + datetime.timedelta(days=20)
    assert (
        CaseEntry.objects.filter(case=report).last().text == "Investigating officer: David Okafor\n\nUrgent"
    )


def test_a_formal_hearing_is_arranged_by_the_head_with_an_independent_panel(demo, report):
    investigating(demo, report)
    today = timezone.localdate()
    with pytest.raises(NotAllowed):
        services.record_finding(actor=demo["teacher"], case=report, finding=Finding.NO_CASE, summary="x")
    services.record_finding(actor=demo["deputy"], case=report, finding=Finding.HEARING, summary="He did.")
    evidence = "The screenshot."
    with pytest.raises(NotAllowed):  # the investigator does not choose the panel
        services.arrange_hearing(
            actor=demo["deputy"], case=report, hearing_on=today, panel=[demo["chair"]], evidence=evidence
        )
    with pytest.raises(ServiceError, match="investigated this case, so cannot sit on the hearing panel"):
        services.arrange_hearing(
            actor=demo["head"], case=report, hearing_on=add_working_days(today, 5),
            panel=[demo["deputy"]], evidence=evidence,
        )  # fmt: skip
    with pytest.raises(ServiceError, match="panels are staff and governors"):
        services.arrange_hearing(
            actor=demo["head"], case=report, hearing_on=add_working_days(today, 5),
            panel=[demo["pupil7"]], evidence=evidence,
        )  # fmt: skip
    with pytest.raises(ServiceError, match="at least five working days' notice"):
        services.arrange_hearing(
            actor=demo["head"], case=report, hearing_on=add_working_days(today, 4),
            panel=[demo["chair"]], evidence=evidence,
        )  # fmt: skip
    hearing_on = add_working_days(today, 5)
    services.arrange_hearing(
        actor=demo["head"], case=report, hearing_on=hearing_on,
        panel=[demo["chair"], person(demo, "staff01")], evidence=evidence,
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.FINDING and report.finding == Finding.HEARING
    assert report.step_due_on == today + datetime.timedelta(days=5)  # the finding's step, unchanged
    assert report.hearing_on == hearing_on
    assert set(report.panel.values_list("username", flat=True)) == {"chair", "staff01"}


def test_no_case_to_answer_is_then_closed(demo, report):
    investigating(demo, report)
    services.record_finding(actor=demo["deputy"], case=report, finding=Finding.NO_CASE, summary="Not him.")
    with pytest.raises(ServiceError, match="There is no hearing"):
        services.record_hearing(actor=demo["head"], case=report, held_on=timezone.localdate(), notes="x")
    with pytest.raises(NotAllowed):
        services.close_case(actor=demo["dsl"], case=report, reason="x")  # a DSL, not the head
    services.close_case(actor=demo["head"], case=report, reason="No case to answer.")
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.closed_at
    with pytest.raises(ServiceError, match="closed"):
        services.add_case_note(actor=demo["head"], case=report, text="late")


def test_the_hearing_is_recorded_once_held(demo, report):
    hearing_arranged(demo, report)
    staff01 = person(demo, "staff01")
    with pytest.raises(ServiceError, match="once it has been held"):
        services.record_hearing(
            actor=staff01, case=report, held_on=timezone.localdate() + datetime.timedelta(days=1), notes="x"
        )
    with pytest.raises(NotAllowed):
        services.record_hearing(actor=demo["teacher"], case=report, held_on=timezone.localdate(), notes="x")
    services.record_hearing(actor=staff01, case=report, held_on=timezone.localdate(), notes="He admitted it.")
    report.refresh_from_db()
    assert report.status == Status.HEARING_HELD and report.hearing_held_on == timezone.localdate()


def test_the_outcome_opens_an_appeal_window_of_ten_working_days(demo, report):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)):  # a Friday
        outcome_given(demo, report, Outcome.FIRST_WARNING)
        report.refresh_from_db()
        assert report.status == Status.OUTCOME and report.outcome == Outcome.FIRST_WARNING
        assert report.appeal_deadline == datetime.date(2026, 12, 4)
        with pytest.raises(ServiceError, match="open until 4 December 2026"):
            services.close_case(actor=demo["head"], case=report, reason="Done")
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)):
        with pytest.raises(ServiceError, match="closed on 4 December 2026"):
            services.lodge_appeal(actor=person(demo, "staff02"), case=report, grounds="Unfair")
        services.close_case(actor=demo["head"], case=report, reason="No appeal was made.")
    assert Case.objects.get(pk=report.pk).status == Status.CLOSED


def test_add_working_days_skips_weekends():
    assert add_working_days(datetime.date(2026, 11, 20), 1) == datetime.date(2026, 11, 23)
    assert add_working_days(datetime.date(2026, 11, 23), 10) == datetime.date(2026, 12, 7)


def test_an_appeal_is_lodged_by_the_person_and_heard_by_a_panel_not_involved_before(demo, report):
    outcome_given(demo, report, Outcome.FINAL_WARNING)
    staff02 = person(demo, "staff02")
    with pytest.raises(NotAllowed):
        services.lodge_appeal(actor=demo["teacher"], case=report, grounds="He did nothing")
    services.lodge_appeal(actor=staff02, case=report, grounds="Too harsh for a first matter.")
    report.refresh_from_db()
    assert report.status == Status.APPEAL_LODGED and report.appeal_lodged_on == timezone.localdate()
    # The head who led the case cannot overturn the panel alone: the appeal panel decides.
    with pytest.raises(NotAllowed):
        services.decide_appeal(actor=demo["head"], case=report, result=AppealResult.DISMISSED, reasons="x")
    today = timezone.localdate()
    # Everyone involved before: the reporter, the investigator, the hearing panel, the head who triaged.
    for involved in ("teacher", "deputy", "staff01", "governor", "head"):
        with pytest.raises(ServiceError, match="involved in the case before"):
            services.arrange_appeal(
                actor=demo["head"],
                case=report,
                appeal_panel=[person(demo, involved)],
                appeal_hearing_on=today,
            )
    appeal_panel = [demo["governor2"], demo["governor3"]]
    services.arrange_appeal(
        actor=demo["head"], case=report, appeal_panel=appeal_panel, appeal_hearing_on=today
    )
    with pytest.raises(ServiceError, match="choose what it becomes"):
        services.decide_appeal(actor=demo["governor2"], case=report, result=AppealResult.UPHELD, reasons="x")
    services.decide_appeal(
        actor=demo["governor2"], case=report, result=AppealResult.UPHELD,
        outcome_after_appeal=Outcome.FIRST_WARNING, reasons="A first matter.",
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.APPEAL_DECIDED and report.final_outcome == "First written warning"
    services.close_case(actor=demo["head"], case=report, reason="Appeal decided.")


def test_every_step_is_one_audit_entry_and_one_chronology_line(demo, report):
    outcome_given(demo, report)
    assert actions(report) == [
        "case.reported", "case.accepted", "case.investigator_assigned", "case.finding_recorded",
        "case.hearing_arranged", "case.hearing_recorded", "case.outcome_recorded",
    ]  # fmt: skip
    assert [kind for kind, _ in entries(report)] == [
        EntryKind.REPORTED, EntryKind.TRIAGED, EntryKind.ASSIGNED, EntryKind.FINDING,
        EntryKind.HEARING_ARRANGED, EntryKind.LETTER, EntryKind.HEARING, EntryKind.OUTCOME, EntryKind.LETTER,
    ]  # fmt: skip


def test_notes_come_from_those_on_the_case_only(demo, report):
    investigating(demo, report)
    services.add_case_note(actor=demo["deputy"], case=report, text="Spoke to Alex's tutor.")
    for outsider in ("teacher", "staff02", "governor", "hillside-head"):
        with pytest.raises(NotAllowed):
            services.add_case_note(actor=person(demo, outsider), case=report, text="x")
    with pytest.raises(ServiceError, match="Write a note"):
        services.add_case_note(actor=demo["head"], case=report, text=" ")


def test_a_lado_referral_on_the_staff_track(demo, report):
    accepted(demo, report)
    with pytest.raises(ServiceError, match="refer to the LADO or the police"):
        services.make_referral(
            actor=demo["head"], case=report, agency="social_care", referred_on=timezone.localdate()
        )
    referral = services.make_referral(
        actor=demo["head"], case=report, agency="lado", referred_on=timezone.localdate(), reference="LADO-77"
    )
    assert referral.entry.text.startswith("Referred to LADO") and "LADO-77" in referral.entry.text


def test_the_chronology_is_never_changed(demo, report):
    entry = CaseEntry.objects.get(case=report)
    entry.text = "rewritten"
    with pytest.raises(EvidenceIsPermanent):
        entry.save()
    with pytest.raises(EvidenceIsPermanent):
        CaseEntry.objects.filter(case=report).update(text="x")
    with pytest.raises(EvidenceIsPermanent):
        entry.delete()


def test_a_pupils_report_goes_to_the_dsl(demo):
    case = services.report_concern(
        actor=demo["pupil7"], category=Category.OTHER, what_happened="Someone keeps messaging me.",
        subject_description="someone called jj_2009",
    )  # fmt: skip
    assert case.track == Track.SAFEGUARDING and case.concerns == Concerns.UNKNOWN


def test_each_steps_follow_up_is_written_with_it_and_handed_on_only_after_commit(
    demo, agreements, django_capture_on_commit_callbacks, mailoutbox
):
    """The report's email to the headteacher is an outbox row of the report's own transaction: it
    cannot be lost once the report is saved, is not sent before the commit, and a report that
    rolls back asks for nothing."""
    from django.db import transaction

    from glenwood.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = friend_request_report(demo)
    waiting = OutboxMessage.objects.get(task="reminders.tasks.announce_new_report")
    assert waiting.args == [case.pk] and waiting.handed_at is None and waiting.done_at is None
    assert mailoutbox == []  # nothing is said before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the commit: handed on (run here, the tests' tasks being eager)
    waiting.refresh_from_db()
    assert waiting.done_at is not None
    assert [m.to for m in mailoutbox] == [[demo["head"].email]]

    with pytest.raises(RuntimeError), transaction.atomic():
        friend_request_report(demo)
        raise RuntimeError("the step fails after the report was written")
    assert OutboxMessage.objects.filter(task="reminders.tasks.announce_new_report").count() == 1


def test_the_database_keeps_a_closed_case_closed(demo, report):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=report.pk).update(status=Status.CLOSED)  # no closed_at: refused
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=report.pk).update(status=Status.INVESTIGATING)  # no investigator: refused
