from celery import shared_task

from .checks import evidence_check_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_evidence():
    """The nightly job: verify every chain and record; email the answerable people on failure."""
    evidence_check_run()
