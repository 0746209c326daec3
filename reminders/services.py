"""Recording reminders (exactly once, by the database) and delivering them (at most once each).

Recording: each due reminder is inserted with ON CONFLICT DO NOTHING on (recipient, cycle).
Delivering: a reminder is claimed by an UPDATE of its pending row inside the transaction that
sends it and marks it sent. A second worker's UPDATE waits for that transaction and then finds
the row sent; a worker killed mid-send leaves its transaction rolled back and the row pending,
so the task, delivered again (acks_late), sends it once.
"""

import logging
from itertools import islice

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record

from . import emails, scan
from .models import Notification, Reminder, ReminderStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def reminders_record(due) -> int:
    """Insert the due reminders that do not exist yet; return how many rows were offered."""
    offered = 0
    for batch in _batches(due, scan.BATCH):
        Reminder.objects.bulk_create(
            [
                Reminder(
                    school_id=d.school_id,
                    recipient_id=d.recipient_id,
                    kind=d.kind,
                    cycle=d.cycle,
                    subject=d.subject[:200],
                    context=d.context,
                )
                for d in batch
            ],
            ignore_conflicts=True,
        )
        offered += len(batch)
    return offered


def reminders_scan(*, today=None, now=None) -> int:
    """The daily job: record every reminder due today (or missed since)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    settings = scan.SchoolSettings()
    offered = reminders_record(scan.review_reminders(today, settings))
    offered += reminders_record(scan.signing_reminders(now, settings))
    offered += reminders_record(scan.digest_reminders(today, settings))
    return offered


def pending_ids(older_than=None) -> list[int]:
    pending = Reminder.objects.filter(status=ReminderStatus.PENDING)
    if older_than is not None:
        pending = pending.filter(created_at__lte=older_than)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def reminder_deliver(*, reminder_id) -> bool:
    """Send one reminder by email and in the app. False when it was already sent or given up on."""
    try:
        with transaction.atomic():
            claimed = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
                attempts=F("attempts") + 1
            )
            if not claimed:
                return False
            reminder = Reminder.objects.select_related("recipient", "school").get(pk=reminder_id)
            sent = emails.send_reminder(reminder)
            now = timezone.now()
            Reminder.objects.filter(pk=reminder_id).update(
                status=ReminderStatus.SENT, sent_at=now, last_error=""
            )
            Notification.objects.create(
                recipient=reminder.recipient,
                reminder=reminder,
                title=sent.subject,
                body=sent.text,
                url=sent.url,
            )
            audit_record(
                actor=None, action="reminder.sent", record=reminder, school=reminder.school,
                detail={"kind": reminder.kind, "cycle": reminder.cycle, "to": reminder.recipient_id},
            )  # fmt: skip
        return True
    except Exception as exc:
        _record_failure(reminder_id, exc)
        raise


def _record_failure(reminder_id, exc):
    """The send failed and rolled back: count the attempt; after the last one, give up visibly."""
    logger.warning("Reminder %s could not be sent: %s", reminder_id, exc)
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:1000]
        )
        Reminder.objects.filter(
            pk=reminder_id, status=ReminderStatus.PENDING, attempts__gte=MAX_ATTEMPTS
        ).update(status=ReminderStatus.FAILED)


def reminder_settings_change(*, actor, settings, **changes):
    """A school changes its reminder intervals; they apply from the next daily scan."""
    changed = {field: value for field, value in changes.items() if getattr(settings, field) != value}
    if not changed:
        return settings
    with transaction.atomic():
        for field, value in changed.items():
            setattr(settings, field, value)
        settings.save(update_fields=list(changed))
        audit_record(
            actor=actor, action="reminder_settings.changed", record=settings, school=settings.school,
            detail={field: str(value) for field, value in changed.items()},
        )  # fmt: skip
    return settings


def notification_mark_read(*, person, notification_id) -> None:
    Notification.objects.filter(pk=notification_id, recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
