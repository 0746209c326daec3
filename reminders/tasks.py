"""Thin Celery tasks: each loads by primary key or date and calls a service.

All are idempotent, so they acknowledge late and are handed to another worker if theirs dies.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from glenwood import outbox
from policies.models import PolicyVersion

from . import scan, services

logger = logging.getLogger(__name__)

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


def queue_delivery(ids):
    for start in range(0, len(ids), 200):
        outbox.enqueue("reminders.tasks.deliver_reminders", ids[start : start + 200])


@shared_task(**RELIABLE)
def scan_reminders():
    """The daily job: record what is due (or was missed), then send everything waiting."""
    services.reminders_scan()
    queue_delivery(services.pending_ids())


@shared_task(**RELIABLE)
def deliver_reminders(reminder_ids):
    sent = 0
    for reminder_id in reminder_ids:
        try:
            sent += services.reminder_deliver(reminder_id=reminder_id)
        except Exception:
            # Already counted on the reminder; the sweep tries it again later.
            logger.exception("Reminder %s not sent", reminder_id)
    return sent


@shared_task(**RELIABLE)
def sweep_pending_reminders():
    """Every minute, and when a worker starts: a send interrupted by a dead worker is sent again,
    and anything still waiting (a failed send, a lost message) goes out."""
    resumed = services.reminders_resume_interrupted()  # sent at once, however recent
    waiting = services.pending_ids(
        older_than=timezone.now() - timedelta(seconds=settings.REMINDER_SWEEP_AFTER_SECONDS)
    )
    queue_delivery(sorted(set(resumed) | set(waiting)))


@shared_task(**RELIABLE)
def announce_new_version(version_id):
    version = PolicyVersion.objects.get(pk=version_id)
    services.reminders_record(scan.new_version_reminders(version))
    queue_delivery(services.pending_ids())


@shared_task(**RELIABLE)
def announce_new_report(case_id):
    from breaches.models import Case

    services.reminders_record(scan.new_report_reminders(Case.objects.get(pk=case_id)))
    queue_delivery(services.pending_ids())


@shared_task(**RELIABLE)
def announce_case_letter(letter_id):
    from breaches.models import Letter

    services.reminders_record(scan.case_letter_reminders(Letter.objects.get(pk=letter_id)))
    queue_delivery(services.pending_ids())


@shared_task(**RELIABLE)
def announce_witness_request(signature_id):
    from agreements.models import Signature

    services.reminders_record(scan.witness_request_reminders(Signature.objects.get(pk=signature_id)))
    queue_delivery(services.pending_ids())


@shared_task(**RELIABLE)
def announce_decision_waiting(version_id, round_number):
    services.reminders_record(
        scan.decision_waiting_reminders(PolicyVersion.objects.get(pk=version_id), round_number)
    )
    queue_delivery(services.pending_ids())


@shared_task(**RELIABLE)
def announce_decision_made(version_id, round_number, outcome):
    version = PolicyVersion.objects.get(pk=version_id)
    services.reminders_record(scan.decision_made_reminders(version, round_number, outcome))
    queue_delivery(services.pending_ids())
