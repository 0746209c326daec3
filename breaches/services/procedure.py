"""The fair procedure around a staff case (Acas Code, KCSIE Part 4): the trust's nominated person,
the LADO's advice, investigation meetings, suspension and its reviews, the hearing and appeal
panels the headteacher (or the chair) appoints, and what follows dismissal or resignation."""

import datetime

from django.db import transaction
from django.utils import timezone

from glenwood.services import ServiceError
from people.models import Role

from .. import permissions
from ..choices import EntryKind, Finding, LeavingReason, LetterKind, Outcome, Status, Track
from ..deadlines import earliest_hearing
from ..models import CaseEntry
from .common import add_entry, audit, check_documents, require, save_fields, with_note
from .disciplinary import check_panel
from .letters import write_letter

NOT_LEAD = "Only the headteacher (or the chair, for a case about the head) takes this step."


def _staff_case(case):
    if case.track != Track.DISCIPLINARY:
        raise ServiceError("This step belongs to the staff disciplinary track.")


def _day(value, what) -> datetime.date:
    if value is None:
        raise ServiceError(f"Give the date {what}.")
    return value


def involve_trust(*, actor, case, person, note="") -> None:
    """The chair involves the trust's nominated person in a case about the headteacher."""
    require(case.led_by_chair and permissions.may_direct(actor, case), "Only the chair involves the trust.")
    if case.nominated_person_id:
        raise ServiceError("The trust's nominated person is already involved.")
    if not person.has_role(Role.TRUST_ADMIN) or person.school.trust_id != case.school.trust_id:
        raise ServiceError("Choose the trust's nominated person: someone who works for the trust.")
    if person.pk in (case.subject_person_id, case.reported_by_id):
        raise ServiceError("The trust's nominated person must be free of the case.")
    with transaction.atomic():
        save_fields(case, nominated_person=person)
        add_entry(
            case,
            actor=actor,
            kind=EntryKind.TRUST_INVOLVED,
            text=with_note(f"{person} involved for the trust.", note),
        )
        audit(actor, "case.trust_involved", case, person=person.pk)


def record_lado_advice(*, actor, case, advice, advised_on, reference="") -> None:
    """What the LADO advised (the threshold met or not, who does what next), in the chronology."""
    require(permissions.may_direct(actor, case), "Only the case's leads record the LADO's advice.")
    if not case.lado_due_on:
        raise ServiceError("This case was not triaged as an allegation for the LADO.")
    if not advice.strip():
        raise ServiceError("Write down the LADO's advice.")
    if advised_on is None or advised_on > timezone.localdate():
        raise ServiceError("Give the day the LADO advised; it cannot be in the future.")
    with transaction.atomic():
        save_fields(case, lado_advice=advice.strip(), lado_advice_on=advised_on)
        text = f"The LADO advised on {advised_on:%-d %B %Y}"
        text += f" (their reference {reference.strip()}):" if reference.strip() else ":"
        add_entry(case, actor=actor, kind=EntryKind.LADO_ADVICE, text=f"{text} {advice.strip()}")
        audit(actor, "case.lado_advice_recorded", case, advised_on=advised_on.isoformat())


def hold_investigation_meeting(
    *, actor, case, meeting_on, meeting_time=None, where="", notes="", documents=()
) -> None:
    """An investigation meeting with the member of staff. A future one: they get the invitation
    letter. One already held (recorded afterwards): the date and notes go into the chronology."""
    require(
        permissions.may_hold_meeting(actor, case), "Only the investigator or the headteacher arranges it."
    )
    _staff_case(case)
    if case.status != Status.INVESTIGATING:
        raise ServiceError("Investigation meetings happen during the investigation.")
    meeting_on = _day(meeting_on, "of the meeting")
    held = meeting_on < timezone.localdate()
    if held and not notes.strip():
        raise ServiceError("For a meeting already held, record what was said.")
    checked = check_documents(documents)
    with transaction.atomic():
        if held:
            text = with_note(
                f"Investigation meeting held on {meeting_on:%-d %B %Y} (recorded afterwards).", notes
            )
        else:
            text = with_note(f"Investigation meeting arranged for {meeting_on:%-d %B %Y}.", notes)
        add_entry(case, actor=actor, kind=EntryKind.MEETING, text=text, checked=checked)
        if not held:
            write_letter(
                actor=actor, case=case, kind=LetterKind.INVESTIGATION_MEETING,
                meeting_on=meeting_on, meeting_time=meeting_time, where=where.strip(),
            )  # fmt: skip
        audit(actor, "case.meeting", case, meeting_on=meeting_on.isoformat(), held=held)


