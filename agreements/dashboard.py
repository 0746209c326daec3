"""The compliance dashboard: who owes, has signed, declined or is outstanding, by group.

The counts come from each school's held counts (agreements/summary.py), recounted in the database
only after something moved them; the name list is paginated. A page costs the same number of
queries however many people the school has.
"""

from dataclasses import dataclass, field

from django.db.models import DateTimeField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from people.access import visible_schools
from policies.models import PolicyVersion

from . import summary
from .models import Agreement, AgreementKind, Decline, Signature
from .obligations import binding_version, people_bound_by, with_status  # noqa: F401 (binding_version: the CSV)

STATUSES = [
    ("outstanding", "Not signed (incl. declined)"),
    ("declined", "Declined"),
    ("signed", "Signed"),
    ("all", "Everyone"),
]


@dataclass
class GroupRow:
    label: str
    owe: int
    signed: int
    declined: int
    year_group: int | None = None  # pupils' groups, so a link can open the dashboard at that year

    @property
    def outstanding(self):
        return self.owe - self.signed

    @property
    def percent(self):
        return round(100 * self.signed / self.owe) if self.owe else 100


@dataclass
class AgreementSummary:
    agreement: Agreement
    version: object
    groups: list[GroupRow] = field(default_factory=list)

    @property
    def total(self):
        return GroupRow(
            "All",
            sum(g.owe for g in self.groups),
            sum(g.signed for g in self.groups),
            sum(g.declined for g in self.groups),
        )


def _group_label(kind, year_group):
    if kind in (AgreementKind.KS3, AgreementKind.KS4):
        return f"Year {year_group}"
    return {
        AgreementKind.STAFF: "Staff",
        AgreementKind.VISITOR: "Visitors",
        AgreementKind.GOVERNOR: "Governors",
    }[kind]


KIND_ORDER = list(AgreementKind.values)


def agreements_for(person) -> list[Agreement]:
    """The agreements of the schools this person sees, staff first, then by age of reader."""
    agreements = Agreement.objects.filter(school__in=visible_schools(person)).select_related(
        "policy", "school", "policy__current_version"
    )
    return sorted(agreements, key=lambda a: (a.school.name, KIND_ORDER.index(a.kind)))


def summaries(agreements) -> list[AgreementSummary]:
    """Each agreement's counts by group, from the schools' held counts (agreements/summary.py)."""
    schools = list({a.school_id: a.school for a in agreements}.values())
    counts = summary.counts_for(schools)
    held = {a.pk: counts[a.school_id]["agreements"].get(str(a.pk)) for a in agreements}
    if any(h is None for h in held.values()):  # an agreement newer than the counts: count afresh
        counts = {s.pk: summary.count_school(s) for s in schools}
        held = {a.pk: counts[a.school_id]["agreements"][str(a.pk)] for a in agreements}
    versions = PolicyVersion.objects.in_bulk([h["version"] for h in held.values() if h["version"]])
    result = []
    for agreement in agreements:
        figures = held[agreement.pk]
        item = AgreementSummary(agreement, versions.get(figures["version"]))
        if item.version is not None:
            item.groups = [
                GroupRow(
                    _group_label(agreement.kind, year),
                    owe,
                    signed,
                    declined,
                    year if agreement.kind in (AgreementKind.KS3, AgreementKind.KS4) else None,
                )
                for year, owe, signed, declined in figures["groups"]
            ]
            if agreement.kind not in (AgreementKind.KS3, AgreementKind.KS4) and len(item.groups) > 1:
                item.groups = [item.total]  # staff with a stray year group still count as one group
                item.groups[0].label = _group_label(agreement.kind, None)
        result.append(item)
    return result


def gaps(schools) -> list[dict]:
    """Per school, the current pupils whose year group no agreement covers, from the held counts."""
    counts = summary.counts_for(schools)
    return [{"school": s, **counts[s.pk]["gap"]} for s in schools if counts[s.pk]["gap"]]


def people_list(agreement, version, *, status="outstanding", year_group=None, search=""):
    """The named list behind the counts, with when each became outstanding and any decline reason."""
    people = with_status(people_bound_by(agreement), agreement, version)
    if status == "outstanding":
        people = people.filter(has_signed=False)
    elif status == "declined":
        people = people.filter(has_signed=False, has_declined=True)
    elif status == "signed":
        people = people.filter(has_signed=True)
    if year_group:
        people = people.filter(year_group=year_group)
    if search:
        people = people.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search))
    mine = {"person": OuterRef("pk"), "agreement": agreement, "version__number__gte": version.number}
    return people.annotate(
        signed_at=Subquery(Signature.objects.filter(**mine).order_by("-signed_at").values("signed_at")[:1]),
        decline_reason=Subquery(Decline.objects.filter(**mine).order_by("-declined_at").values("reason")[:1]),
        outstanding_since=Greatest("date_joined", Value(version.published_at, output_field=DateTimeField())),
    ).order_by("year_group", "last_name", "first_name")


def days_outstanding(since) -> int:
    return (timezone.now() - since).days if since else 0
