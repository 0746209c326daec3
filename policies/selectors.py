"""Read-side queries: which policies and versions a person sees, and the review schedule."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from people.access import visible_schools
from people.audiences import audiences_of, sees_every_policy
from people.models import LEADERSHIP_ROLES, Role

from .models import ApprovalDecision, Policy, PolicyVersion, VersionStatus

DUE_SOON_DAYS = 60
RECENT_DAYS = 90


def policies_visible_to(person):
    policies = Policy.objects.filter(school__in=visible_schools(person)).select_related(
        "current_version", "approval_body", "school"
    )
    if sees_every_policy(person):
        return policies
    return policies.for_audiences(audiences_of(person)).filter(current_version__isnull=False)


def review_schedule(person, today=None):
    today = today or timezone.localdate()
    current = PolicyVersion.objects.filter(
        status=VersionStatus.PUBLISHED, policy__in=policies_visible_to(person)
    ).select_related("policy", "policy__school", "policy__approval_body")
    return {
        "overdue": current.filter(next_review_on__lt=today).order_by("next_review_on"),
        "due_soon": current.filter(
            next_review_on__gte=today, next_review_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        ).order_by("next_review_on"),
        "recently_approved": PolicyVersion.objects.filter(
            policy__in=policies_visible_to(person),
            approved_at__gte=timezone.now() - timedelta(days=RECENT_DAYS),
        )
        .select_related("policy", "policy__school")
        .order_by("-approved_at"),
        "with_the_governors": with_the_governors(person),
        "shows_decisions": person.has_role(*LEADERSHIP_ROLES, Role.GOVERNOR, Role.CHAIR),
        "awaiting_me": set(versions_awaiting(person).values_list("pk", flat=True)),
        "today": today,
        "due_soon_days": DUE_SOON_DAYS,
    }


def review_counts(person, today=None) -> dict:
    """The review schedule's overdue and due-soon figures, in one query (for the home page)."""
    today = today or timezone.localdate()
    return PolicyVersion.objects.filter(
        status=VersionStatus.PUBLISHED, policy__in=policies_visible_to(person)
    ).aggregate(
        overdue=Count("pk", filter=Q(next_review_on__lt=today)),
        due_soon=Count(
            "pk",
            filter=Q(next_review_on__gte=today, next_review_on__lte=today + timedelta(days=DUE_SOON_DAYS)),
        ),
    )


def with_the_governors(person):
    """Revisions waiting for the governors (submitted) or for publishing (approved) that this person
    may see: the school's leaders see them all, a governor those of the bodies they sit on."""
    versions = PolicyVersion.objects.filter(
        status__in=[VersionStatus.SUBMITTED, VersionStatus.APPROVED],
        policy__school__in=visible_schools(person),
    ).select_related("policy", "policy__school", "policy__approval_body")
    if person.has_role(*LEADERSHIP_ROLES):
        return versions.order_by("submitted_at", "pk")
    if person.has_role(Role.GOVERNOR, Role.CHAIR):
        return versions.filter(
            status=VersionStatus.SUBMITTED, policy__approval_body__members=person
        ).order_by("submitted_at", "pk")
    return versions.none()


def versions_awaiting(person):
    """Submitted versions on which this governor has not yet decided in the current round."""
    decided = ApprovalDecision.objects.filter(
        version=OuterRef("pk"), round=OuterRef("round"), governor=person
    )
    return (
        PolicyVersion.objects.filter(status=VersionStatus.SUBMITTED, policy__approval_body__members=person)
        .exclude(Exists(decided))
        .select_related("policy")
    )
