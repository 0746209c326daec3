"""What a person should look at now about policies, for their home page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from glenwood.attention import Attention

from .models import PolicyVersion, VersionStatus
from .selectors import DUE_SOON_DAYS, versions_awaiting

IN_PROGRESS = [VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED]
NEXT_STEP = {
    VersionStatus.DRAFT: "Finish and submit",
    VersionStatus.SUBMITTED: "With the governors:",
    VersionStatus.APPROVED: "Publish",
}


def _note(version):
    if version.status == VersionStatus.DRAFT and version.governors_comments:
        return "Sent back by the governors with comments"
    return version.get_status_display()


def attention_for(person) -> list[Attention]:
    items = [
        Attention(f"Decide on {v}", reverse("policies:version_decide", args=[v.pk]), "Awaiting your decision")
        for v in versions_awaiting(person)
    ]
    reviewer_versions = PolicyVersion.objects.filter(
        policy__school=person.school, policy__reviewer_role__in=person.roles
    ).select_related("policy")
    in_progress = reviewer_versions.filter(status__in=IN_PROGRESS)
    for v in in_progress:
        items.append(
            Attention(f"{NEXT_STEP[v.status]} {v}", reverse("policies:version", args=[v.pk]), _note(v))
        )
    horizon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    due = (
        reviewer_versions.filter(status=VersionStatus.PUBLISHED, next_review_on__lte=horizon)
        .exclude(policy__in=in_progress.values("policy"))
        .order_by("next_review_on")
    )
    for v in due:
        state = "overdue since" if v.is_review_overdue else "due"
        items.append(
            Attention(
                f"Review {v.policy.title}",
                reverse("policies:detail", args=[v.policy_id]),
                f"Review {state} {v.next_review_on:%-d %B %Y}",
                urgent=v.is_review_overdue,
            )
        )
    return items
