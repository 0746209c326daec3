"""Who may see a case and who may take each step. Services enforce these; views and templates ask.

A case is confidential: only the headteacher and the DSLs (the case leads), the investigating
officer and the hearing panel see it. Nobody leads a case about themselves. Each track has its
own leads: staff conduct the headteacher or deputy (acting for the head), safeguarding a DSL,
pupil behaviour any case lead. The reporter sees only the receipt and status; the person it
concerns sees the allegation and the outcome (never on the safeguarding track); governors see
anonymised counts.
"""

from people.models import Role

from .choices import Finding, Status, Track

LEAD_ROLES = (Role.HEADTEACHER, Role.DSL)
TRACK_ROLES = {
    Track.DISCIPLINARY: (Role.HEADTEACHER, Role.DEPUTY),
    Track.SAFEGUARDING: (Role.DSL,),
    Track.BEHAVIOUR: LEAD_ROLES,
}
LIST_ROLES = (Role.HEADTEACHER, Role.DEPUTY, Role.DSL)
SUMMARY_ROLES = (Role.GOVERNOR, Role.CHAIR, Role.HEADTEACHER, Role.DEPUTY, Role.DSL)


def is_case_lead(person, case) -> bool:
    return (
        person.school_id == case.school_id
        and person.has_role(*LEAD_ROLES)
        and person.pk != case.subject_person_id
    )


def leads_track(person, case) -> bool:
    return is_case_lead(person, case) and person.has_role(*TRACK_ROLES[case.track])


def is_investigator(person, case) -> bool:
    return case.investigator_id is not None and case.investigator_id == person.pk


def panel_ids(case) -> set[int]:
    if not hasattr(case, "_panel_ids"):
        case._panel_ids = set(case.panel.values_list("pk", flat=True))
    return case._panel_ids


def is_panel_member(person, case) -> bool:
    return person.pk in panel_ids(case)


def can_see_case(person, case) -> bool:
    if person.school_id != case.school_id or person.pk == case.subject_person_id:
        return False
    return is_case_lead(person, case) or is_investigator(person, case) or is_panel_member(person, case)


def is_reporter(person, case) -> bool:
    return case.reported_by_id == person.pk


def subject_may_see(person, case) -> bool:
    """The procedure tells a person of an allegation once it is accepted; never a child protection case."""
    return (
        person.pk == case.subject_person_id
        and case.track != Track.SAFEGUARDING
        and case.accepted_at is not None
    )


def may_record_flags(person) -> bool:
    return person.has_role(*LEAD_ROLES)


def may_see_summary(person) -> bool:
    return person.has_role(*SUMMARY_ROLES)


# Each step: who may take it (the state it needs is checked by the service and by `available`).


def may_triage(person, case) -> bool:
    return is_case_lead(person, case)


def may_direct(person, case) -> bool:
    """Assign, close, refer, decide appeals, record a track's outcome: the track's leads."""
    return leads_track(person, case)


def may_record_finding(person, case) -> bool:
    return is_investigator(person, case) or leads_track(person, case)


def may_record_hearing(person, case) -> bool:
    return is_panel_member(person, case) or leads_track(person, case)


def may_lodge_appeal(person, case) -> bool:
    return person.pk == case.subject_person_id or leads_track(person, case)


def may_decide_appeal(person, case) -> bool:
    # An appeal is heard by someone who took no part in the decision appealed against.
    return (
        leads_track(person, case) and not is_panel_member(person, case) and not is_investigator(person, case)
    )


def may_add_note(person, case) -> bool:
    return can_see_case(person, case)


def available_steps(person, case, today) -> list[str]:
    """The steps this person may take on the case now, in the order the page offers them."""
    s, track = case.status, case.track
    disciplinary = track == Track.DISCIPLINARY
    steps = []
    if s == Status.REPORTED and may_triage(person, case):
        steps.append("triage")
    if disciplinary and s in (Status.ACCEPTED, Status.INVESTIGATING) and may_direct(person, case):
        steps.append("assign")
    if disciplinary and s == Status.INVESTIGATING and may_record_finding(person, case):
        steps.append("finding")
    if s == Status.FINDING and case.finding == Finding.HEARING and may_record_hearing(person, case):
        steps.append("hearing")
    if s == Status.HEARING_HELD and may_record_hearing(person, case):
        steps.append("outcome")
    if s == Status.OUTCOME and appeal_open(case, today) and leads_track(person, case):
        steps.append("appeal")  # on the person's behalf; they lodge their own from their page
    if s == Status.APPEAL_LODGED and may_decide_appeal(person, case):
        steps.append("appeal_decision")
    if s == Status.SAFEGUARDING and may_direct(person, case):
        steps += ["action", "safeguarding_outcome"]
    if s == Status.BEHAVIOUR and may_direct(person, case):
        steps.append("sanction")
    if may_refer(case) and may_direct(person, case):
        steps.append("referral")
    if closable(case, today) and may_direct(person, case):
        steps.append("close")
    if case.is_open and may_add_note(person, case):
        steps.append("note")
    return steps


def appeal_open(case, today) -> bool:
    return case.track == Track.DISCIPLINARY and bool(case.appeal_deadline) and today <= case.appeal_deadline


def may_refer(case) -> bool:
    if case.track == Track.SAFEGUARDING:
        return case.status == Status.SAFEGUARDING
    return case.track == Track.DISCIPLINARY and case.status not in (Status.REPORTED, Status.CLOSED)


def closable(case, today) -> bool:
    s = case.status
    if s == Status.FINDING:
        return case.finding != Finding.HEARING
    if s == Status.OUTCOME:
        return case.track != Track.DISCIPLINARY or bool(case.appeal_deadline and today > case.appeal_deadline)
    return s == Status.APPEAL_DECIDED
