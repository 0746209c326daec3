"""The transactional outbox: background work that a state change asks for, kept in the database.

Use it wherever a state change must cause work later (emails, reminders, exports, evidence PDFs),
inside the change's own transaction:

    from glenwood import outbox

    with transaction.atomic():
        ...save the change, write the audit entry...
        outbox.enqueue("agreements.tasks.build_export", export.pk, export.attempt)

`enqueue` writes one `OutboxMessage` row in that transaction, so the work exists exactly when the
change does: a rolled-back change asks for nothing, a committed one can never lose its work. Once
the transaction commits, the row is handed to the broker (Celery's `apply_async`). If the broker
is down, the request carries on as if nothing happened (a warning in the log, never a 500) and the
row waits. `sweep()` (a beat job every minute, and once whenever a worker starts) hands on every
row still waiting, and hands on again any row a worker has not run within OUTBOX_REHAND_AFTER_SECONDS
(a message lost with a Redis restart). A worker marks the row done when the task has run.

So a task named here may run more than once: it must take primary keys (JSON arguments) and be
idempotent, as every task of the portal is (a compare-and-set on the row it works on).
Use `waiting(task, *args)` to tell a person "queued, will start shortly" when the broker was down.
"""

import importlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

HEADER = "outbox_id"  # the message header that names the row, so the worker can mark it done
BATCH = 500
# A row just committed is handed on by its own request; the sweep leaves it that long.
GRACE = timedelta(seconds=10)
# Publishing gives up quickly: a person is waiting for the page, and the row is safe anyway.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# After a failed hand-on, this process leaves the broker alone for a while: one slow page, not many.
PAUSE_AFTER_FAILURE_SECONDS = 30
_broker_paused_until = 0.0


def enqueue(task: str, *args) -> OutboxMessage:
    """Ask for `task(*args)` to run once this transaction commits (or now, outside one)."""
    message = OutboxMessage.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: hand_on([message.pk]))
    return message


def waiting(task: str, *args) -> bool:
    """Is this work still waiting for the broker (it was down when the work was asked for)?"""
    return OutboxMessage.objects.filter(
        task=task, args=list(args), handed_at__isnull=True, done_at__isnull=True
    ).exists()


def _task(name):
    from celery import current_app

    module = name.rsplit(".", 1)[0]
    importlib.import_module(module)  # registers the task in this process
    return current_app.tasks[name]


def _publish(message) -> None:
    from celery import current_app

    task = _task(message.task)
    if current_app.conf.task_always_eager:
        # Tests and one-process set-ups run the task here and now; its own errors are its own.
        task.apply_async(message.args, headers={HEADER: message.pk})
        mark_done(message.pk)
        return
    task.apply_async(message.args, headers={HEADER: message.pk}, retry=True, retry_policy=RETRY_POLICY)


def _send(messages, *, pause_on_failure: bool) -> int:
    """Publish each message; stop at the first broker failure (the rest would fail too)."""
    global _broker_paused_until
    handed = 0
    for message in messages:
        try:
            _publish(message)
        except Exception as exc:
            from celery import current_app

            if current_app.conf.task_always_eager:
                raise
            logger.warning("Broker unreachable: %s waits in the outbox (%s)", message, exc)
            OutboxMessage.objects.filter(pk=message.pk).update(
                last_error=f"{type(exc).__name__}: {exc}"[:1000]
            )
            if pause_on_failure:
                _broker_paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
            break
        OutboxMessage.objects.filter(pk=message.pk).update(
            handed_at=timezone.now(), handed_count=F("handed_count") + 1, last_error=""
        )
        handed += 1
    return handed


def hand_on(ids) -> int:
    """After commit: give these rows to the broker. Never raises for a broker that is down."""
    if time.monotonic() < _broker_paused_until:
        return 0  # it failed a moment ago; the sweep hands these on
    return _send(OutboxMessage.objects.filter(pk__in=ids, handed_at__isnull=True), pause_on_failure=True)


def mark_done(message_id) -> None:
    OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).update(done_at=timezone.now())


def sweep() -> int:
    """Hand on every row still waiting, and again those handed on long ago but never run."""
    global _broker_paused_until
    _broker_paused_until = 0.0
    now = timezone.now()
    rehand_before = now - timedelta(seconds=settings.OUTBOX_REHAND_AFTER_SECONDS)
    # Waiting: its request's own hand-on failed, or never came (give that a moment to happen).
    waiting = Q(handed_at__isnull=True) & (~Q(last_error="") | Q(created_at__lte=now - GRACE))
    due = waiting | Q(handed_at__lte=rehand_before)
    handed = 0
    while True:
        with transaction.atomic():
            # Two sweeps at once (two beats, a worker starting) take different rows.
            batch = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(due, done_at__isnull=True)
                .order_by("pk")[:BATCH]
            )
            sent = _send(batch, pause_on_failure=False)
        handed += sent
        if sent < len(batch) or len(batch) < BATCH:
            break
    kept = now - timedelta(days=settings.OUTBOX_KEEP_DONE_DAYS)
    OutboxMessage.objects.filter(done_at__lte=kept).delete()
    return handed
