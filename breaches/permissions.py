"""Who may see a case and who may take each step. Services enforce these; views and templates ask.

Need to know (KCSIE Part 4 and the school's policy):
- A case about the headteacher is the chair of governors' (and the trust's nominated person's,
  once the chair involves them): the head never sees it, nor the DSLs the head line-manages.
- Safeguarding cases: the DSLs. Pupil behaviour: the headteacher and the DSLs.
- Staff conduct: the headteacher, and the DSLs only where a child-protection element is recorded.
- Low-level concerns about adults: the headteacher and the DSLs, in their own confidential record.
- Whoever is appointed to a case (investigator, hearing panel, appeal panel) sees it.
- Nobody sees or leads a case about themselves. The reporter sees a receipt and a status; the
  person it concerns the allegation, their letters and the outcome (never on the safeguarding
  track); governors anonymised counts.
"""

from django.db.models import Q

from people.models import Role

from .choices import Finding, Status, Track

LEAD_ROLES = (Role.HEADTEACHER, Role.DSL)
TRACK_ROLES = {
    Track.DISCIPLINARY: (Role.HEADTEACHER,),
    Track.SAFEGUARDING: (Role.DSL,),
    Track.BEHAVIOUR: LEAD_ROLES,
    Track.LOW_LEVEL: LEAD_ROLES,
}
CHAIR_ROLES = (Role.CHAIR,)
LIST_ROLES = (Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.CHAIR)
SUMMARY_ROLES = (Role.GOVERNOR, Role.CHAIR, Role.HEADTEACHER, Role.DEPUTY, Role.DSL)


def is_nominated_person(person, case) -> bool:
    return case.nominated_person_id is not None and case.nominated_person_id == person.pk


def leads_track(person, case) -> bool:
    """The people who direct the case: the chair for the head's cases, otherwise the track's roles."""
    if person.pk == case.subject_person_id:
        return False
    if case.led_by_chair:
        chair = person.school_id == case.school_id and person.has_role(*CHAIR_ROLES)
        return chair or is_nominated_person(person, case)
    if person.school_id != case.school_id:
        return False
    return person.has_role(*TRACK_ROLES[case.track])


def is_case_lead(person, case) -> bool:
    """Those who may triage a report: the track's leads (the head and the DSLs share the first look)."""
    if case.led_by_chair or person.pk == case.subject_person_id:
        return leads_track(person, case)
    if case.status == Status.REPORTED and case.track != Track.DISCIPLINARY:
        return person.school_id == case.school_id and person.has_role(*LEAD_ROLES)
    return leads_track(person, case)


def is_investigator(person, case) -> bool:
    return case.investigator_id is not None and case.investigator_id == person.pk


def panel_ids(case) -> set[int]:
    if not hasattr(case, "_panel_ids"):
        case._panel_ids = set(case.panel.values_list("pk", flat=True))
    return case._panel_ids


def appeal_panel_ids(case) -> set[int]:
    if not hasattr(case, "_appeal_panel_ids"):
        case._appeal_panel_ids = set(case.appeal_panel.values_list("pk", flat=True))
    return case._appeal_panel_ids


def is_panel_member(person, case) -> bool:
    return person.pk in panel_ids(case)


def is_appeal_panel_member(person, case) -> bool:
    return person.pk in appeal_panel_ids(case)


def visible_cases_filter(person) -> Q:
    """The cases this person may see, as one query condition (the list and the case page agree)."""
    appointed = Q(investigator=person) | Q(panel=person) | Q(appeal_panel=person) | Q(nominated_person=person)
    own_school = Q(school_id=person.school_id)
    chair_led = Q(led_by_chair=True)
    seen = appointed
    if person.has_role(*CHAIR_ROLES):
        seen |= own_school & chair_led
    if person.has_role(Role.DSL):
        seen |= (
            own_school
            & ~chair_led
            & (
                Q(track__in=[Track.SAFEGUARDING, Track.BEHAVIOUR, Track.LOW_LEVEL])
                | Q(track=Track.DISCIPLINARY, child_protection=True)
            )
        )
    if person.has_role(Role.HEADTEACHER):
        seen |= own_school & ~chair_led & Q(track__in=[Track.DISCIPLINARY, Track.BEHAVIOUR, Track.LOW_LEVEL])
    return seen & ~Q(subject_person=person)


def can_see_case(person, case) -> bool:
    from .models import Case

    if person.pk == case.subject_person_id:
        return False
    return Case.objects.filter(visible_cases_filter(person), pk=case.pk).exists()


def is_reporter(person, case) -> bool:
    return case.reported_by_id == person.pk


