"""The bulk export through a real Celery worker on the filesystem broker, over 50 signatures:
the ZIP holds 50 sealed PDFs and the index, the progress reaches 100%, and an export whose worker
is killed half-way is restarted and finishes without making the first half's PDFs again.

These tests share the test database with the worker process, so they commit for real
(`transactional_db`); on SQLite the test database is a file (glenwood/settings_test.py)."""

import csv
import io
import time
import zipfile

import pytest

from agreements import exports
from agreements.models import (
    Agreement,
    AgreementKind,
    Export,
    ExportGroup,
    ExportStatus,
    SignatureCertificate,
)
from people.seed import seed_people
from tests.agreements.evidence_helpers import VALID, add_signed_pupils, pdfsig

TIMEOUT = 120


@pytest.fixture
def fifty(transactional_db):
    """Glenwood's KS3 agreement and fifty Year 8 pupils who signed it (committed for the worker).
    Made before `real_worker` starts, while tasks still run in-process."""
    from agreements.seed import seed_agreements
    from policies.seed import seed_policies
    from tests.conftest import sealing_deferred

    with sealing_deferred():
        people = seed_people()
        seed_policies(people)
        seed_agreements(people)
    agreement = Agreement.objects.select_related("policy__current_version").get(
        school=people["glenwood"], kind=AgreementKind.KS3
    )
    add_signed_pupils(agreement, year_group=8, count=45, witness=people["teacher"])  # 45 + the demo's 5
    return people, agreement


def wait_for(export, condition, *, seconds=TIMEOUT, seen=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if seen is not None and (not seen or seen[-1] != export.percent):
            seen.append(export.percent)
        if condition(export):
            return export
        time.sleep(0.02)
    pytest.fail(f"Export {export.pk} is {export.status} at {export.done}/{export.total} after {seconds}s")


def contents(export):
    with export.file.open("rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    pdfs = {n: archive.read(n) for n in archive.namelist() if n.endswith(".pdf")}
    index = list(csv.DictReader(io.TextIOWrapper(archive.open("index.csv"), encoding="utf-8-sig")))
    return pdfs, index


def test_fifty_signatures_export_through_a_real_worker(fifty, real_worker):
    people, agreement = fifty
    real_worker(EVIDENCE_BATCH_SIZE=10, EVIDENCE_PROCESSES=2)
    export = exports.export_request(actor=people["admin"], agreement=agreement, group=ExportGroup.YEAR_8)
    assert export.total == 50
    seen = []
    wait_for(export, lambda e: e.status in (ExportStatus.DONE, ExportStatus.FAILED), seen=seen)

    assert export.status == ExportStatus.DONE, export.error
    assert (export.done, export.made, export.reused, export.percent) == (50, 50, 0, 100)
    assert seen[-1] == 100 and seen == sorted(seen)  # the progress only ever moved forward, to 100%
    pdfs, index = contents(export)
    assert len(pdfs) == 50 and len(index) == 50
    assert sorted(row["File"] for row in index) == sorted(pdfs)
    certificates = dict(SignatureCertificate.objects.values_list("code", "pdf_sha256"))
    assert {row["Verification code"] for row in index} == set(certificates)
    assert VALID in pdfsig(next(iter(pdfs.values())))


def test_an_export_whose_worker_is_killed_half_way_restarts_without_redoing_the_first_half(
    fifty, real_worker, settings
):
    people, agreement = fifty
    first = real_worker(EVIDENCE_BATCH_SIZE=5, EVIDENCE_PROCESSES=2)
    export = exports.export_request(actor=people["admin"], agreement=agreement, group=ExportGroup.YEAR_8)
    wait_for(
        export,
        lambda e: e.done >= 15 or (e.status != ExportStatus.QUEUED and e.status != ExportStatus.RUNNING),
    )
    first.kill()
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING, "the worker finished before it could be killed half-way"
    before = {
        c.signature_id: (c.code, c.pdf_sha256, c.created_at) for c in SignatureCertificate.objects.all()
    }
    assert 15 <= len(before) < 50

    # Nothing moves any more; once it counts as stalled, the head restarts it on a new worker.
    settings.EXPORT_STALLED_AFTER_SECONDS = 0
    assert exports.can_restart(export)
    exports.export_restart(actor=people["head"], export=export)
    real_worker(EVIDENCE_BATCH_SIZE=5, EVIDENCE_PROCESSES=2)
    wait_for(export, lambda e: e.status in (ExportStatus.DONE, ExportStatus.FAILED))

    assert export.status == ExportStatus.DONE, export.error
    assert (export.attempt, export.done, export.percent) == (2, 50, 100)
    assert (export.reused, export.made) == (len(before), 50 - len(before))
    after = {c.signature_id: (c.code, c.pdf_sha256, c.created_at) for c in SignatureCertificate.objects.all()}
    assert len(after) == 50
    assert {pk: after[pk] for pk in before} == before  # the first half's PDFs were not made again
    pdfs, index = contents(export)
    assert len(pdfs) == 50 and len(index) == 50
    assert Export.objects.get(pk=export.pk).status == ExportStatus.DONE
