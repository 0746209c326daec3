"""What a person should look at now about policies, for their home page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from glenwood.attention import Attention

from .models import PolicyVersion, VersionStatus
from .selectors import DUE_SOON_DAYS, versions_awaiting


def attention_for(person) -> list[Attention]:
    items = [
        Attention(f"Decide on {v}", reverse("policies:version_decide", args=[v.pk]), "Awaiting your decision")
        for v in versions_awaiting(person)
    ]
    reviewer_versions = PolicyVersion.objects.filter(
        policy__school=person.school, policy__reviewer_role__in=person.roles
    ).select_related("policy")
    for v in reviewer_versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.APPROVED]):
        what = "Publish" if v.status == VersionStatus.APPROVED else "Finish and submit"
        note = (
            "Sent back by the governors"
            if v.governors_comments and v.status == VersionStatus.DRAFT
            else v.get_status_display()
        )
        items.append(Attention(f"{what} {v}", reverse("policies:version", args=[v.pk]), note))
    horizon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    for v in reviewer_versions.filter(status=VersionStatus.PUBLISHED, next_review_on__lte=horizon).order_by(
        "next_review_on"
    ):
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
