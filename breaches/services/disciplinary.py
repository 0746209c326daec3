"""The staff track: investigation, finding, hearing, outcome and appeal (Disciplinary Policy)."""

from django.db import transaction
from django.utils import timezone

from glenwood.services import ServiceError
from people.audiences import STAFF_ROLES
from people.models import Role

from .. import permissions
from ..choices import AppealResult, EntryKind, Finding, LetterKind, Outcome, Status, Track
from ..deadlines import appeal_deadline
from .common import add_entry, audit, check_documents, move, require, with_note
from .letters import write_letter


def _on_staff_track(case):
    if case.track != Track.DISCIPLINARY:
        raise ServiceError("This step belongs to the staff disciplinary track.")


def _check_independent(case, person, role_name):
    """Investigators and panel members must be free of the case: not its subject or its reporter."""
    if person.school_id != case.school_id or not person.is_active:
        raise ServiceError(f"The {role_name} must be someone at this school.")
    if person.pk == case.subject_person_id:
        raise ServiceError(f"The person the report concerns cannot be the {role_name}.")
    if person.pk == case.reported_by_id:
        raise ServiceError(f"The person who made the report cannot be the {role_name}.")


def assign_investigator(*, actor, case, investigator, note="", documents=()) -> None:
    require(
        permissions.may_direct(actor, case),
        "Only the headteacher (or the chair, for a case about the head) appoints the investigator.",
    )
    _on_staff_track(case)
    if case.status not in (Status.ACCEPTED, Status.INVESTIGATING):
        raise ServiceError("An investigator is assigned once the report is accepted, before the finding.")
    _check_independent(case, investigator, "investigating officer")
    if not investigator.has_role(*STAFF_ROLES):
        raise ServiceError("The investigating officer must be a member of staff.")
    checked = check_documents(documents)
    previous = case.investigator
    with transaction.atomic():
        move(
            case, allowed_from=[Status.ACCEPTED, Status.INVESTIGATING], to=Status.INVESTIGATING,
            investigator=investigator,
        )  # fmt: skip
        text = f"Investigating officer: {investigator}" + (f" (replacing {previous})" if previous else "")
        add_entry(case, actor=actor, kind=EntryKind.ASSIGNED, text=with_note(text, note), checked=checked)
        audit(actor, "case.investigator_assigned", case, investigator=investigator.pk)


def check_panel(case, panel):
    if not panel:
        raise ServiceError("Name the hearing panel.")
    for member in panel:
        _check_independent(case, member, "panel member")
        if member.pk == case.investigator_id:
            raise ServiceError(f"{member} investigated this case, so cannot sit on the hearing panel.")
        if not member.has_role(*STAFF_ROLES, Role.GOVERNOR, Role.CHAIR):
            raise ServiceError(f"{member} cannot sit on a panel: panels are staff and governors.")


def record_finding(*, actor, case, finding, summary, documents=()) -> None:
    """The investigation's conclusion: no case to answer, informal advice, or a formal hearing.

    The investigator does not choose the panel: the headteacher (or the chair) arranges the hearing.
    """
    require(
        permissions.may_record_finding(actor, case),
        "Only the investigating officer or the headteacher records the finding.",
    )
    _on_staff_track(case)
    if case.status != Status.INVESTIGATING:
        raise ServiceError("The finding follows the investigation.")
    if finding not in Finding.values:
        raise ServiceError("Choose the finding.")
    if not summary.strip():
        raise ServiceError("Summarise what the investigation found.")
    checked = check_documents(documents)
    with transaction.atomic():
        move(
            case, allowed_from=[Status.INVESTIGATING], to=Status.FINDING,
            finding=finding, finding_at=timezone.now(),
        )  # fmt: skip
        text = f"Finding: {Finding(finding).label}."
        if finding == Finding.HEARING:
            text += " The headteacher arranges the hearing and appoints its panel."
        add_entry(case, actor=actor, kind=EntryKind.FINDING, text=with_note(text, summary), checked=checked)
        audit(actor, "case.finding_recorded", case, finding=finding)


def record_hearing(*, actor, case, held_on, notes, panel=None, documents=()) -> None:
    require(
        permissions.may_record_hearing(actor, case), "Only the hearing panel or the headteacher records it."
    )
    _on_staff_track(case)
    if case.status != Status.FINDING or case.finding != Finding.HEARING or not case.hearing_on:
        raise ServiceError("There is no hearing arranged on this case.")
    if held_on is None or held_on > timezone.localdate():
        raise ServiceError("A hearing is recorded once it has been held: give the date it was held.")
    if not notes.strip():
        raise ServiceError("Record the notes of the hearing.")
    if panel is not None:
        panel = list(panel)
        check_panel(case, panel)
    checked = check_documents(documents)
    with transaction.atomic():
        move(case, allowed_from=[Status.FINDING], to=Status.HEARING_HELD, hearing_held_on=held_on)
        if panel is not None:
            case.panel.set(panel)
            case.__dict__.pop("_panel_ids", None)
        members = ", ".join(str(p) for p in case.panel.all())
        text = f"Hearing held on {held_on:%-d %B %Y}. Panel: {members}."
        add_entry(case, actor=actor, kind=EntryKind.HEARING, text=with_note(text, notes), checked=checked)
        audit(actor, "case.hearing_recorded", case, held_on=held_on.isoformat())


