"""Triage and closing: the steps every track shares."""

from django.db import transaction
from django.utils import timezone

from glenwood.services import ServiceError
from policies.clauses import clause

from .. import permissions
from ..choices import AllegationOutcome, Category, ConcernLevel, Concerns, EntryKind, Status, Track
from ..deadlines import lado_due_on
from ..evidence import incident_moment, signature_for, suggest_clause
from .common import add_entry, audit, check_documents, move, require, with_note
from .reporting import check_policy_clause, concerns_for, is_headteacher

FIRST_STATUS = {
    Track.DISCIPLINARY: Status.ACCEPTED,
    Track.SAFEGUARDING: Status.SAFEGUARDING,
    Track.BEHAVIOUR: Status.BEHAVIOUR,
    Track.LOW_LEVEL: Status.LOW_LEVEL,
}


def triage_report(
    *,
    actor,
    case,
    accept: bool,
    track=None,
    category=None,
    change_reason="",
    concern_level="",
    immediate_risk=None,
    reason="",
    subject_person=None,
    policy_version=None,
    policy_clause=None,
    agreement_clause=None,
    allegation="",
    note="",
    documents=(),
) -> None:
    """Accept the report onto a track, or close it with no further action and a reason.

    The lead may name the person it concerns when the reporter could not (a pupil's report),
    and confirm the policy and agreement clauses; the person's latest signed agreement is found again.
    The allegation is what the person concerned will read, in the lead's words, not the reporter's.

    The lead may change the category and the track (a "misuse of IT" flag that is really a child
    at risk of self-harm), with a reason, written into the chronology. About an adult, the lead
    says whether it is an allegation (the LADO to be told within one working day) or a low-level
    concern (kept in its own confidential record).
    """
    require(permissions.may_triage(actor, case), "Only the headteacher or a DSL triages reports.")
    if case.status != Status.REPORTED:
        raise ServiceError("This report has already been triaged.")
    checked = check_documents(documents)
    if not accept:
        if not reason.strip():
            raise ServiceError("Give the reason for closing it with no further action.")
        with transaction.atomic():
            move(
                case, allowed_from=[Status.REPORTED], to=Status.CLOSED, triaged_by=actor,
                closed_at=timezone.now(), closed_reason=reason.strip(),
            )  # fmt: skip
            text = f"Closed with no further action: {reason.strip()}"
            add_entry(case, actor=actor, kind=EntryKind.TRIAGED, text=with_note(text, note), checked=checked)
            audit(actor, "case.closed_at_triage", case, reason=reason.strip())
        return

    fields = _identified(case, subject_person, actor)
    track = track or case.track
    category = category or case.category
    if category not in Category.values or track not in Track.values:
        raise ServiceError("Choose the category and the track from the lists.")
    concerns = fields.get("concerns", case.concerns)
    adult = concerns in (Concerns.STAFF, Concerns.VISITOR)
    if concern_level and concern_level not in ConcernLevel.values:
        raise ServiceError("Say whether it is an allegation, a low-level concern, or neither.")
    if concern_level and not adult:
        raise ServiceError("Allegations and low-level concerns are about adults at the school.")
    if concern_level == ConcernLevel.LOW_LEVEL or track == Track.LOW_LEVEL:
        track, concern_level = Track.LOW_LEVEL, ConcernLevel.LOW_LEVEL
    if track == Track.DISCIPLINARY and concerns == Concerns.PUPIL:
        raise ServiceError("A pupil's conduct follows the behaviour track, not the staff disciplinary one.")
    if track == Track.BEHAVIOUR and concerns != Concerns.PUPIL:
        raise ServiceError("The behaviour track is for pupils; choose the staff track or safeguarding.")
    if track == Track.LOW_LEVEL and not adult:
        raise ServiceError("Low-level concerns are about adults; a child's welfare goes to the DSL.")
    if track == Track.DISCIPLINARY and concern_level == ConcernLevel.ALLEGATION and not adult:
        raise ServiceError("An allegation is about an adult.")
    # Choosing "low-level concern" is itself the reason for its own record; other moves need one.
    changed = _changes(case, category, case.track if track == Track.LOW_LEVEL else track)
    if changed and not change_reason.strip():
        raise ServiceError("Give the reason for changing the category or the track.")
    today = timezone.localdate()
    if concern_level == ConcernLevel.ALLEGATION:
        fields.update(child_protection=True, lado_due_on=lado_due_on(today))
    if immediate_risk is not None:
        fields["immediate_risk"] = bool(immediate_risk)
    fields.update(category=category, concern_level=concern_level)
    if policy_version is not None:
        check_policy_clause(school=case.school, policy_version=policy_version, policy_clause=policy_clause)
        fields.update(policy_version=policy_version, policy_clause=policy_clause or None)
    signature = fields.get("signature", case.signature)
    if agreement_clause is not None and signature is not None:
        if agreement_clause and clause(signature.version.body, agreement_clause) is None:
            raise ServiceError(f"{signature.version} has no clause {agreement_clause}.")
        fields["agreement_clause"] = agreement_clause or None
    with transaction.atomic():
        move(
            case, allowed_from=[Status.REPORTED], to=FIRST_STATUS[track], track=track,
            triaged_by=actor, accepted_at=timezone.now(), allegation=allegation.strip(), **fields,
        )  # fmt: skip
        if changed:
            add_entry(
                case,
                actor=actor,
                kind=EntryKind.RECATEGORISED,
                text=f"{' '.join(changed)} Reason: {change_reason.strip()}",
            )
            audit(actor, "case.recategorised", case, changes=changed, reason=change_reason.strip())
        text = f"Accepted: {Track(track).label}."
        if concern_level:
            text += f" {ConcernLevel(concern_level).label}."
        if case.lado_due_on:
            text += f" Refer to the LADO by {case.lado_due_on:%-d %B %Y} (one working day)."
        add_entry(case, actor=actor, kind=EntryKind.TRIAGED, text=with_note(text, note), checked=checked)
        audit(
            actor, "case.accepted", case, track=track, identified=bool(subject_person),
            concern_level=concern_level,
        )  # fmt: skip
    return


