"""What falls due next, for the reminders page: the same rules as the scan, looking ahead."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from agreements.models import Agreement, Decline, Signature
from agreements.obligations import binding_versions, bound, satisfying
from people.models import Person
from people.year_groups import year_agreements
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
    """For each agreement: how many people get a signing reminder in the next 14 days, and how many
    declined (followed up in person). One query for every agreement of the schools together."""
    now = now or timezone.now()
    horizon = now + timedelta(days=LOOK_AHEAD_DAYS) - timedelta(days=settings.chase_after_days)
    agreements = list(Agreement.objects.filter(school__in=schools).select_related("policy", "school"))
    versions = binding_versions(agreements)
    by_year, counts, rows = {}, {}, []
    for agreement in agreements:
        version = versions[agreement.pk]
        if version is None:
            continue
        if agreement.school_id not in by_year:
            by_year[agreement.school_id] = year_agreements(agreement.school_id)
        owes = bound(agreement, by_year[agreement.school_id]) & ~Q(
            pk__in=satisfying(Signature, agreement, version)
        )
        declined = Q(pk__in=satisfying(Decline, agreement, version))
        counts[f"declined_{agreement.pk}"] = Count("pk", filter=owes & declined)
        # Chased from the later of joining and publication: both must be past the horizon.
        if version.published_at <= horizon:
            counts[f"due_{agreement.pk}"] = Count("pk", filter=owes & ~declined & Q(date_joined__lte=horizon))
        rows.append(agreement)
    totals = Person.objects.current().filter(school__in=schools).aggregate(**counts) if counts else {}
    return [
        {"agreement": a, "due": totals.get(f"due_{a.pk}", 0), "declined": totals[f"declined_{a.pk}"]}
        for a in rows
    ]
