"""What a person should look at now about reports and cases, for their home page."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from glenwood.attention import Attention
from people.models import Role

from .choices import Finding, Status, Track
from .deadlines import NEXT_STEP
from .models import Case


def attention_for(person) -> list[Attention]:
    items = []
    cases = Case.objects.filter(school_id=person.school_id).exclude(subject_person=person)
    today = timezone.localdate()
    # Reports to triage: staff matters go to the head, safeguarding to the DSLs.
    tracks = []
    if person.has_role(Role.HEADTEACHER):
        tracks += [Track.DISCIPLINARY, Track.BEHAVIOUR]
    if person.has_role(Role.DSL):
        tracks += [Track.SAFEGUARDING]
    if tracks:
        for case in cases.filter(status=Status.REPORTED, track__in=tracks).order_by("reported_at"):
            items.append(
                Attention(
                    f"Triage report {case.reference}",
                    reverse("breaches:case", args=[case.pk]),
                    f"{case.get_category_display()} · {case.get_track_display()}",
                    urgent=case.is_overdue,
                )
            )
        overdue = cases.overdue(today).filter(track__in=tracks).exclude(status=Status.REPORTED)
        for case in overdue.order_by("step_due_on"):
            items.append(
                Attention(
                    f"Case {case.reference}: {NEXT_STEP[case.status]} overdue",
                    reverse("breaches:case", args=[case.pk]),
                    f"Due {case.step_due_on:%-d %B %Y}",
                    urgent=True,
                )
            )
    mine = cases.filter(
        Q(status=Status.INVESTIGATING, investigator=person)
        | Q(status__in=[Status.FINDING, Status.HEARING_HELD], finding=Finding.HEARING, panel=person)
    ).distinct()
    for case in mine:
        what = "Investigate" if case.status == Status.INVESTIGATING else "Hearing panel for"
        items.append(
            Attention(
                f"{what} case {case.reference}",
                reverse("breaches:case", args=[case.pk]),
                f"{NEXT_STEP[case.status].capitalize()} due {case.step_due_on:%-d %B %Y}",
                urgent=case.is_overdue,
            )
        )
    about_me = Case.objects.filter(subject_person=person, accepted_at__isnull=False).exclude(
        track=Track.SAFEGUARDING
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
