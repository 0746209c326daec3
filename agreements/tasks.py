"""Background work for agreements: thin tasks that load by primary key and call a service."""

from celery import shared_task

from . import exports


# An export of thousands of signatures takes minutes, longer than the project's default limit;
# if even this runs out, the export is marked failed and a restart carries on where it stopped.
@shared_task(soft_time_limit=3600, time_limit=3660)
def build_export(export_id: int, attempt: int) -> None:
    exports.export_build(export_id=export_id, attempt=attempt)


@shared_task
def expire_exports() -> int:
    """Delete the ZIPs of expired exports. Meant for Celery beat (e.g. hourly); scheduled elsewhere."""
    return exports.exports_expire()
