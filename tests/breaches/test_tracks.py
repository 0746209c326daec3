"""The DSL's safeguarding track and the pupil behaviour track."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from breaches import services
from breaches.choices import Agency, Category, Concerns, ParentsToldBy, Sanction, Status, Track
from breaches.models import Referral
from glenwood.services import NotAllowed, ServiceError

from .conftest import person


@pytest.fixture
def concern(demo):
    """A teacher's worry about a Year 10 pupil: a safeguarding category goes to the DSL."""
    return services.report_concern(
        actor=demo["teacher"], category=Category.EXPLOITATION, concerns=Concerns.PUPIL,
        subject_person=demo["pupil10"], what_happened="An older man is messaging Alex and sending gifts.",
    )  # fmt: skip


def test_the_dsl_takes_actions_refers_and_records_the_outcome(demo, concern):
    assert concern.track == Track.SAFEGUARDING
    with pytest.raises(NotAllowed):
        services.triage_report(actor=demo["teacher"], case=concern, accept=True)
    services.triage_report(actor=demo["dsl"], case=concern, accept=True)
    concern.refresh_from_db()
    assert concern.status == Status.SAFEGUARDING
    with pytest.raises(NotAllowed):  # the school business manager is no DSL
        services.record_safeguarding_action(actor=demo["admin"], case=concern, action="x")
    services.record_safeguarding_action(actor=demo["dsl"], case=concern, action="Spoke to Alex; called home.")
    services.make_referral(
        actor=demo["dsl"], case=concern, agency=Agency.SOCIAL_CARE, referred_on=timezone.localdate(),
        reference="MASH-2026-118", notes="Strategy meeting tomorrow.",
    )  # fmt: skip
    services.make_referral(
        actor=demo["dsl"], case=concern, agency=Agency.POLICE, referred_on=timezone.localdate()
    )
    with pytest.raises(ServiceError, match="cannot be in the future"):
        services.make_referral(
            actor=demo["dsl"], case=concern, agency=Agency.POLICE,
            referred_on=timezone.localdate() + datetime.timedelta(days=1),
        )  # fmt: skip
    assert list(Referral.objects.filter(case=concern).values_list("agency", flat=True)) == [
        "social_care",
        "police",
    ]
    services.record_safeguarding_outcome(
        actor=demo["dsl"], case=concern, outcome="Child protection plan in place."
    )
    concern.refresh_from_db()
    assert (
        concern.status == Status.OUTCOME and concern.safeguarding_outcome == "Child protection plan in place."
    )
    services.close_case(actor=demo["dsl"], case=concern, reason="Plan reviewed by social care.")
    assert list(AuditEntry.objects.for_record(concern).order_by("id").values_list("action", flat=True)) == [
        "case.reported", "case.accepted", "case.safeguarding_action", "case.referral_made",
        "case.referral_made", "case.safeguarding_outcome", "case.closed",
    ]  # fmt: skip


def test_a_staff_step_is_refused_on_the_safeguarding_track(demo, concern):
    services.triage_report(actor=demo["dsl"], case=concern, accept=True)
    with pytest.raises(ServiceError, match="staff disciplinary track"):
        services.assign_investigator(actor=demo["head"], case=concern, investigator=demo["deputy"])
    with pytest.raises(ServiceError, match="cannot be closed yet"):
        services.close_case(actor=demo["dsl"], case=concern, reason="x")


def test_a_pupils_breach_of_their_agreement_gets_a_sanction(demo, agreements):
    case = services.report_concern(
        actor=demo["teacher"], category=Category.FRIEND_REQUEST, concerns=Concerns.PUPIL,
        subject_person=demo["pupil10"], what_happened="Alex sent me a friend request on Instagram; I declined it.",
    )  # fmt: skip
    assert case.track == Track.BEHAVIOUR
    assert case.signature == agreements["pupil10"] and case.agreement_clause == 10
    with pytest.raises(ServiceError, match="behaviour track, not the staff"):
        services.triage_report(actor=demo["head"], case=case, accept=True, track=Track.DISCIPLINARY)
    services.triage_report(actor=demo["head"], case=case, accept=True)
    with pytest.raises(NotAllowed):
        services.record_sanction(actor=demo["teacher"], case=case, sanction=Sanction.RESTORATIVE)
    with pytest.raises(ServiceError, match="when and how the parents or carers were told"):
        services.record_sanction(actor=demo["head"], case=case, sanction=Sanction.RESTORATIVE)
    services.record_sanction(
        actor=demo["head"], case=case, sanction=Sanction.RESTORATIVE, notes="Talked it through.",
        parents_told_on=timezone.localdate(), parents_told_how=ParentsToldBy.PHONE,
    )  # fmt: skip
    case.refresh_from_db()
    assert case.status == Status.OUTCOME and case.sanction == Sanction.RESTORATIVE
    assert (case.parents_told_on, case.parents_told_how) == (timezone.localdate(), ParentsToldBy.PHONE)
    assert "Parents or carers told on" in case.entries.get(kind="sanction").text
    services.close_case(actor=demo["dsl"], case=case, reason="Done.")


def test_a_lead_names_the_person_a_pupils_report_is_about(demo, agreements):
    case = services.report_concern(
        actor=demo["pupil7"], category=Category.PUPIL_CONTACT, what_happened="A teacher messaged me on Snapchat.",
        subject_description="Mr Jones?",
    )  # fmt: skip
    staff02 = person(demo, "staff02")
    services.triage_report(
        actor=demo["dsl"], case=case, accept=True, track=Track.DISCIPLINARY, subject_person=staff02,
        change_reason="A teacher's contact with a pupil: an allegation for the staff track.",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.subject_person == staff02 and case.concerns == Concerns.STAFF
    assert case.signature == agreements["staff02"] and case.agreement_clause == 4
    assert case.status == Status.ACCEPTED
