"""Which reminders are due today. Pure reading: it yields what to send; services.py records it.

Each occasion has a cycle key made only from dates and ids, so scanning again (the same day, or
the next day after a missed run) yields the same keys and the database keeps one of each.
Queries do not grow with the number of versions or people: they are read in batches.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import DateTimeField, Value
from django.db.models.functions import Greatest

from agreements.models import Agreement
from agreements.obligations import binding_version, outstanding
from people.models import Person, Role, RoleAssignment
from policies.models import PolicyKind, PolicyVersion, VersionStatus

from .models import ReminderKind, ReminderSettings

BATCH = 1000
REVIEWER_ROLES = [Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.SCHOOL_ADMIN, Role.CHAIR, Role.GOVERNOR]


@dataclass(frozen=True)
class Due:
    school_id: int
    recipient_id: int
    kind: str
    cycle: str
    subject: str
    context: dict


class SchoolSettings:
    """Each school's reminder settings, read once per scan."""

    def __init__(self):
        self._by_school = {s.school_id: s for s in ReminderSettings.objects.all()}
        self._default = ReminderSettings()

    def __getitem__(self, school_id) -> ReminderSettings:
        return self._by_school.get(school_id, self._default)

    @property
    def longest_notice(self) -> int:
        return max([max(s.review_thresholds, default=0) for s in [self._default, *self._by_school.values()]])


def _people_by_school_and_role(roles):
    found = {}
    rows = RoleAssignment.objects.filter(role__in=roles, person__in=Person.objects.current()).values_list(
        "person__school_id", "role", "person_id"
    )
    for school_id, role, person_id in rows:
        found.setdefault((school_id, role), []).append(person_id)
    return found


def review_reminders(today: date, settings: SchoolSettings):
    """Reviews falling due within a school's notice periods, and overdue ones weekly."""
    holders = _people_by_school_and_role(REVIEWER_ROLES)
    revising = PolicyVersion.objects.filter(status=VersionStatus.APPROVED).values("policy_id")
    versions = (
        PolicyVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            next_review_on__lte=today + timedelta(days=settings.longest_notice),
        )
        .exclude(policy_id__in=revising)  # a new version is approved: only its publishing is left
        .select_related("policy", "policy__approval_body")
        .only(
            "pk",
            "label",
            "next_review_on",
            "policy__title",
            "policy__school_id",
            "policy__reviewer_role",
            "policy__kind",
            "policy__approval_body__chair_id",
        )
        .order_by("pk")
    )
    for version in versions.iterator(chunk_size=BATCH):
        policy = version.policy
        school = settings[policy.school_id]
        days_left = (version.next_review_on - today).days
        reviewers = holders.get((policy.school_id, policy.reviewer_role), [])
        context = {"version": version.pk, "days": days_left}
        if days_left >= 0:
            stages = [d for d in school.review_thresholds if days_left <= d]
            if not stages:
                continue
            cycle, kind, recipients = (
                f"review:{version.pk}:before:{min(stages)}",
                ReminderKind.REVIEW_DUE,
                reviewers,
            )
            subject = f"{policy.title} is due for review on {version.next_review_on:%-d %B %Y}"
        else:
            week = (-days_left - 1) // max(school.overdue_every_days, 1)
            chair = policy.approval_body.chair_id
            chairs = [chair] if chair else holders.get((policy.school_id, Role.CHAIR), [])
            cycle, kind = f"review:{version.pk}:overdue:{week}", ReminderKind.REVIEW_OVERDUE
            recipients = list(dict.fromkeys(reviewers + chairs))
            subject = f"{policy.title} is overdue for review (due {version.next_review_on:%-d %B %Y})"
        for person_id in recipients:
            yield Due(policy.school_id, person_id, kind, cycle, subject, context)


def signing_reminders(now: datetime, settings: SchoolSettings):
    """A person who owes an agreement: after a few days, then weekly, up to the school's limit."""
    for agreement in Agreement.objects.select_related("policy").filter(policy__kind=PolicyKind.AGREEMENT):
        version = binding_version(agreement)
        if version is None:
            continue
        school = settings[agreement.school_id]
        first_due = now - timedelta(days=school.chase_after_days)
        people = (
            outstanding(agreement, version)
            .filter(has_declined=False)  # a decline is followed up in person, not chased by email
            .annotate(
                since=Greatest("date_joined", Value(version.published_at, output_field=DateTimeField()))
            )
            .filter(since__lte=first_due)
            .values_list("pk", "since")
            .order_by("pk")
        )
        for person_id, since in people.iterator(chunk_size=BATCH):
            days = (now - since).days
            number = 1 + (days - school.chase_after_days) // max(school.chase_every_days, 1)
            if number > school.chase_at_most:
                continue
            yield Due(
                agreement.school_id, person_id, ReminderKind.SIGNING_CHASE,
                f"sign:{agreement.pk}:v{version.number}:{number}",
                f"Please sign the {agreement.policy.title}",
                {"agreement": agreement.pk, "number": number},
            )  # fmt: skip


