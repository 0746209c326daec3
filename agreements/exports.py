"""Bulk export of signed agreements: a ZIP of sealed evidence PDFs with a CSV index, made by a
Celery task while the page shows its progress.

The ZIP and its index are written to temporary files as the PDFs come, so memory stays the same
for ten signatures or ten thousand. Each signature's PDF is kept once (`certificates.py`): an
export that failed, or whose worker was killed, is restarted and reuses the PDFs already made.

The task is asked for through the outbox (glenwood/outbox.py), in the request's transaction, so
an export asked for while the broker is down waits and starts when it is back. While it runs, its
worker renews a lease (`heartbeat_at`) every EXPORT_HEARTBEAT_SECONDS; an export whose lease has
run out (its worker died) is resumed by the sweep, `exports_resume_stopped`, without anyone
pressing restart.
"""

import csv
import io
import logging
import shutil
import tempfile
import threading
import zipfile
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from itertools import islice

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from audit.services import audit_record
from glenwood import outbox
from glenwood.services import NotAllowed, ServiceError
from glenwood.spreadsheets import spreadsheet_safe
from people.access import can_see_school, visible_schools
from people.audiences import STAFF_ROLES
from people.models import Role, RoleAssignment
from policies.models import VersionStatus

from .certificates import certificates_store
from .evidence import EvidenceMaker, for_evidence
from .models import Export, ExportGroup, ExportStatus, Signature, SignatureCertificate

logger = logging.getLogger(__name__)

EXPORT_ROLES = (Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN)
GROUP_ROLES = {
    ExportGroup.STAFF: STAFF_ROLES,
    ExportGroup.VISITORS: {Role.VISITOR},
    ExportGroup.GOVERNORS: {Role.GOVERNOR, Role.CHAIR},
}
INDEX_HEADER = [
    "File", "Signature", "Last name", "First name", "Year group", "Agreement", "Version",
    "Signed at (UTC)", "SHA-256 of the text", "Verification code", "SHA-256 of the PDF",
]  # fmt: skip


class Superseded(Exception):
    """The export was restarted while this run was still going: the newer run carries on."""


def signatures_for(export):
    """The signatures an export holds: its agreement, version, group and dates, in name order."""
    signatures = Signature.objects.filter(agreement_id=export.agreement_id)
    if export.version_id:
        signatures = signatures.filter(version_id=export.version_id)
    if export.group.startswith("year-"):
        signatures = signatures.filter(person__year_group=int(export.group.removeprefix("year-")))
    elif export.group in GROUP_ROLES:
        holds = RoleAssignment.objects.filter(person=OuterRef("person"), role__in=GROUP_ROLES[export.group])
        signatures = signatures.filter(Exists(holds))
    zone = timezone.get_default_timezone()
    if export.signed_from:
        signatures = signatures.filter(signed_at__gte=datetime.combine(export.signed_from, time.min, zone))
    if export.signed_to:
        next_day = export.signed_to + timedelta(days=1)
        signatures = signatures.filter(signed_at__lt=datetime.combine(next_day, time.min, zone))
    return signatures.order_by("person__last_name", "person__first_name", "version__number", "pk")


BUILD_TASK = "agreements.tasks.build_export"


def _queue(export):
    """Inside the transaction: the worker is asked once it commits (or when the broker is back)."""
    outbox.enqueue(BUILD_TASK, export.pk, export.attempt)


def is_waiting_for_worker(export) -> bool:
    """Queued while the broker was down: it starts by itself as soon as the broker is back."""
    return export.status == ExportStatus.QUEUED and outbox.waiting(BUILD_TASK, export.pk, export.attempt)


