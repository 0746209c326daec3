"""Each school's dashboard counts, kept in the database and recounted only when something moved them.

Counting a school (who owes, has signed and has declined each agreement, by year group, and the
pupils no agreement covers) costs an aggregate per agreement over all its people. The counts move
only when someone signs or declines, a role is given or taken away, a person joins, leaves or
changes year, a version is published or the school's year groups change: each of those bumps the
school's `changes` in the same transaction (agreements/receivers.py). A page recounts a school only
when the counts held are behind that number, or from another day (leaving dates and expiries pass
at midnight without anything being saved). `manage.py compliance_summaries --check` recounts every
school from scratch and names any school whose held counts differ.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from people.models import Person, Role
from people.year_groups import year_agreements

from .models import Agreement, ComplianceSummary
from .obligations import _holds, binding_version, people_bound_by, with_status


def summary_changed(school_id) -> None:
    """Something that can move this school's counts was saved in the current transaction."""
    if school_id is None:
        return
    if ComplianceSummary.objects.filter(school_id=school_id).update(changes=F("changes") + 1):
        return
    try:
        with transaction.atomic():
            ComplianceSummary.objects.create(school_id=school_id, changes=1)
    except IntegrityError:  # a page made the row at the same moment
        ComplianceSummary.objects.filter(school_id=school_id).update(changes=F("changes") + 1)


def count_school(school) -> dict:
    """The school's counts from scratch, as plain data: {"agreements": {id: {...}}, "gap": {...}}."""
    agreements = {}
    kinds = set()
    for agreement in Agreement.objects.filter(school=school).select_related("policy"):
        kinds.add(agreement.kind)
        version = binding_version(agreement)
        groups = []
        if version is not None:
            rows = (
                with_status(people_bound_by(agreement), agreement, version)
                .order_by()
                .values("year_group")
                .annotate(
                    owe=Count("pk"),
                    signed=Count("pk", filter=Q(has_signed=True)),
                    declined=Count("pk", filter=Q(has_signed=False, has_declined=True)),
                )
                .order_by("year_group")
            )
            groups = [[r["year_group"], r["owe"], r["signed"], r["declined"]] for r in rows]
        agreements[str(agreement.pk)] = {"version": version.pk if version else None, "groups": groups}
    uncovered = [year for year, kind in year_agreements(school.pk).items() if kind not in kinds]
    gap = None
    if uncovered:
        pupils = (
            Person.objects.current()
            .filter(school=school, year_group__in=uncovered)
            .filter(_holds(Role.PUPIL))
        )
        by_year = dict(pupils.order_by().values_list("year_group").annotate(n=Count("pk")))
        if by_year:
            gap = {"years": sorted(by_year), "count": sum(by_year.values())}
    return {"agreements": agreements, "gap": gap}


def counts_for(schools) -> dict[int, dict]:
    """Each school's counts, recounting only those that are behind (one query when none is)."""
    today = timezone.localdate()
    held = {s.school_id: s for s in ComplianceSummary.objects.filter(school__in=[s.pk for s in schools])}
    result = {}
    for school in schools:
        summary = held.get(school.pk)
        if summary is not None and summary.is_current(today):
            result[school.pk] = summary.counts
            continue
        # The number is read before counting: a signature saved meanwhile leaves the counts behind.
        changes = summary.changes if summary is not None else 0
        counts = count_school(school)
        if summary is None:
            ComplianceSummary.objects.get_or_create(
                school=school, defaults={"counted_changes": 0, "counted_on": today, "counts": counts}
            )
        else:
            ComplianceSummary.objects.filter(pk=school.pk).update(
                counts=counts, counted_changes=changes, counted_on=today
            )
        result[school.pk] = counts
    return result


def rebuild(schools) -> None:
    """Recount every school given, whatever it holds (`manage.py compliance_summaries`)."""
    ComplianceSummary.objects.filter(school__in=schools).update(counted_on=None)
    counts_for(list(schools))


def differences(schools) -> list[str]:
    """Schools whose held counts, though marked current, differ from a count made now."""
    today = timezone.localdate()
    problems = []
    for summary in ComplianceSummary.objects.filter(school__in=schools).select_related("school"):
        if summary.is_current(today) and summary.counts != count_school(summary.school):
            problems.append(str(summary.school))
    return problems
