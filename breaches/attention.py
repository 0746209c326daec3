"""What a person should look at now about reports and cases, for their home page.

Each item comes from the cases the person may see (breaches.permissions), so the chair's home page
shows a report about the head at once, and the head's never does.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from glenwood.attention import Attention

from . import permissions, selectors
from .choices import Agency, Finding, Status, Track
from .deadlines import NEXT_STEP
from .models import Case
from .services.procedure import referrals_due


def _link(case):
    return reverse("breaches:case", args=[case.pk])


# The home page names the first few reports to triage (immediate risk first, then the oldest); the
# case list holds the rest, so a school with a backlog still gets a page it can read at a glance.
MOST_REPORTS_NAMED = 10


def _leading(person, cases):
    today = timezone.localdate()
    items = []
    waiting, unnamed_urgent = 0, False
    for case in cases.filter(status=Status.REPORTED).order_by("-immediate_risk", "reported_at"):
        if not permissions.may_triage(person, case):
            continue
        waiting += 1
        if waiting > MOST_REPORTS_NAMED:
            unnamed_urgent = unnamed_urgent or case.immediate_risk or case.is_overdue
            continue
        what = "Immediate risk: triage today" if case.immediate_risk else "Triage report"
        about = " · about the headteacher" if case.led_by_chair else ""
        items.append(
            Attention(
                f"{what} {case.reference}",
                _link(case),
                f"{case.get_category_display()} · {case.get_track_display()}{about}",
                urgent=case.immediate_risk or case.is_overdue,
            )
        )
    if waiting > MOST_REPORTS_NAMED:
        more = waiting - MOST_REPORTS_NAMED
        items.append(
            Attention(
                f"{more} more report{'s' if more > 1 else ''} to triage",
                f"{reverse('breaches:cases')}?status={Status.REPORTED}",
                "On the case list",
                urgent=unnamed_urgent,
            )
        )
    directed = [c for c in cases.open().exclude(status=Status.REPORTED) if permissions.may_direct(person, c)]
    for case in directed:
        if case.is_overdue and case.status in NEXT_STEP:
            items.append(
                Attention(
                    f"Case {case.reference}: {NEXT_STEP[case.status]} overdue",
                    _link(case),
                    f"Due {case.step_due_on:%-d %B %Y}",
                    urgent=True,
                )
            )
        if case.lado_due_on and not case.referrals.filter(agency=Agency.LADO).exists():
            items.append(
                Attention(
                    f"Case {case.reference}: refer to the LADO",
                    _link(case),
                    f"An allegation: the LADO to be told by {case.lado_due_on:%-d %B %Y}",
                    urgent=case.lado_due_on <= today,
                )
            )
        if case.suspension_review_on and not case.suspension_lifted_on and case.suspension_review_on <= today:
            items.append(
                Attention(
                    f"Case {case.reference}: review the suspension", _link(case), "Review due", urgent=True
                )
            )
    for case in cases.exclude(left_because=""):
        if permissions.may_direct(person, case):
            for agency in referrals_due(case):
                label = Agency(agency).label
                items.append(
                    Attention(f"Case {case.reference}: refer to the {label}", _link(case), "", urgent=True)
                )
    return items


def attention_for(person) -> list[Attention]:
    cases = selectors.cases_visible_to(person)
    items = _leading(person, cases)
    mine = cases.filter(
        Q(status=Status.INVESTIGATING, investigator=person)
        | Q(status__in=[Status.FINDING, Status.HEARING_HELD], finding=Finding.HEARING, panel=person)
        | Q(status=Status.APPEAL_LODGED, appeal_panel=person)
    ).distinct()
    for case in mine:
        what = {
            Status.INVESTIGATING: "Investigate",
            Status.APPEAL_LODGED: "Appeal panel for",
        }.get(case.status, "Hearing panel for")
        due = f" due {case.step_due_on:%-d %B %Y}" if case.step_due_on else ""
        items.append(
            Attention(
                f"{what} case {case.reference}",
                _link(case),
                f"{NEXT_STEP[case.status].capitalize()}{due}",
                urgent=case.is_overdue,
            )
        )
    today = timezone.localdate()
    about_me = Case.objects.filter(subject_person=person, accepted_at__isnull=False).exclude(
        track__in=[Track.SAFEGUARDING, Track.LOW_LEVEL]
    )
    for case in about_me.open():
        note = (
            f"You may appeal until {case.appeal_deadline:%-d %B %Y}"
            if case.status == Status.OUTCOME and case.appeal_deadline and today <= case.appeal_deadline
            else case.get_status_display()
        )
        items.append(
            Attention("A report concerning you", reverse("breaches:concerning_detail", args=[case.pk]), note)
        )
    return items