def export_request(
    *, actor, agreement, version=None, group=ExportGroup.EVERYONE, signed_from=None, signed_to=None
):
    """Ask for an export; the worker starts on it once this transaction has committed."""
    if not actor.has_role(*EXPORT_ROLES) or not can_see_school(actor, agreement.school_id):
        raise NotAllowed("Only the headteacher and administrators export signed agreements.")
    if version is not None and (
        version.policy_id != agreement.policy_id
        or version.status not in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
    ):
        raise ServiceError("Choose a published version of this agreement.")
    if signed_from and signed_to and signed_from > signed_to:
        raise ServiceError("The first date must come before the last.")
    export = Export(
        school_id=agreement.school_id, requested_by=actor, agreement=agreement, version=version,
        group=group, signed_from=signed_from, signed_to=signed_to,
    )  # fmt: skip
    export.total = signatures_for(export).count()
    if not export.total:
        raise ServiceError("No signatures match these choices: there is nothing to export.")
    with transaction.atomic():
        # Asked again (a second click, a retry after a slow page) while the same one is still
        # waiting or being made: that one, not a second.
        same = Export.objects.select_for_update().filter(
            school_id=export.school_id, agreement=agreement, version=version, group=group,
            signed_from=signed_from, signed_to=signed_to,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        ).first()  # fmt: skip
        if same is not None:
            same.is_repeat = True
            return same
        export.save()
        audit_record(
            actor=actor, action="agreement.export_requested", record=export, school=export.school,
            detail={"agreement": agreement.pk, "version": version.label if version else None, "group": group,
                    "from": str(signed_from or ""), "to": str(signed_to or ""), "signatures": export.total},
        )  # fmt: skip
        _queue(export)
    return export


def is_stalled(export) -> bool:
    """Queued or running, but the worker has not moved it on for a while: it may have died."""
    if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return False
    last = export.progress_at or export.created_at
    return timezone.now() - last > timedelta(seconds=settings.EXPORT_STALLED_AFTER_SECONDS)


def can_restart(export) -> bool:
    return export.status == ExportStatus.FAILED or is_stalled(export)


def exports_resume_stopped(*, now=None) -> int:
    """The sweep: exports whose worker died (their lease ran out) start again by themselves, as a
    new attempt that reuses the PDFs already made. Nobody has to press restart."""
    now = now or timezone.now()
    expired = now - timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    stopped = Export.objects.filter(status=ExportStatus.RUNNING).filter(
        Q(heartbeat_at__lte=expired) | Q(heartbeat_at__isnull=True, progress_at__lte=expired)
    )
    resumed = 0
    for export in stopped.select_related("school"):
        with transaction.atomic():
            moved = Export.objects.filter(
                pk=export.pk,
                attempt=export.attempt,
                status=ExportStatus.RUNNING,
                heartbeat_at=export.heartbeat_at,
            ).update(status=ExportStatus.QUEUED, attempt=F("attempt") + 1, progress_at=now, heartbeat_at=None)
            if not moved:
                continue
            export.refresh_from_db()
            audit_record(
                actor=None, action="agreement.export_resumed", record=export, school=export.school,
                detail={"attempt": export.attempt, "done_before": export.done,
                        "lease_seconds": settings.EXPORT_LEASE_SECONDS},
            )  # fmt: skip
            _queue(export)
            resumed += 1
    return resumed


def export_restart(*, actor, export):
    """Start a failed or stalled export again; the PDFs it made before are kept and reused."""
    if not actor.has_role(*EXPORT_ROLES) or not can_see_school(actor, export.school_id):
        raise NotAllowed
    if not can_restart(export):
        raise ServiceError(
            "This export is still running: it can be restarted only if it fails or stops moving."
            if export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
            else f"This export is {export.get_status_display().lower()}; nothing was changed."
        )
    with transaction.atomic():
        moved = Export.objects.filter(pk=export.pk, attempt=export.attempt, status=export.status).update(
            status=ExportStatus.QUEUED, attempt=F("attempt") + 1, error="", progress_at=timezone.now()
        )
        if moved != 1:
            raise ServiceError("Someone else restarted this export a moment ago.")
        export.refresh_from_db()
        audit_record(
            actor=actor, action="agreement.export_restarted", record=export, school=export.school,
            detail={"attempt": export.attempt, "done_before": export.done},
        )  # fmt: skip
        _queue(export)
    return export


def _progress(export, **fields):
    """Move this run's export on; a restart since this run began means it must stop."""
    now = timezone.now()
    moved = Export.objects.filter(pk=export.pk, attempt=export.attempt, status=ExportStatus.RUNNING).update(
        progress_at=now, heartbeat_at=now, **fields
    )
    if moved != 1:
        raise Superseded


