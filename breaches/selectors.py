"""Read-side queries: which cases each person sees, fetched and authorised in one call."""

import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from people.access import get_for_school

from . import permissions
from .choices import Status, Track
from .models import Case

CASE_RELATED = [
    "school",
    "subject_person",
    "reported_by",
    "investigator",
    "triaged_by",
    "policy_version__policy",
    "signature__version",
    "signature__agreement__policy",
]


def case_for(person, pk) -> Case:
    """A case this person may see in full; anything else is a 404, so its existence stays private."""
    case = get_for_school(person, Case.objects.select_related(*CASE_RELATED), pk=pk)
    if not permissions.can_see_case(person, case):
        raise Http404
    return case


def cases_visible_to(person):
    cases = Case.objects.filter(school_id=person.school_id)
    if person.has_role(*permissions.LEAD_ROLES):
        return cases.exclude(subject_person=person)
    return cases.filter(Q(investigator=person) | Q(panel=person)).distinct()


def case_list(person):
    return (
        cases_visible_to(person)
        .select_related("subject_person", "investigator")
        .order_by("-reported_at", "-id")
    )


def uses_case_list(person) -> bool:
    return person.has_role(*permissions.LIST_ROLES) or cases_visible_to(person).exists()


def receipt_for(person, pk) -> Case:
    """The reporter's own report: its receipt and status only."""
    return get_object_or_404(Case.objects.select_related("school"), pk=pk, reported_by=person)


def reports_by(person):
    # Captures the DSL records are not "their reports": those are in the case list.
    return Case.objects.filter(reported_by=person).exclude(source="monitoring").order_by("-reported_at")


def concerning(person):
    """Reports about this person that the procedure tells them of."""
    return (
        Case.objects.filter(subject_person=person, accepted_at__isnull=False)
        .exclude(track=Track.SAFEGUARDING)
        .order_by("-reported_at")
    )


def concerning_case_for(person, pk) -> Case:
    case = get_object_or_404(
        Case.objects.select_related("school", "policy_version__policy", "signature__version",
                                    "signature__agreement__policy"),
        pk=pk, subject_person=person,
    )  # fmt: skip
    if not permissions.subject_may_see(person, case):
        raise Http404
    return case


def school_year_start(today=None) -> datetime.date:
    today = today or timezone.localdate()
    return datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def anonymised_counts(school, since: datetime.date):
    """Counts for governors: by category, track and outcome, never a name or a reference."""
    cases = Case.objects.filter(school=school, reported_at__date__gte=since)
    still_open = Count("id", filter=~Q(status=Status.CLOSED))
    return {
        "total": cases.count(),
        "by_category": cases.values("category")
        .annotate(total=Count("id"), open=still_open)
        .order_by("category"),
        "by_track": cases.values("track").annotate(total=Count("id"), open=still_open).order_by("track"),
        "outcomes": cases.exclude(outcome="")
        .values("outcome")
        .annotate(total=Count("id"))
        .order_by("outcome"),
        "sanctions": cases.exclude(sanction="")
        .values("sanction")
        .annotate(total=Count("id"))
        .order_by("sanction"),
        "closed_at_triage": cases.filter(status=Status.CLOSED, accepted_at__isnull=True).count(),
    }