def record_outcome(*, actor, case, outcome, reasons, documents=()) -> None:
    """The panel's decision; the appeal window opens from today."""
    require(
        permissions.may_record_hearing(actor, case), "Only the hearing panel or the headteacher records it."
    )
    _on_staff_track(case)
    if case.status != Status.HEARING_HELD:
        raise ServiceError("The outcome is recorded after the hearing.")
    if outcome not in Outcome.values:
        raise ServiceError("Choose the outcome.")
    if not reasons.strip():
        raise ServiceError("Give the reasons for the outcome.")
    checked = check_documents(documents)
    now = timezone.now()
    deadline = appeal_deadline(timezone.localdate(now))
    with transaction.atomic():
        move(
            case, allowed_from=[Status.HEARING_HELD], to=Status.OUTCOME,
            outcome=outcome, outcome_at=now, appeal_deadline=deadline,
        )  # fmt: skip
        text = f"Outcome: {Outcome(outcome).label}. Appeal by {deadline:%-d %B %Y}."
        add_entry(case, actor=actor, kind=EntryKind.OUTCOME, text=with_note(text, reasons), checked=checked)
        write_letter(actor=actor, case=case, kind=LetterKind.OUTCOME, reasons=reasons.strip())
        audit(actor, "case.outcome_recorded", case, outcome=outcome, appeal_deadline=deadline.isoformat())


def lodge_appeal(*, actor, case, grounds, received_on=None, documents=()) -> None:
    """The member of staff appeals, or a lead records an appeal received by letter."""
    require(permissions.may_lodge_appeal(actor, case), "Only the person concerned appeals.")
    _on_staff_track(case)
    if case.status != Status.OUTCOME:
        raise ServiceError("An appeal is lodged against an outcome, once, while its window is open.")
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate() or received_on < timezone.localtime(case.outcome_at).date():
        raise ServiceError("The appeal must be received between the outcome and today.")
    if received_on > case.appeal_deadline:
        raise ServiceError(f"The window for an appeal closed on {case.appeal_deadline:%-d %B %Y}.")
    if not grounds.strip():
        raise ServiceError("Give the grounds of the appeal.")
    checked = check_documents(documents)
    with transaction.atomic():
        move(case, allowed_from=[Status.OUTCOME], to=Status.APPEAL_LODGED, appeal_lodged_on=received_on)
        text = f"Appeal received on {received_on:%-d %B %Y}. Grounds: {grounds.strip()}"
        add_entry(case, actor=actor, kind=EntryKind.APPEAL, text=text, checked=checked)
        audit(actor, "case.appeal_lodged", case, received_on=received_on.isoformat())


def decide_appeal(*, actor, case, result, reasons, outcome_after_appeal="", documents=()) -> None:
    require(
        permissions.may_decide_appeal(actor, case),
        "An appeal is decided by its appeal panel, people who took no part in the case before.",
    )
    _on_staff_track(case)
    if case.status != Status.APPEAL_LODGED:
        raise ServiceError("There is no appeal waiting for a decision.")
    if not permissions.appeal_panel_ids(case):
        raise ServiceError("The appeal panel has not been appointed.")
    if result not in AppealResult.values:
        raise ServiceError("Say whether the appeal is upheld or dismissed.")
    if result == AppealResult.UPHELD and outcome_after_appeal not in Outcome.values:
        raise ServiceError("An upheld appeal replaces the outcome: choose what it becomes.")
    if result == AppealResult.UPHELD and outcome_after_appeal == case.outcome:
        raise ServiceError("An upheld appeal changes the outcome; choose a different one or dismiss it.")
    if result == AppealResult.DISMISSED:
        outcome_after_appeal = ""
    if not reasons.strip():
        raise ServiceError("Give the reasons for the decision.")
    checked = check_documents(documents)
    with transaction.atomic():
        move(
            case, allowed_from=[Status.APPEAL_LODGED], to=Status.APPEAL_DECIDED, appeal_result=result,
            outcome_after_appeal=outcome_after_appeal, appeal_decided_at=timezone.now(),
        )  # fmt: skip
        text = f"Appeal {AppealResult(result).label.lower()}."
        if outcome_after_appeal:
            text += f" The outcome is now: {Outcome(outcome_after_appeal).label}."
        add_entry(
            case, actor=actor, kind=EntryKind.APPEAL_DECISION, text=with_note(text, reasons), checked=checked
        )
        write_letter(actor=actor, case=case, kind=LetterKind.APPEAL_OUTCOME, reasons=reasons.strip())
        audit(actor, "case.appeal_decided", case, result=result, outcome=outcome_after_appeal or case.outcome)


__all__ = [
    "assign_investigator",
    "check_panel",
    "decide_appeal",
    "lodge_appeal",
    "record_finding",
    "record_hearing",
    "record_outcome",
]