def digest_reminders(today: date, settings: SchoolSettings):
    """The weekly digest for each school's administrators, on their day or later that week."""
    admins = _people_by_school_and_role([Role.SCHOOL_ADMIN])
    year, week, weekday = today.isocalendar()
    for (school_id, _role), people in admins.items():
        if weekday - 1 < settings[school_id].digest_weekday:
            continue
        for person_id in people:
            yield Due(
                school_id, person_id, ReminderKind.ADMIN_DIGEST, f"digest:{school_id}:{year}-W{week:02d}",
                f"Agreements still outstanding: week {week}", {"school": school_id},
            )  # fmt: skip


def new_version_reminders(version):
    """Everyone who owes a newly published agreement version: one email each."""
    agreement = Agreement.objects.filter(policy_id=version.policy_id).select_related("policy").first()
    if agreement is None:
        return
    people = outstanding(agreement).values_list("pk", flat=True).order_by("pk")
    for person_id in people.iterator(chunk_size=BATCH):
        yield Due(
            agreement.school_id, person_id, ReminderKind.NEW_VERSION, f"published:{version.pk}",
            f"A new version of the {agreement.policy.title} to sign", {"agreement": agreement.pk, "version": version.pk},
        )  # fmt: skip


def new_report_reminders(case):
    """A new concern: the people who triage it hear of it at once (never its subject).

    About the headteacher: the chair of governors alone. A child at immediate risk: every DSL.
    """
    from breaches.choices import Track

    if case.led_by_chair:
        roles = [Role.CHAIR]
    elif case.immediate_risk:
        roles = [Role.DSL] + ([] if case.track == Track.SAFEGUARDING else [Role.HEADTEACHER])
    else:
        roles = [Role.DSL] if case.track == Track.SAFEGUARDING else [Role.HEADTEACHER]
    people = (
        Person.objects.current()
        .filter(school_id=case.school_id, role_assignments__role__in=roles)
        .exclude(pk=case.subject_person_id)
        .distinct()
        .values_list("pk", flat=True)
    )
    subject = f"A concern to triage: {case.reference}"
    if case.immediate_risk:
        subject = f"Urgent, a child at immediate risk: {case.reference}"
    for person_id in people:
        yield Due(
            case.school_id, person_id, ReminderKind.NEW_REPORT, f"report:{case.pk}",
            subject, {"case": case.pk, "urgent": case.immediate_risk},
        )  # fmt: skip


def case_letter_reminders(letter):
    """A letter to the member of staff concerned: emailed once, and on their notifications page."""
    yield Due(
        letter.case.school_id, letter.recipient_id, ReminderKind.CASE_LETTER, f"letter:{letter.pk}",
        letter.subject, {"letter": letter.pk},
    )  # fmt: skip


def witness_request_reminders(signature):
    """The member of staff a pupil named, asked to confirm they talked the agreement through."""
    if not signature.witness_needs_confirming:
        return
    yield Due(
        signature.school_id, signature.witness_id, ReminderKind.WITNESS_REQUEST, f"witness:{signature.pk}",
        f"Please confirm you talked the {signature.agreement.title} through with {signature.person.get_full_name()}",
        {"signature": signature.pk},
    )  # fmt: skip


def decision_waiting_reminders(version, round_number):
    """Each governor of the approving body: a version waits for their decision."""
    policy = version.policy
    for person_id in policy.approval_body.members.values_list("pk", flat=True).order_by("pk"):
        yield Due(
            policy.school_id, person_id, ReminderKind.DECISION_WAITING, f"decision:{version.pk}:{round_number}",
            f"Your decision is needed: {policy.title}, {version.label}",
            {"version": version.pk, "round": round_number},
        )  # fmt: skip


def meeting_reminders(today: date, days_before: int):
    """Governors who have not decided on a version yet, once, a few days before the meeting the
    head named when submitting it (one cycle per round: a new submission names a new meeting)."""
    versions = (
        PolicyVersion.objects.filter(
            status=VersionStatus.SUBMITTED,
            meeting_on__gte=today,
            meeting_on__lte=today + timedelta(days=days_before),
        )
        .select_related("policy")
        .order_by("pk")
    )
    for version in versions:
        policy = version.policy
        decided = version.decisions.filter(round=version.round).values("governor_id")
        members = (
            policy.approval_body.members.filter(pk__in=Person.objects.current())
            .exclude(pk__in=decided)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        for person_id in members:
            yield Due(
                policy.school_id, person_id, ReminderKind.DECISION_MEETING,
                f"meeting:{version.pk}:{version.round}",
                f"Before the meeting on {version.meeting_on:%-d %B}: your decision on {policy.title}",
                {"version": version.pk, "round": version.round},
            )  # fmt: skip


def decision_made_reminders(version, round_number, outcome):
    """Whoever reviews the policy (the head, usually): the governors approved it or want changes."""
    policy = version.policy
    reviewers = (
        Person.objects.current()
        .filter(school_id=policy.school_id, role_assignments__role=policy.reviewer_role)
        .distinct()
        .values_list("pk", flat=True)
    )
    said = "approved" if outcome == "approved" else "asked for changes to"
    for person_id in reviewers:
        yield Due(
            policy.school_id, person_id, ReminderKind.DECISION_MADE, f"decided:{version.pk}:{round_number}",
            f"The governors {said} {policy.title}, {version.label}",
            {"version": version.pk, "round": round_number, "outcome": outcome},
        )  # fmt: skip
