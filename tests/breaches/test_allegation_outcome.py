"""KCSIE Part 4: an allegation about an adult closes with its outcome (substantiated, unsubstantiated,
unfounded, false or malicious), recorded by the case's lead, in the chronology and the audit log."""

import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditEntry
from breaches import services
from breaches.choices import AllegationOutcome, Category, ConcernLevel, Concerns, EntryKind, Finding, Track
from breaches.models import Case
from glenwood.services import NotAllowed, ServiceError
from tests.audit.evidence_records import raw, read

from .conftest import friend_request_report, person


def _no_case_to_answer(demo, case, lead="head", investigator="deputy"):
    """Triaged as an allegation, investigated, and found no case to answer: ready to close."""
    lead = person(demo, lead)
    services.triage_report(
        actor=lead, case=case, accept=True, track=Track.DISCIPLINARY,
        concern_level=ConcernLevel.ALLEGATION, allegation="That you accepted a pupil's friend request.",
    )  # fmt: skip
    services.assign_investigator(actor=lead, case=case, investigator=person(demo, investigator))
    services.record_finding(
        actor=person(demo, investigator), case=case, finding=Finding.NO_CASE, summary="It was a former pupil."
    )
    return case


@pytest.fixture
def allegation(demo, agreements):
    return _no_case_to_answer(demo, friend_request_report(demo))


def test_an_allegation_does_not_close_without_its_outcome(demo, allegation):
    with pytest.raises(ServiceError, match="outcome of the allegation"):
        services.close_case(actor=demo["head"], case=allegation, reason="No case to answer.")
    allegation.refresh_from_db()
    assert allegation.is_open and allegation.allegation_outcome == ""


def test_the_head_records_the_outcome_as_the_case_closes_in_the_chronology_and_the_audit_log(
    demo, allegation, login
):
    services.close_case(
        actor=demo["head"], case=allegation, reason="No case to answer.",
        allegation_outcome=AllegationOutcome.UNFOUNDED,
    )  # fmt: skip
    case = Case.objects.get(pk=allegation.pk)
    assert case.status == "closed" and case.allegation_outcome == "unfounded"
    entry = case.entries.get(kind=EntryKind.ALLEGATION_OUTCOME)
    assert "Unfounded" in entry.text and entry.author == demo["head"]
    audit = AuditEntry.objects.get(action="case.allegation_outcome_recorded", record_id=str(case.pk))
    assert audit.actor == demo["head"] and audit.detail["allegation_outcome"] == "unfounded"

    page = login("head").get(f"/breaches/cases/{case.pk}/").content.decode()
    assert 'id="allegation-outcome"' in page and "Unfounded: no evidence or proper basis" in page


def test_once_closed_the_database_refuses_to_change_the_outcome(demo, allegation):
    services.close_case(actor=demo["head"], case=allegation, reason="Disproved.",
                        allegation_outcome=AllegationOutcome.FALSE)  # fmt: skip
    with pytest.raises(DatabaseError, match=r"(?i)never|cannot"), transaction.atomic():
        raw(
            'UPDATE "breaches_case" SET "allegation_outcome" = %s WHERE id = %s',
            ["substantiated", allegation.pk],
        )
    assert read("breaches_case", "allegation_outcome", allegation.pk) == "false"


def test_only_the_cases_lead_records_it(demo, allegation):
    for who in ("dsl", "deputy", "teacher"):
        with pytest.raises(NotAllowed):
            services.close_case(actor=person(demo, who), case=allegation, reason="Closed.",
                                allegation_outcome=AllegationOutcome.MALICIOUS)  # fmt: skip
    assert Case.objects.get(pk=allegation.pk).allegation_outcome == ""


def test_about_the_head_the_chair_records_it(demo, agreements):
    case = services.report_concern(
        actor=demo["teacher"], category=Category.INAPPROPRIATE_CONTACT, concerns=Concerns.STAFF,
        subject_person=demo["head"], what_happened="Messages to a Year 9 pupil late at night.",
    )  # fmt: skip
    assert case.led_by_chair
    _no_case_to_answer(demo, case, lead="chair", investigator="deputy")
    with pytest.raises(NotAllowed):
        services.close_case(actor=demo["dsl"], case=case, reason="Closed.",
                            allegation_outcome=AllegationOutcome.MALICIOUS)  # fmt: skip
    services.close_case(actor=demo["chair"], case=case, reason="Disproved by the phone records.",
                        allegation_outcome=AllegationOutcome.MALICIOUS)  # fmt: skip
    assert Case.objects.get(pk=case.pk).allegation_outcome == "malicious"


def test_the_close_form_asks_for_it_and_refuses_a_made_up_value(demo, allegation, login):
    head = login("head")
    url = f"/breaches/cases/{allegation.pk}/close/"
    form = head.get(url).content.decode()
    assert "Outcome of the allegation (KCSIE Part 4)" in form and 'value="malicious"' in form
    response = head.post(url, {"reason": "Disproved.", "allegation_outcome": "proven-ish"})
    assert response.status_code == 200 and Case.objects.get(pk=allegation.pk).is_open
    head.post(url, {"reason": "Disproved.", "allegation_outcome": "false"})
    assert Case.objects.get(pk=allegation.pk).allegation_outcome == "false"


def test_a_case_about_a_pupil_takes_no_allegation_outcome(demo, login):
    case = services.report_concern(
        actor=demo["teacher"], category=Category.BULLYING, concerns=Concerns.PUPIL,
        subject_person=demo["pupil7"], what_happened="Name-calling in a group chat.",
    )  # fmt: skip
    services.triage_report(actor=demo["dsl"], case=case, accept=True, track=Track.BEHAVIOUR)
    services.record_sanction(actor=demo["dsl"], case=case, sanction="restorative",
                             parents_told_on=case.reported_at.date(), parents_told_how="phone")  # fmt: skip
    assert (
        "Outcome of the allegation"
        not in login("dsl").get(f"/breaches/cases/{case.pk}/close/").content.decode()
    )
    with pytest.raises(ServiceError, match="about an adult"):
        services.close_case(actor=demo["dsl"], case=case, reason="Sorted.", allegation_outcome="false")