def suspend_staff(*, actor, case, suspended_on, review_on, reason="") -> None:
    """Suspension on full pay: a neutral act, with a date for its first review."""
    require(permissions.may_direct(actor, case), NOT_LEAD)
    _staff_case(case)
    if case.suspended_on and not case.suspension_lifted_on:
        raise ServiceError("They are already suspended: review the suspension instead.")
    if case.status not in (Status.ACCEPTED, Status.INVESTIGATING, Status.FINDING):
        raise ServiceError("Suspension is considered while the allegation is investigated.")
    suspended_on, review_on = (
        _day(suspended_on, "the suspension starts"),
        _day(review_on, "of the first review"),
    )
    if review_on <= suspended_on:
        raise ServiceError("The first review comes after the suspension starts.")
    with transaction.atomic():
        save_fields(case, suspended_on=suspended_on,
            suspension_review_on=review_on, suspension_lifted_on=None,
        )  # fmt: skip
        text = f"Suspended on full pay from {suspended_on:%-d %B %Y} (a neutral act); review on {review_on:%-d %B %Y}."
        add_entry(case, actor=actor, kind=EntryKind.SUSPENSION, text=with_note(text, reason))
        write_letter(actor=actor, case=case, kind=LetterKind.SUSPENSION, reason=reason.strip())
        audit(actor, "case.suspended", case, review_on=review_on.isoformat())


def review_suspension(*, actor, case, lift: bool, next_review_on=None, notes="") -> None:
    require(permissions.may_direct(actor, case), NOT_LEAD)
    _staff_case(case)
    if not case.suspended_on or case.suspension_lifted_on:
        raise ServiceError("They are not suspended.")
    today = timezone.localdate()
    if lift:
        fields, text = (
            {"suspension_lifted_on": today},
            f"Suspension reviewed and lifted on {today:%-d %B %Y}.",
        )
    else:
        next_review_on = _day(next_review_on, "of the next review")
        if next_review_on <= today:
            raise ServiceError("The next review must be after today.")
        fields = {"suspension_review_on": next_review_on}
        text = (
            f"Suspension reviewed on {today:%-d %B %Y}: it continues; next review {next_review_on:%-d %B %Y}."
        )
    with transaction.atomic():
        save_fields(case, **fields)
        add_entry(case, actor=actor, kind=EntryKind.SUSPENSION, text=with_note(text, notes))
        write_letter(
            actor=actor, case=case, kind=LetterKind.SUSPENSION_REVIEW, lifted=lift, notes=notes.strip()
        )
        audit(actor, "case.suspension_reviewed", case, lifted=lift)


def arrange_hearing(
    *,
    actor,
    case,
    hearing_on,
    panel,
    evidence,
    hearing_time=None,
    where="",
    notice_sent_on=None,
    documents=(),
) -> None:
    """The headteacher (or the chair) appoints the panel and invites the member of staff, with at
    least five working days' notice. `notice_sent_on` lets a letter already sent be recorded."""
    require(permissions.may_direct(actor, case), NOT_LEAD)
    _staff_case(case)
    if case.status != Status.FINDING or case.finding != Finding.HEARING:
        raise ServiceError("A hearing is arranged once the investigation finds a case to answer at one.")
    if case.hearing_on:
        raise ServiceError("The hearing is already arranged.")
    panel = list(panel or [])
    check_panel(case, panel)
    if not evidence.strip():
        raise ServiceError("List the evidence the panel will consider: the member of staff receives it.")
    today = timezone.localdate()
    notice_sent_on = notice_sent_on or today
    if notice_sent_on > today:
        raise ServiceError("The invitation cannot be dated in the future.")
    hearing_on = _day(hearing_on, "of the hearing")
    if hearing_on < earliest_hearing(notice_sent_on):
        raise ServiceError(
            f"Give at least five working days' notice: the hearing can be on "
            f"{earliest_hearing(notice_sent_on):%-d %B %Y} at the earliest."
        )
    checked = check_documents(documents)
    with transaction.atomic():
        save_fields(case, hearing_on=hearing_on)
        case.panel.set(panel)
        case.__dict__.pop("_panel_ids", None)
        names = ", ".join(str(p) for p in panel)
        text = f"Hearing arranged for {hearing_on:%-d %B %Y}; panel: {names}."
        add_entry(case, actor=actor, kind=EntryKind.HEARING_ARRANGED, text=text, checked=checked)
        write_letter(
            actor=actor, case=case, kind=LetterKind.HEARING, dated=notice_sent_on, panel=[str(p) for p in panel],
            evidence=evidence.strip(), hearing_time=hearing_time, where=where.strip(), dismissal_possible=True,
        )  # fmt: skip
        audit(
            actor,
            "case.hearing_arranged",
            case,
            hearing_on=hearing_on.isoformat(),
            panel=[p.pk for p in panel],
        )


