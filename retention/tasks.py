"""Background work for retention: thin tasks that call a service."""

from celery import shared_task

from . import access, services


@shared_task
def list_due_records() -> int:
    """Monthly (beat): list what has reached its retention date for review. Deletes nothing."""
    return services.review_list()


@shared_task(soft_time_limit=600, time_limit=660)
def build_subject_access(request_id: int) -> None:
    access.access_build(request_id=request_id)
