"""Recording reminders (exactly once, by the database) and delivering them (once each, and
visibly twice in the one case that cannot be told apart).

Recording: each due reminder is inserted with ON CONFLICT DO NOTHING on (recipient, cycle).
Delivering: a reminder is claimed by moving it from "pending" to "sending" and committing that,
before the email goes out; after the send it moves to "sent" in the transaction that writes its
notification and audit entry. Two workers cannot both claim it. A worker that dies mid-send
leaves it "sending": the sweep (`reminders_resume_interrupted`) puts it back to "pending", counts
a resend and records it, and it is sent again with the same Message-ID. Whether the first email
went out cannot be known (the SMTP server may have accepted it just before the crash), so the
reminders page shows the resend; mail systems that de-duplicate by Message-ID show it once.
"""

import logging
from datetime import timedelta
from itertools import islice

from django.conf import settings as django_settings
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
    offered += reminders_record(scan.meeting_reminders(today, django_settings.MEETING_REMINDER_DAYS_BEFORE))
    return offered


def pending_ids(older_than=None) -> list[int]:
    pending = Reminder.objects.filter(status=ReminderStatus.PENDING)
    if older_than is not None:
        pending = pending.filter(created_at__lte=older_than)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def reminder_deliver(*, reminder_id) -> bool:
    """Send one reminder by email and in the app. False when it was already sent, being sent or
    given up on."""
    claimed_at = timezone.now()
    with transaction.atomic():  # committed before the send: a crash from here on is visible
        claimed = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.SENDING, sending_since=claimed_at, attempts=F("attempts") + 1
        )
    if not claimed:
        return False
    reminder = Reminder.objects.select_related("recipient", "school").get(pk=reminder_id)
    try:
        sent = emails.send_reminder(reminder)
    except Exception as exc:
        _record_failure(reminder_id, claimed_at, exc)
        raise
    with transaction.atomic():
        # Only this claim's send counts: if the sweep took the reminder back meanwhile (this
        # worker was too slow), the resend records it instead.
        moved = Reminder.objects.filter(
            pk=reminder_id, status=ReminderStatus.SENDING, sending_since=claimed_at
        ).update(status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
        if not moved:
            return False
        Notification.objects.create(
            recipient=reminder.recipient, reminder=reminder, title=sent.subject, body=sent.text, url=sent.url
        )
        audit_record(
            actor=None, action="reminder.sent", record=reminder, school=reminder.school,
            detail={"kind": reminder.kind, "cycle": reminder.cycle, "to": reminder.recipient_id,
                    "message_id": emails.message_id(reminder), "resends": reminder.resends},
        )  # fmt: skip
    return True


def _record_failure(reminder_id, claimed_at, exc):
    """The send failed: back to waiting with the error; after the last attempt, give up visibly."""
    logger.warning("Reminder %s could not be sent: %s", reminder_id, exc)
    with transaction.atomic():
        ours = Reminder.objects.filter(
            pk=reminder_id, status=ReminderStatus.SENDING, sending_since=claimed_at
        )
        ours.filter(attempts__lt=MAX_ATTEMPTS).update(
            status=ReminderStatus.PENDING, sending_since=None, last_error=str(exc)[:1000]
        )
        ours.update(status=ReminderStatus.FAILED, sending_since=None, last_error=str(exc)[:1000])


def reminders_resume_interrupted(*, now=None) -> list[int]:
    """Reminders left "sending" by a worker that died: back to waiting, each resend recorded.
    Returns their ids, to be sent at once."""
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=django_settings.REMINDER_SENDING_TIMEOUT_SECONDS)
    resumed = []
    stuck = Reminder.objects.filter(status=ReminderStatus.SENDING, sending_since__lte=stuck_before)
    for reminder in stuck.select_related("school"):
        with transaction.atomic():
            moved = Reminder.objects.filter(
                pk=reminder.pk, status=ReminderStatus.SENDING, sending_since=reminder.sending_since
            ).update(status=ReminderStatus.PENDING, sending_since=None, resends=F("resends") + 1)
            if not moved:
                continue
            audit_record(
                actor=None, action="reminder.resend", record=reminder, school=reminder.school,
                detail={"kind": reminder.kind, "cycle": reminder.cycle, "to": reminder.recipient_id,
                        "message_id": emails.message_id(reminder),
                        "interrupted_at": reminder.sending_since.isoformat()},
            )  # fmt: skip
            resumed.append(reminder.pk)
    return resumed


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