def _changes(case, category, track) -> list[str]:
    """The chronology's words for a change of category or track at triage."""
    changes = []
    if category != case.category:
        changes.append(f"Category changed from {case.get_category_display()} to {Category(category).label}.")
    if track != case.track:
        changes.append(f"Track changed from {case.get_track_display()} to {Track(track).label}.")
    return changes


def _identified(case, subject_person, actor) -> dict:
    """Fields to save when the lead names the person a report concerns."""
    if subject_person is None or subject_person.pk == case.subject_person_id:
        return {}
    if case.subject_person_id is not None:
        raise ServiceError("The report already names the person it concerns.")
    if subject_person.school_id != case.school_id:
        raise ServiceError("The person it concerns must be at this school.")
    if subject_person.pk == actor.pk:
        raise ServiceError("Nobody leads a case about themselves: ask another lead to triage it.")
    if is_headteacher(subject_person) and not case.led_by_chair:
        # Naming the head moves the case to the chair; this lead cannot go on with it.
        raise ServiceError(
            "A concern about the headteacher goes to the chair of governors: tell the chair, who will "
            "ask for it to be reported to them."
        )
    signature = signature_for(
        subject_person, before=incident_moment(case.happened_on, case.happened_time, case.reported_at)
    )
    return {
        "subject_person": subject_person,
        "concerns": concerns_for(subject_person),
        "signature": signature,
        "agreement_clause": suggest_clause(signature.version.body, case.category) if signature else None,
    }


def close_case(*, actor, case, reason, allegation_outcome="", documents=()) -> None:
    """Close the case. About an adult (not a low-level concern), the lead records KCSIE's outcome of
    the allegation as it closes: a case triaged as an allegation cannot close without it."""
    require(permissions.may_direct(actor, case), "Only the case's leads close it.")
    if not permissions.closable(case, timezone.localdate()):
        if case.status == Status.OUTCOME and case.appeal_deadline:
            raise ServiceError(f"The window for an appeal is open until {case.appeal_deadline:%-d %B %Y}.")
        raise ServiceError(f"A case that is {case.get_status_display().lower()} cannot be closed yet.")
    if not reason.strip():
        raise ServiceError("Say why the case is closed.")
    fields = _allegation_outcome_fields(case, allegation_outcome)
    checked = check_documents(documents)
    with transaction.atomic():
        # One update: the row is not closed yet, so the database's "closed cases never change"
        # refusal lets the outcome in with the closing.
        move(
            case, allowed_from=[case.status], to=Status.CLOSED,
            closed_at=timezone.now(), closed_reason=reason.strip(), **fields,
        )  # fmt: skip
        if fields:
            add_entry(
                case, actor=actor, kind=EntryKind.ALLEGATION_OUTCOME,
                text=f"Outcome of the allegation (KCSIE Part 4): {case.get_allegation_outcome_display()}.",
            )  # fmt: skip
            audit(actor, "case.allegation_outcome_recorded", case, allegation_outcome=case.allegation_outcome)
        add_entry(case, actor=actor, kind=EntryKind.CLOSED, text=reason, checked=checked)
        audit(actor, "case.closed", case)


def _allegation_outcome_fields(case, outcome) -> dict:
    if not outcome:
        if case.needs_allegation_outcome:
            raise ServiceError(
                "Record the outcome of the allegation (substantiated, unsubstantiated, unfounded, false "
                "or malicious) before the case closes."
            )
        return {}
    if not case.takes_allegation_outcome:
        raise ServiceError("An allegation's outcome is recorded on a case about an adult at the school.")
    if outcome not in AllegationOutcome.values:
        raise ServiceError("Choose the outcome of the allegation from the list.")
    return {"allegation_outcome": outcome}
