"""The outbox's sweep: a beat job every minute, and once whenever a worker starts."""

from celery import shared_task

from . import outbox


@shared_task(acks_late=True)
def outbox_sweep() -> int:
    return outbox.sweep()
