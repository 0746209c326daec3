"""Read-side queries: which cases each person sees, fetched and authorised in one call."""

import datetime

from django.db.models import Case as Case_
from django.db.models import Count, F, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from people.access import get_for_school

from . import permissions
from .choices import AppealResult, Status, Track
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
    """Need to know, as a query: see breaches/permissions.py."""
    visible = Case.objects.filter(permissions.visible_cases_filter(person)).values("pk")
    return Case.objects.filter(pk__in=visible)


def low_level_record(person):
    """The confidential record of low-level concerns, grouped by the adult concerned, patterns first."""
    cases = cases_visible_to(person).filter(track=Track.LOW_LEVEL).select_related("subject_person")
    by_person = {}
    for case in cases.order_by("reported_at"):
        key = case.subject_person_id or f"described:{case.subject_description.lower()}"
        by_person.setdefault(key, {"label": case.subject_label, "cases": []})["cases"].append(case)
    groups = sorted(by_person.values(), key=lambda g: (-len(g["cases"]), g["label"]))
    for group in groups:
        group["pattern"] = len(group["cases"]) >= 2
    return groups


def case_list(person):
    return (
        cases_visible_to(person)
        .select_related("subject_person", "investigator")
        .order_by("-reported_at", "-id")
    )


def open_cases_by_status(person) -> list[dict]:
    """For the home page: the open cases this person may see, counted by status in one query, with
    how many of each have their next step overdue (in the order a case moves)."""
    today = timezone.localdate()
    rows = (
        cases_visible_to(person)
        .open()
        .order_by()
        .values("status")
        .annotate(total=Count("id"), overdue=Count("id", filter=Q(step_due_on__lt=today)))
    )
    counts = {row["status"]: row for row in rows}
    return [
        {"status": s.value, "label": s.label, "total": counts[s]["total"], "overdue": counts[s]["overdue"]}
        for s in Status
        if s in counts
    ]


def anonymised_totals(school, since: datetime.date) -> dict:
    """The two figures a governor's home page shows, in one query and suppressed as in the summary."""
    totals = Case.objects.filter(school=school, reported_at__date__gte=since).aggregate(
        total=Count("id"), open=Count("id", filter=~Q(status=Status.CLOSED))
    )
    return {key: suppressed(value) for key, value in totals.items()}


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
        .exclude(track__in=[Track.SAFEGUARDING, Track.LOW_LEVEL])
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


SUPPRESS_BELOW = 5  # a count this small could identify the child or the adult


def suppressed(count: int) -> str:
    """A figure governors may see: none, or 5 and over; 1 to 4 only as "fewer than 5"."""
    return "fewer than 5" if 0 < count < SUPPRESS_BELOW else str(count)


def anonymised_counts(school, since: datetime.date):
    """Counts for governors: by category, track and outcome (after any appeal), never a name or a
    reference; any figure from 1 to 4 is shown as "fewer than 5"."""
    cases = Case.objects.filter(school=school, reported_at__date__gte=since)
    still_open = Count("id", filter=~Q(status=Status.CLOSED))
    # The outcome that stands: the appeal panel's when it upheld an appeal.
    standing = Case.objects.filter(pk__in=cases.values("pk")).annotate(
        standing=Case_(
            When(
                appeal_result=AppealResult.UPHELD, outcome_after_appeal__gt="", then=F("outcome_after_appeal")
            ),
            default=F("outcome"),
        )
    )

    def hide(rows, *keys):
        return [{**row, **{k: suppressed(row[k]) for k in keys}} for row in rows]

    return {
        "total": suppressed(cases.count()),
        "by_category": hide(
            cases.values("category").annotate(total=Count("id"), open=still_open).order_by("category"),
            "total",
            "open",
        ),
        "by_track": hide(
            cases.values("track").annotate(total=Count("id"), open=still_open).order_by("track"),
            "total",
            "open",
        ),
        "outcomes": hide(
            standing.exclude(standing="").values("standing").annotate(total=Count("id")).order_by("standing"),
            "total",
        ),
        "sanctions": hide(
            cases.exclude(sanction="").values("sanction").annotate(total=Count("id")).order_by("sanction"),
            "total",
        ),
        "closed_at_triage": suppressed(cases.filter(status=Status.CLOSED, accepted_at__isnull=True).count()),
    }
