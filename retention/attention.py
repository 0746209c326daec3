"""What the retention work asks of people on their home page: decisions and confirmations due."""

from django.urls import reverse
from django.utils import timezone

from glenwood.attention import Attention
from people.access import visible_schools

from .models import AccessStatus, ReviewItem, ReviewStatus, RuleAction, SubjectAccessRequest
from .services import ADMINISTRATORS, REVIEWERS


def attention_for(person) -> list[Attention]:
    items = []
    waiting = ReviewItem.objects.filter(status=ReviewStatus.WAITING, school__in=visible_schools(person))
    url = reverse("retention:queue")
    if person.has_role(*REVIEWERS):
        count = waiting.filter(rule__action=RuleAction.REVIEW).count()
        if count:
            items.append(Attention(f"Review {count} record{'s' if count != 1 else ''} past their retention date",
                                   url, "Decide whether each is kept, and record why."))  # fmt: skip
    if person.has_role(*ADMINISTRATORS):
        count = waiting.exclude(rule__action=RuleAction.REVIEW).count()
        if count:
            items.append(Attention(f"Confirm {count} deletion{'s' if count != 1 else ''} due under the retention schedule",
                                   url, "Nothing is deleted until you confirm."))  # fmt: skip
        open_requests = SubjectAccessRequest.objects.filter(school__in=visible_schools(person)).exclude(
            status=AccessStatus.DONE
        )
        for request in open_requests.select_related("person")[:5]:
            items.append(Attention(f"Subject access request due {request.due_on:%-d %B %Y}",
                                   reverse("retention:access_detail", args=[request.pk]),
                                   request.get_status_display(), urgent=request.due_on <= timezone.localdate()))  # fmt: skip
    return items
