"""The figures on each person's home page: what their role asks them to watch, each a link to the
list behind it, filtered to what was counted.

Every figure is counted in the database (one aggregate per panel, or per agreement), so the page
costs the same number of queries whether the school has two hundred people or two thousand.
Who sees which panel follows the menus (glenwood/context_processors.py): the same roles may open
the list a figure links to.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from agreements import dashboard
from agreements.dashboard_views import DASHBOARD_ROLES
from agreements.obligations import agreements_owed_by
from breaches import permissions as case_permissions
from breaches import selectors as case_selectors
from breaches.choices import Status
from people.access import visible_schools
from people.models import LEADERSHIP_ROLES, Person, Role
from policies import selectors as policy_selectors
from policies.models import VersionStatus

GOVERNORS = (Role.GOVERNOR, Role.CHAIR)
OFFICE = (Role.SCHOOL_ADMIN, Role.TRUST_ADMIN)


@dataclass
class Figure:
    value: object  # a count, or a governor's suppressed "fewer than 5"
    label: str
    url: str
    urgent: bool = False


@dataclass
class Bar:
    """One group's completion of its agreement: the chart's bar and the table's row."""

    school: str  # named only on a trust-wide page
    label: str
    agreement: str
    owe: int
    signed: int
    declined: int
    percent: int
    url: str  # the dashboard at this group, those not signed
    signed_url: str
    declined_url: str

    @property
    def outstanding(self):
        return self.owe - self.signed


@dataclass
class Panel:
    title: str
    id: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""
    link: tuple[str, str] | None = None  # (label, url): the page where all of it is


def _dashboard_url(agreement, status, year=None):
    query = {"agreement": agreement.pk, "status": status}
    if year:
        query["year"] = year
    return f"{reverse('agreements:dashboard')}?{urlencode(query)}"


def completion_bars(person) -> list[Bar]:
    """Agreement completion per group (staff, each year group, visitors, governors), from the
    dashboard's own counts."""
    trust_wide = person.has_role(Role.TRUST_ADMIN)
    bars = []
    for summary in dashboard.summaries(dashboard.agreements_for(person)):
        agreement = summary.agreement
        for group in summary.groups:
            label = group.label
            if group.year_group:
                label = f"{label} · {agreement.kind.upper()}"  # "Year 7 · KS3"
            bars.append(
                Bar(
                    agreement.school.name if trust_wide else "", label, agreement.title,
                    group.owe, group.signed, group.declined, group.percent,
                    _dashboard_url(agreement, "outstanding", group.year_group),
                    _dashboard_url(agreement, "signed", group.year_group),
                    _dashboard_url(agreement, "declined", group.year_group),
                )
            )  # fmt: skip
    return bars


def cases_panel(person) -> Panel:
    cases_url = reverse("breaches:cases")
    rows = case_selectors.open_cases_by_status(person)
    panel = Panel("Open cases", "cases", link=("All cases", cases_url))
    overdue = sum(row["overdue"] for row in rows)
    panel.figures.append(
        Figure(overdue, "with a step overdue", f"{cases_url}?state=overdue", urgent=bool(overdue))
    )
    for row in rows:
        panel.figures.append(Figure(row["total"], row["label"], f"{cases_url}?status={row['status']}"))
    if not rows:
        panel.note = "No open case you lead."
    return panel


def policies_panel(person) -> Panel:
    reviews = reverse("policies:reviews")
    counts = policy_selectors.review_counts(person)
    panel = Panel("Policies", "policies", link=("Review schedule", reviews))
    panel.figures.append(
        Figure(counts["overdue"], "reviews overdue", f"{reviews}#overdue", urgent=bool(counts["overdue"]))
    )
    panel.figures.append(Figure(counts["due_soon"], "reviews due soon", f"{reviews}#due-soon"))
    if person.has_role(*GOVERNORS):
        waiting = policy_selectors.versions_awaiting(person).count()
        panel.figures.insert(
            0, Figure(waiting, "waiting for your decision", f"{reviews}#with-governors", urgent=bool(waiting))
        )
    if person.has_role(*LEADERSHIP_ROLES):
        stages = dict(
            policy_selectors.with_the_governors(person)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        panel.figures.insert(
            0,
            Figure(stages.get(VersionStatus.SUBMITTED, 0), "with the governors", f"{reviews}#with-governors"),
        )
        approved = stages.get(VersionStatus.APPROVED, 0)
        panel.figures.insert(
            1, Figure(approved, "approved, to publish", f"{reviews}#with-governors", urgent=bool(approved))
        )
    return panel


def governors_panel(person) -> Panel:
    since = case_selectors.school_year_start()
    totals = case_selectors.anonymised_totals(person.school, since)
    summary = reverse("breaches:summary")
    return Panel(
        "Concerns this school year",
        "concerns-summary",
        [Figure(totals["total"], "reported", summary), Figure(totals["open"], "still open", summary)],
        note=f"Since {since:%-d %B %Y}. Anonymised: a figure from 1 to 4 shows as “fewer than 5”.",
        link=("Concerns summary", summary),
    )


def people_panel(person) -> Panel:
    people = reverse("people:list")
    current = Person.objects.current().filter(school__in=visible_schools(person))
    return Panel(
        "People",
        "people",
        [
            Figure(
                current.not_invited().count(),
                "not invited yet",
                f"{people}?status=current&invitation=not_invited",
            ),
            Figure(
                current.invited().count(),
                "invited, not joined",
                f"{people}?status=current&invitation=invited",
            ),
        ],
        link=("People", people),
    )


def own_panel(person) -> Panel:
    """What a person still has to sign, and their own reports."""
    mine = reverse("agreements:mine")
    panel = Panel("Yours", "yours")
    rows = agreements_owed_by(person)
    if rows:
        to_sign = sum(1 for r in rows if not r["signature"] and not r["decline"] and r["current"])
        signed = sum(1 for r in rows if r["signature"])
        panel.figures += [
            Figure(to_sign, f"agreement{'s' if to_sign != 1 else ''} to sign", mine, urgent=bool(to_sign)),
            Figure(signed, "signed", mine),
        ]
    reports = case_selectors.reports_by(person).aggregate(open=Count("pk", filter=~Q(status=Status.CLOSED)))
    panel.figures.append(Figure(reports["open"], "of your reports still open", reverse("breaches:mine")))
    panel.link = ("Report a concern", reverse("breaches:report"))
    return panel


def home_for(person) -> dict:
    """The home page's figures for this person: only the panels their roles use."""
    panels = []
    if person.has_role(*case_permissions.LIST_ROLES):
        panels.append(cases_panel(person))
    if person.has_role(*LEADERSHIP_ROLES, *GOVERNORS):
        panels.append(policies_panel(person))
    if person.has_role(*GOVERNORS):
        panels.append(governors_panel(person))
    if person.has_role(*OFFICE):
        panels.append(people_panel(person))
    if person.roles - {Role.TRUST_ADMIN}:
        panels.append(own_panel(person))
    return {
        "completion": completion_bars(person) if person.has_role(*DASHBOARD_ROLES) else None,
        "panels": panels,
    }
