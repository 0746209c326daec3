"""Background work for agreements: thin tasks that load by primary key and call a service."""

from celery import shared_task

from . import certificates, exports


# Queued on commit by services.evidence_queue. A slow or absent time-stamping authority is a
# temporary failure: retried with a growing pause; if every try fails, the first page or download
# that needs the PDF makes it (certificates.certificate_for), from the same frozen record.
@shared_task(
    autoretry_for=(certificates.SealingFailed,), retry_backoff=15, retry_backoff_max=900, max_retries=10
)
def seal_evidence(kind: str, pk: int) -> None:
    certificates.evidence_seal(kind=kind, pk=pk)


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