def _member_name(signature) -> str:
    person = signature.person
    return f"{slugify(person.last_name) or 'signer'}-{slugify(person.first_name)}-{signature.pk}.pdf"


def _index_row(name, signature, certificate) -> list[str]:
    person = signature.person
    return [spreadsheet_safe(v) for v in (
        name, signature.pk, person.last_name, person.first_name, person.year_group or "",
        signature.agreement.title, signature.version.label, signature.signed_at.isoformat(),
        signature.text_sha256, certificate.code, certificate.pdf_sha256,
    )]  # fmt: skip


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class _ZipWriter:
    """Writes PDFs into the ZIP and rows into its index as they come, and keeps the count."""

    def __init__(self, export, archive, index):
        self.export, self.archive, self.index = export, archive, index
        self.done = self.made = self.reused = 0

    def add(self, signature, certificate, pdf: bytes | None = None):
        name = _member_name(signature)
        if pdf is not None:
            self.archive.writestr(name, pdf)
            self.made += 1
        else:
            with certificate.pdf.open("rb") as source, self.archive.open(name, "w") as target:
                shutil.copyfileobj(source, target)
            self.reused += 1
        self.index.writerow(_index_row(name, signature, certificate))
        self.done += 1

    def save_progress(self):
        _progress(self.export, done=self.done, made=self.made, reused=self.reused)


def _still_to_make(signatures, size, zip_writer):
    """The signatures whose PDF was never made. Those made before (by an earlier attempt, another
    export or a signer's download) go straight into the ZIP as this passes them."""
    for batch in _batches(signatures.iterator(chunk_size=size), size):
        existing = {c.signature_id: c for c in SignatureCertificate.objects.filter(signature__in=batch)}
        for signature in batch:
            if signature.pk in existing:
                zip_writer.add(signature, existing[signature.pk])
            else:
                yield signature
        if existing:
            zip_writer.save_progress()


def _keep(export, made: list, sealer, zip_writer):
    """Store a batch of new PDFs as certificates and add them to the ZIP."""
    kept = certificates_store(made, actor=export.requested_by, sealer=sealer, export=export)
    for item in made:
        certificate = kept.get(item.signature.pk)
        if certificate is None:
            raise ServiceError(f"The PDF of signature {item.signature.pk} could not be kept.")
        # Where another export kept this signature's PDF a moment before, the ZIP holds theirs.
        zip_writer.add(item.signature, certificate, item.pdf if certificate.code == item.code else None)
    zip_writer.save_progress()


def _build(export):
    from glenwood import seal  # PDF libraries load only where a PDF is made

    sealer = seal.sealer()
    maker = EvidenceMaker(sealer=sealer)
    signatures = for_evidence(signatures_for(export))
    total = signatures.count()
    to_make = total - SignatureCertificate.objects.filter(signature__in=signatures_for(export)).count()
    _progress(export, total=total)
    with tempfile.TemporaryFile() as zip_file, tempfile.TemporaryFile() as index_file:
        # utf-8-sig: the index starts with a byte order mark so Excel shows accented names correctly.
        index_text = io.TextIOWrapper(index_file, encoding="utf-8-sig", newline="")
        index = csv.writer(index_text)
        index.writerow(INDEX_HEADER)
        # PDFs are compressed already: stored as they are, the ZIP costs no time to make.
        with zipfile.ZipFile(zip_file, "w", compression=zipfile.ZIP_STORED) as archive:
            zip_writer = _ZipWriter(export, archive, index)
            made = []
            for item in maker.make(_still_to_make(signatures, maker.batch_size, zip_writer), count=to_make):
                made.append(item)
                if len(made) == maker.batch_size:
                    _keep(export, made, sealer, zip_writer)
                    made = []
            if made:
                _keep(export, made, sealer, zip_writer)
            index_text.flush()
            index_file.seek(0)
            with archive.open("index.csv", "w") as target:
                shutil.copyfileobj(index_file, target)
        zip_file.seek(0)
        label = slugify(f"{export.agreement.kind} {export.get_group_display()}")
        stored = default_storage.save(f"exports/{export.school_id}/{export.pk}-{label}.zip", File(zip_file))
    made, reused = zip_writer.made, zip_writer.reused
    now = timezone.now()
    with transaction.atomic():
        finished = Export.objects.filter(pk=export.pk, attempt=export.attempt, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE, file=stored, finished_at=now, progress_at=now, done=total,
            expires_at=now + timedelta(hours=settings.EXPORT_LIFETIME_HOURS),
        )  # fmt: skip
        if finished:
            audit_record(
                actor=None, action="agreement.export_done", record=export, school=export.school,
                detail={"attempt": export.attempt, "signatures": total, "made": made, "reused": reused},
            )  # fmt: skip
    if not finished:
        default_storage.delete(stored)
        raise Superseded


