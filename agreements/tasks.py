"""Background work for agreements: thin tasks that load by primary key and call a service."""

from celery import shared_task

from . import exports


# An export of thousands of signatures takes minutes, longer than the project's default limit
# (about 25 PDFs a second: 50,000 in this one). If even this runs out, the export is marked failed
# and a restart carries on where it stopped. The hard limit stays under Redis's visibility timeout
# (an hour), so a running export is never handed to a second worker; if it were, the second would
# see the export already running and stop.
@shared_task(soft_time_limit=2000, time_limit=2100)
def build_export(export_id: int, attempt: int) -> None:
    exports.export_build(export_id=export_id, attempt=attempt)


@shared_task(acks_late=True)
def resume_stopped_exports() -> int:
    """Every minute, and when a worker starts: exports whose worker died start again."""
    return exports.exports_resume_stopped()


@shared_task
def expire_exports() -> int:
    """Delete the ZIPs of expired exports. Meant for Celery beat (e.g. hourly); scheduled elsewhere."""
    return exports.exports_expire()
