"""What falls due next, for the reminders page: the same rules as the scan, looking ahead."""

from datetime import timedelta

from django.db.models import Count, DateTimeField, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from agreements.models import Agreement
from agreements.obligations import binding_version, outstanding
from policies.models import PolicyVersion, VersionStatus

from .models import ReminderSettings

LOOK_AHEAD_DAYS = 14


def upcoming_reviews(schools, settings: ReminderSettings, today=None):
    """Versions whose next reminder (a notice threshold or the weekly overdue one) is within 14 days."""
    today = today or timezone.localdate()
    notice = max(settings.review_thresholds, default=0)
    versions = (
        PolicyVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            policy__school__in=schools,
            next_review_on__lte=today + timedelta(days=notice + LOOK_AHEAD_DAYS),
        )
        .select_related("policy", "policy__school")
        .order_by("next_review_on")
    )
    rows = []
    for version in versions:
        days_left = (version.next_review_on - today).days
        if days_left < 0:
            overdue = -days_left
            step = max(settings.overdue_every_days, 1)
            next_on = today + timedelta(days=(step - (overdue - 1) % step) % step)
            what = "Overdue: weekly reminder to the reviewer and the chair"
        else:
            future = [d for d in settings.review_thresholds if days_left > d]
            if not future:
                continue
            threshold = max(future)
            next_on = version.next_review_on - timedelta(days=threshold)
            what = f"{threshold}-day notice to the reviewer"
        if next_on <= today + timedelta(days=LOOK_AHEAD_DAYS):
            rows.append({"version": version, "on": next_on, "what": what})
    return sorted(rows, key=lambda r: r["on"])


def upcoming_chasers(schools, settings: ReminderSettings, now=None):
    """For each agreement: how many people get a signing reminder in the next 14 days."""
    now = now or timezone.now()
    rows = []
    for agreement in Agreement.objects.filter(school__in=schools).select_related("policy", "school"):
        version = binding_version(agreement)
        if version is None:
            continue
        horizon = now + timedelta(days=LOOK_AHEAD_DAYS) - timedelta(days=settings.chase_after_days)
        counts = (
            outstanding(agreement, version)
            .annotate(
                since=Greatest("date_joined", Value(version.published_at, output_field=DateTimeField()))
            )
            .aggregate(
                due=Count("pk", filter=Q(has_declined=False, since__lte=horizon)),
                declined=Count("pk", filter=Q(has_declined=True)),
            )
        )
        rows.append({"agreement": agreement, **counts})
    return rows