@contextmanager
def _lease(export_id: int, attempt: int):
    """Renew the running export's lease from a thread while this process lives: a worker busy on
    one long batch keeps it; a dead one (or one killed by the time limit) stops renewing it."""
    if connection.vendor == "sqlite":
        # SQLite: the export reads its signatures through an open cursor, and a write from another
        # connection meanwhile makes its next write fail ("database is locked"). The embedded
        # set-up renews the lease with each batch's progress only (keep EXPORT_LEASE_SECONDS above
        # a batch's time).
        yield
        return
    stop = threading.Event()

    def renew():
        try:
            while not stop.wait(settings.EXPORT_HEARTBEAT_SECONDS):
                try:
                    Export.objects.filter(pk=export_id, attempt=attempt, status=ExportStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a database blip: try again next time, the lease has slack
                    logger.exception("Export %s: the lease could not be renewed", export_id)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=renew, name=f"export-{export_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def export_build(*, export_id: int, attempt: int) -> None:
    """The worker's job: make the ZIP for one attempt of an export. Safe to run twice."""
    now = timezone.now()
    started = Export.objects.filter(pk=export_id, attempt=attempt, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now, progress_at=now, heartbeat_at=now,
        done=0, made=0, reused=0, error="",
    )  # fmt: skip
    if not started:
        return  # a duplicate delivery, or a restart has replaced this attempt
    export = Export.objects.select_related("agreement__policy", "school", "requested_by").get(pk=export_id)
    try:
        with _lease(export_id, attempt):
            _build(export)
    except Superseded:
        logger.info("Export %s attempt %s was restarted elsewhere; this run stops.", export_id, attempt)
    except Exception as exc:
        from glenwood import seal

        logger.exception("Export %s failed", export_id)
        if isinstance(exc, ServiceError):
            message = str(exc)
        elif isinstance(exc, seal.TimestampUnavailable):
            message = "The trusted time service did not answer. Restart it: it carries on where it stopped."
        elif isinstance(exc, SoftTimeLimitExceeded):
            message = "It ran out of time. Restart it: it carries on where it stopped."
        else:
            message = "Something went wrong while making the PDFs."
        with transaction.atomic():
            failed = Export.objects.filter(pk=export_id, attempt=attempt, status=ExportStatus.RUNNING).update(
                status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
            )
            if failed:
                audit_record(
                    actor=None, action="agreement.export_failed", record=export, school=export.school,
                    detail={"attempt": attempt, "error": f"{type(exc).__name__}: {exc}"[:500]},
                )  # fmt: skip


def exports_expire() -> int:
    """Delete the ZIPs of exports past their time; the PDFs inside stay kept as certificates."""
    expired = 0
    for export in Export.objects.filter(status=ExportStatus.DONE, expires_at__lte=timezone.now()):
        with transaction.atomic():
            moved = Export.objects.filter(pk=export.pk, status=ExportStatus.DONE).update(
                status=ExportStatus.EXPIRED, file=""
            )
            if moved:
                audit_record(
                    actor=None, action="agreement.export_expired", record=export, school=export.school
                )
                transaction.on_commit(lambda name=export.file.name: default_storage.delete(name))
                expired += 1
    return expired


def exports_for(person):
    """The exports of the schools this person sees (another school's are simply not there)."""
    return Export.objects.filter(school__in=visible_schools(person)).select_related(
        "agreement__policy", "version", "requested_by", "school"
    )