def subject_may_see(person, case) -> bool:
    """The procedure tells a person of an allegation once it is accepted; never a child protection case."""
    return (
        person.pk == case.subject_person_id
        and case.track not in (Track.SAFEGUARDING, Track.LOW_LEVEL)
        and case.accepted_at is not None
    )


def may_record_flags(person) -> bool:
    return person.has_role(*LEAD_ROLES)


def may_see_summary(person) -> bool:
    return person.has_role(*SUMMARY_ROLES)


def may_see_low_level_record(person) -> bool:
    return person.has_role(*LEAD_ROLES, *CHAIR_ROLES)


# Each step: who may take it (the state it needs is checked by the service and by `available`).


def may_triage(person, case) -> bool:
    return is_case_lead(person, case)


def may_direct(person, case) -> bool:
    """Assign, close, refer, appoint panels, record a track's outcome: the track's leads."""
    return leads_track(person, case)


def may_record_finding(person, case) -> bool:
    return is_investigator(person, case) or leads_track(person, case)


def may_hold_meeting(person, case) -> bool:
    return is_investigator(person, case) or leads_track(person, case)


def may_record_hearing(person, case) -> bool:
    return is_panel_member(person, case) or leads_track(person, case)


def may_lodge_appeal(person, case) -> bool:
    return person.pk == case.subject_person_id or leads_track(person, case)


def may_decide_appeal(person, case) -> bool:
    # The appeal is heard by its own panel: people who took no part before (checked on appointment).
    return is_appeal_panel_member(person, case)


def may_add_note(person, case) -> bool:
    return can_see_case(person, case)


def _disciplinary_steps(person, case, today) -> list[str]:
    s = case.status
    direct = may_direct(person, case)
    steps = []
    if s in (Status.ACCEPTED, Status.INVESTIGATING) and direct:
        steps.append("assign")
    if s == Status.INVESTIGATING and may_hold_meeting(person, case):
        steps.append("meeting")
    if s == Status.INVESTIGATING and may_record_finding(person, case):
        steps.append("finding")
    if s in (Status.ACCEPTED, Status.INVESTIGATING, Status.FINDING) and direct:
        suspended = case.suspended_on and not case.suspension_lifted_on
        steps.append("suspension_review" if suspended else "suspension")
    if s == Status.FINDING and case.finding == Finding.HEARING and direct and not case.hearing_on:
        steps.append("arrange_hearing")
    hearing_arranged = s == Status.FINDING and case.finding == Finding.HEARING and case.hearing_on
    if hearing_arranged and may_record_hearing(person, case):
        steps.append("hearing")
    if s == Status.HEARING_HELD and may_record_hearing(person, case):
        steps.append("outcome")
    if s == Status.OUTCOME and appeal_open(case, today) and direct:
        steps.append("appeal")  # on the person's behalf; they lodge their own from their page
    if s == Status.APPEAL_LODGED and direct:
        steps.append("arrange_appeal")
    if s == Status.APPEAL_LODGED and may_decide_appeal(person, case):
        steps.append("appeal_decision")
    if case.is_open and direct and not case.left_because and may_end_employment(case):
        steps.append("leaving")
    return steps


def may_end_employment(case) -> bool:
    """Dismissal once decided, or a resignation at any point while the case is open."""
    return case.track == Track.DISCIPLINARY and case.status != Status.REPORTED


def available_steps(person, case, today) -> list[str]:
    """The steps this person may take on the case now, in the order the page offers them."""
    s, track = case.status, case.track
    steps = []
    if s == Status.REPORTED and may_triage(person, case):
        steps.append("triage")
    if case.led_by_chair and case.is_open and may_direct(person, case) and case.nominated_person_id is None:
        steps.append("involve_trust")
    if track == Track.DISCIPLINARY:
        steps += _disciplinary_steps(person, case, today)
    if s == Status.SAFEGUARDING and may_direct(person, case):
        steps += ["action", "safeguarding_outcome"]
    if s == Status.BEHAVIOUR and may_direct(person, case):
        steps.append("sanction")
    if may_refer(case) and may_direct(person, case):
        steps.append("referral")
    if case.lado_due_on and case.is_open and not case.lado_advice and may_direct(person, case):
        steps.append("lado_advice")
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
    if case.track == Track.DISCIPLINARY:
        # Referrals (the DBS, the TRA) can follow the outcome, so a closed staff case may still refer.
        return case.status != Status.REPORTED
    return False


def closable(case, today) -> bool:
    s = case.status
    if s == Status.FINDING:
        return case.finding != Finding.HEARING
    if s == Status.OUTCOME:
        return case.track != Track.DISCIPLINARY or bool(case.appeal_deadline and today > case.appeal_deadline)
    return s in (Status.APPEAL_DECIDED, Status.LOW_LEVEL)
