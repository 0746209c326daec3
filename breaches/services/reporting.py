"""Reporting a concern: anyone signed in, for anyone; the case starts here."""

from django.db import transaction
from django.utils import timezone

from glenwood.services import NotAllowed, ServiceError
from people.models import Role
from policies.clauses import clause
from policies.models import VersionStatus

from ..choices import (
    ALLEGATION_CATEGORIES,
    SAFEGUARDING_CATEGORIES,
    Category,
    Concerns,
    EntryKind,
    Source,
    Track,
)
from ..deadlines import triage_due_on
from ..evidence import incident_moment, signature_for, suggest_clause
from ..models import Case
from .common import add_entry, audit, check_documents


def concerns_for(person) -> str:
    """Whom a person at the school is, for a report: a pupil, a visitor, or (otherwise) staff."""
    if person.has_role(Role.PUPIL):
        return Concerns.PUPIL
    if person.has_role(Role.VISITOR):
        return Concerns.VISITOR
    return Concerns.STAFF


def suggest_track(*, category, concerns, source) -> str:
    """Child protection goes to the DSL; a pupil's breach to behaviour; an adult's to the head.

    A child-protection worry about an adult at the school is an allegation (KCSIE Part 4): the
    head (or the chair) handles it on the staff track, with the LADO, and the DSLs see it too.
    """
    adult = concerns in (Concerns.STAFF, Concerns.VISITOR)
    if adult and category in SAFEGUARDING_CATEGORIES and source != Source.PUPIL_FORM:
        return Track.DISCIPLINARY
    if category in SAFEGUARDING_CATEGORIES or source == Source.PUPIL_FORM:
        return Track.SAFEGUARDING
    if concerns == Concerns.PUPIL:
        return Track.BEHAVIOUR
    return Track.DISCIPLINARY


def is_headteacher(person) -> bool:
    return person is not None and person.has_role(Role.HEADTEACHER)


def child_protection_suspected(*, category, concerns) -> bool:
    return concerns in (Concerns.STAFF, Concerns.VISITOR) and category in ALLEGATION_CATEGORIES


def check_subject(*, school, concerns, subject_person):
    if concerns not in Concerns.values:
        raise ServiceError("Say whom the report concerns.")
    if subject_person is None:
        return
    if concerns == Concerns.UNKNOWN:
        raise ServiceError("A report about an unknown or external person cannot name someone at the school.")
    if subject_person.school_id != school.pk:
        raise ServiceError("The person it concerns must be at this school.")
    if concerns_for(subject_person) != concerns:
        raise ServiceError(f"{subject_person} is not {Concerns(concerns).label.lower()}.")


def check_policy_clause(*, school, policy_version, policy_clause):
    if policy_version is None:
        if policy_clause:
            raise ServiceError("Choose the policy the clause belongs to.")
        return
    if policy_version.policy.school_id != school.pk or policy_version.status != VersionStatus.PUBLISHED:
        raise ServiceError("Choose one of the school's current policies.")
    if policy_clause and clause(policy_version.body, policy_clause) is None:
        raise ServiceError(f"{policy_version} has no clause {policy_clause}.")


def report_concern(
    *,
    actor,
    category,
    what_happened,
    concerns=Concerns.UNKNOWN,
    subject_person=None,
    subject_description="",
    happened_on=None,
    happened_time=None,
    where="",
    policy_version=None,
    policy_clause=None,
    documents=(),
    source=None,
    immediate_risk=False,
) -> Case:
    """Anyone signed in may report. Finds the agreement the person concerned had signed before it.

    A report about the headteacher goes to the chair of governors; one marking a child at
    immediate risk is due the same day and reaches every DSL at once (reminders.receivers).
    """
    if not actor.is_active:
        raise NotAllowed("Sign in to report a concern.")
    school = actor.school
    if source is None:
        source = Source.PUPIL_FORM if actor.has_role(Role.PUPIL) else Source.FORM
    if category not in Category.values:
        raise ServiceError("Choose what kind of concern this is.")
    if not what_happened.strip():
        raise ServiceError("Say what happened.")
    if happened_on and happened_on > timezone.localdate():
        raise ServiceError("The day it happened cannot be in the future.")
    check_subject(school=school, concerns=concerns, subject_person=subject_person)
    check_policy_clause(school=school, policy_version=policy_version, policy_clause=policy_clause)
    checked = check_documents(documents)
    now = timezone.now()
    signature = signature_for(subject_person, before=incident_moment(happened_on, happened_time, now))
    with transaction.atomic():
        case = Case.objects.create(
            school=school,
            reported_at=now,
            led_by_chair=is_headteacher(subject_person),
            immediate_risk=bool(immediate_risk),
            child_protection=child_protection_suspected(category=category, concerns=concerns),
            track=suggest_track(category=category, concerns=concerns, source=source),
            source=source,
            category=category,
            concerns=concerns,
            subject_person=subject_person,
            subject_description=subject_description.strip(),
            what_happened=what_happened.strip(),
            happened_on=happened_on,
            happened_time=happened_time if happened_on else None,
            where=where.strip(),
            policy_version=policy_version,
            policy_clause=policy_clause or None,
            signature=signature,
            agreement_clause=suggest_clause(signature.version.body, category) if signature else None,
            reported_by=actor,
            step_due_on=triage_due_on(timezone.localdate(now), immediate_risk=immediate_risk),
        )
        kind = EntryKind.FLAGGED if source == Source.MONITORING else EntryKind.REPORTED
        add_entry(case, actor=actor, kind=kind, text=case.what_happened, checked=checked)
        audit(
            actor, "case.reported", case, source=source, track=case.track, documents=len(checked),
            led_by_chair=case.led_by_chair, immediate_risk=case.immediate_risk,
        )  # fmt: skip
    return case


def add_evidence(*, actor, case, documents, text="") -> None:
    """The reporter may send more evidence while the case is open (say a file was refused)."""
    if case.reported_by_id != actor.pk:
        raise NotAllowed("Only the person who made the report adds evidence to it this way.")
    if not case.is_open:
        raise ServiceError("This report is closed; speak to the headteacher or a DSL.")
    checked = check_documents(documents)
    if not checked:
        raise ServiceError("Choose a file to send.")
    with transaction.atomic():
        add_entry(case, actor=actor, kind=EntryKind.EVIDENCE, text=text, checked=checked)
        audit(actor, "case.evidence_added", case, documents=len(checked))