def involved_ids(case) -> set[int]:
    """Everyone involved in the case before an appeal: they may not hear it."""
    ids = {case.subject_person_id, case.reported_by_id, case.investigator_id, case.triaged_by_id}
    ids |= set(case.panel.values_list("pk", flat=True))
    ids |= set(CaseEntry.objects.filter(case=case).values_list("author_id", flat=True))
    return {i for i in ids if i}


def arrange_appeal(*, actor, case, appeal_panel, appeal_hearing_on) -> None:
    """An appeal panel of people not involved before; for a governors' panel, a separate committee."""
    require(permissions.may_direct(actor, case), NOT_LEAD)
    _staff_case(case)
    if case.status != Status.APPEAL_LODGED:
        raise ServiceError("An appeal panel is appointed once an appeal is lodged.")
    appeal_panel = list(appeal_panel or [])
    if not appeal_panel:
        raise ServiceError("Name the appeal panel.")
    involved = involved_ids(case)
    for member in appeal_panel:
        if member.pk in involved:
            raise ServiceError(f"{member} was involved in the case before, so cannot hear the appeal.")
        if not member.is_active or member.school_id != case.school_id:
            raise ServiceError(f"{member} is not someone at this school.")
    appeal_hearing_on = _day(appeal_hearing_on, "of the appeal hearing")
    if appeal_hearing_on < timezone.localdate():
        raise ServiceError("The appeal hearing cannot be in the past.")
    with transaction.atomic():
        save_fields(case, appeal_hearing_on=appeal_hearing_on)
        case.appeal_panel.set(appeal_panel)
        case.__dict__.pop("_appeal_panel_ids", None)
        names = [str(p) for p in appeal_panel]
        text = f"Appeal panel: {', '.join(names)}; appeal hearing on {appeal_hearing_on:%-d %B %Y}."
        add_entry(case, actor=actor, kind=EntryKind.APPEAL_ARRANGED, text=text)
        write_letter(actor=actor, case=case, kind=LetterKind.APPEAL_HEARING, appeal_panel=names)
        audit(actor, "case.appeal_arranged", case, panel=[p.pk for p in appeal_panel])


def referrals_due(case) -> list[str]:
    """The legal referrals that follow dismissal or resignation, not yet recorded."""
    if not case.left_because:
        return []
    made = set(case.referrals.values_list("agency", flat=True))
    due = [] if "dbs" in made else ["dbs"]
    person = case.subject_person
    teacher = person is not None and "teach" in (person.job_title or "").lower()
    if teacher and "tra" not in made:
        due.append("tra")
    return due


def end_employment(*, actor, case, reason, access_ends_on, notes="") -> None:
    """Dismissal, or resignation during the case: their access ends on the day set, and the DBS
    (and, for a teacher, the TRA) referrals are prompted until they are recorded."""
    require(permissions.may_direct(actor, case), NOT_LEAD)
    _staff_case(case)
    if not permissions.may_end_employment(case) or case.left_because:
        raise ServiceError("Employment can end only once on an open staff case.")
    if reason not in LeavingReason.values:
        raise ServiceError("Say whether they were dismissed or resigned.")
    if reason == LeavingReason.DISMISSAL and case.final_outcome_value != Outcome.DISMISSAL:
        raise ServiceError("Dismissal follows an outcome of dismissal.")
    access_ends_on = _day(access_ends_on, "their access ends")
    person = case.subject_person
    if person is None:
        raise ServiceError("The case names nobody at the school.")
    with transaction.atomic():
        save_fields(case, left_because=reason, access_ends_on=access_ends_on)
        # The leaving date is what locks a person out (people.models.Person.is_locked_out).
        type(person).objects.filter(pk=person.pk).update(leaving_date=access_ends_on)
        text = f"{LeavingReason(reason).label}. Access to the portal ends on {access_ends_on:%-d %B %Y}."
        text += " Refer to the DBS" + (
            " and the Teaching Regulation Agency." if "tra" in referrals_due(case) else "."
        )
        add_entry(case, actor=actor, kind=EntryKind.LEFT, text=with_note(text, notes))
        audit(actor, "case.employment_ended", case, reason=reason, access_ends_on=access_ends_on.isoformat())
