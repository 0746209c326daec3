"""Evidence exports with the task run in-process (eager): choices, the ZIP and its index, progress,
download, restart without redoing PDFs, expiry. test_export_worker.py runs them on a real worker."""

import csv
import datetime
import io
import zipfile

import pytest
import time_machine
from django.utils import timezone

from agreements import evidence, exports
from agreements.models import Export, ExportGroup, ExportStatus, Signature, SignatureCertificate
from audit.models import AuditEntry
from glenwood.services import NotAllowed, ServiceError
from glenwood.spreadsheets import spreadsheet_safe
from tests.agreements.evidence_helpers import VALID, add_signed_pupils, pdfsig


def zip_of(export) -> zipfile.ZipFile:
    with export.file.open("rb") as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


def index_of(archive) -> list[dict]:
    return list(csv.DictReader(io.TextIOWrapper(archive.open("index.csv"), encoding="utf-8-sig")))


@pytest.fixture
def year7(demo, ks3_aua):
    """Twelve more Year 7 pupils who signed the KS3 agreement: seventeen Year 7 signatures in all."""
    add_signed_pupils(ks3_aua, year_group=7, count=12, witness=demo["teacher"])
    return Signature.objects.filter(agreement=ks3_aua, person__year_group=7)


def test_admin_exports_year7_through_the_pages(
    demo, login, ks3_aua, year7, django_capture_on_commit_callbacks
):
    client = login("admin")
    form = {"agreement": ks3_aua.pk, "version": ks3_aua.policy.current_version.pk, "group": "year-7"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/agreements/exports/", form)
    assert len(callbacks) == 1  # the task is queued only once the export is committed
    export = Export.objects.get()
    assert response.status_code == 302 and response.url == f"/agreements/exports/{export.pk}/"
    export.refresh_from_db()
    assert (export.status, export.total, export.done, export.made, export.reused) == ("done", 17, 17, 17, 0)

    progress = client.get(f"/agreements/exports/{export.pk}/progress.json").json()
    assert progress["percent"] == 100 and progress["status"] == "done" and progress["finished"]
    assert progress["download_url"] == f"/agreements/exports/{export.pk}/download/"
    assert "Download the ZIP" in client.get(f"/agreements/exports/{export.pk}/").content.decode()

    response = client.get(progress["download_url"])
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="signed-agreements-ks3-year-7-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 17 and "index.csv" in archive.namelist()
    rows = index_of(archive)
    assert sorted(r["File"] for r in rows) == sorted(pdfs)
    assert {r["Year group"] for r in rows} == {"7"}
    codes = dict(SignatureCertificate.objects.values_list("code", "pdf_sha256"))
    for row in rows:
        assert codes[row["Verification code"]] == row["SHA-256 of the PDF"]
    assert VALID in pdfsig(archive.read(pdfs[0]))
    actions = set(AuditEntry.objects.filter(record_type="agreements.export").values_list("action", flat=True))
    assert actions == {"agreement.export_requested", "agreement.export_done", "agreement.export_downloaded"}


@pytest.mark.parametrize(
    "group,usernames",
    [
        (ExportGroup.STAFF, {"head", "deputy", "dsl", "admin"}),
        (ExportGroup.GOVERNORS, {"chair"}),
        (ExportGroup.VISITORS, {"careers"}),
    ],
)
def test_groups_choose_who_is_exported(demo, group, usernames):
    from agreements.models import Agreement

    kind = {"staff": "staff", "governors": "governor", "visitors": "visitor"}[group]
    agreement = Agreement.objects.get(school=demo["glenwood"], kind=kind)
    export = Export(agreement=agreement, school=demo["glenwood"], group=group)
    found = set(exports.signatures_for(export).values_list("person__username", flat=True))
    assert usernames <= found
    assert not found & {"teacher", "y7pupil1", "governor"}


def test_dates_limit_the_export(demo, ks3_aua, year7):
    today = timezone.localdate()
    export = Export(agreement=ks3_aua, school=demo["glenwood"], group=ExportGroup.YEAR_7)
    assert exports.signatures_for(export).count() == 17
    export.signed_from = export.signed_to = today - datetime.timedelta(days=3)
    assert exports.signatures_for(export).count() == 12  # the bulk pupils signed three days ago
    export.signed_from, export.signed_to = today, today
    assert exports.signatures_for(export).count() == 5  # the demo's pupils signed today


def test_nothing_to_export_or_the_wrong_person_is_refused(demo, ks3_aua, staff_aua):
    with pytest.raises(ServiceError, match="nothing to export"):
        exports.export_request(actor=demo["admin"], agreement=ks3_aua, group=ExportGroup.YEAR_11)
    with pytest.raises(ServiceError, match="published version of this agreement"):
        exports.export_request(
            actor=demo["admin"], agreement=ks3_aua, version=staff_aua.policy.current_version
        )
    for username in ("deputy", "teacher", "hillside-head"):
        with pytest.raises(NotAllowed):
            exports.export_request(actor=demo[username], agreement=ks3_aua)
    assert not Export.objects.exists()


def test_a_failed_export_restarts_without_redoing_the_pdfs_already_made(
    demo, ks3_aua, year7, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_BATCH_SIZE = 5
    real = evidence.EvidenceMaker._prepare
    batches = []

    def fail_on_the_third_batch(self, signatures):
        batches.append([s.pk for s in signatures])
        if len(batches) == 3:
            raise OSError("disk full")
        return real(self, signatures)

    monkeypatch.setattr(evidence.EvidenceMaker, "_prepare", fail_on_the_third_batch)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua, group=ExportGroup.YEAR_7)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.done == 10
    assert export.error == "Something went wrong while making the PDFs."
    kept = dict(SignatureCertificate.objects.values_list("signature_id", "pdf_sha256"))
    assert len(kept) == 10

    with django_capture_on_commit_callbacks(execute=True):
        exports.export_restart(actor=demo["head"], export=export)
    export.refresh_from_db()
    assert (export.status, export.attempt, export.done, export.made, export.reused) == ("done", 2, 17, 7, 10)
    remade = [pk for batch in batches[3:] for pk in batch]
    assert len(remade) == 7 and set(remade).isdisjoint(kept)  # only the PDFs not made before
    for signature_id, sha in kept.items():
        assert SignatureCertificate.objects.get(signature_id=signature_id).pdf_sha256 == sha
    assert len([n for n in zip_of(export).namelist() if n.endswith(".pdf")]) == 17


def test_only_a_failed_or_stalled_export_can_restart(
    demo, ks3_aua, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # queued, but no worker has taken it
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
    with pytest.raises(ServiceError, match="still running"):
        exports.export_restart(actor=demo["admin"], export=export)
    settings.EXPORT_STALLED_AFTER_SECONDS = 60
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert exports.can_restart(export)
        with django_capture_on_commit_callbacks(execute=True):
            exports.export_restart(actor=demo["admin"], export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.attempt == 2
    with pytest.raises(ServiceError, match="ready to download"):
        exports.export_restart(actor=demo["admin"], export=export)


def test_a_run_that_was_restarted_meanwhile_stops_and_leaves_the_new_one(
    demo, ks3_aua, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
    Export.objects.filter(pk=export.pk).update(attempt=2)  # as if restarted after this run was queued
    exports.export_build(export_id=export.pk, attempt=1)
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED and not export.file
    exports.export_build(export_id=export.pk, attempt=2)
    exports.export_build(export_id=export.pk, attempt=2)  # delivered twice: the second does nothing
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE


def test_an_export_expires(demo, login, ks3_aua, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_LIFETIME_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
    export.refresh_from_db()
    name = export.file.name
    url = f"/agreements/exports/{export.pk}/download/"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        client = login("head")  # the next day: yesterday's session has ended
        response = client.get(url)
        assert response.status_code == 410
        assert "This export has expired" in response.content.decode()
        detail = client.get(f"/agreements/exports/{export.pk}/").content.decode()
        assert "This export has expired and can no longer be downloaded" in detail
        assert client.get(f"/agreements/exports/{export.pk}/progress.json").json()["download_url"] is None
        with django_capture_on_commit_callbacks(execute=True):  # the ZIP is deleted once committed
            assert exports.exports_expire() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert not export.file.storage.exists(name)
    assert client.get(url).status_code == 410
    assert SignatureCertificate.objects.count() == 10  # the PDFs themselves are kept
    assert AuditEntry.objects.filter(action="agreement.export_expired", record_id=str(export.pk)).exists()


def test_an_export_not_ready_has_no_download(demo, login, ks3_aua, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
    client = login("admin")
    assert client.get(f"/agreements/exports/{export.pk}/download/").status_code == 404
    progress = client.get(f"/agreements/exports/{export.pk}/progress.json").json()
    assert progress == progress | {"status": "queued", "percent": 0, "finished": False, "download_url": None}


def test_index_cells_cannot_run_as_spreadsheet_formulas():
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("Cole") == "Cole"


def test_two_exports_making_the_same_pdf_keep_one_and_both_zip_it(demo, ks3_aua):
    """Two exports race on one signature: the first to store its PDF wins, the other's file goes."""
    from django.core.files.storage import default_storage

    from agreements.certificates import certificates_store
    from agreements.evidence import EvidenceMaker, for_evidence
    from glenwood.seal import sealer

    signatures = list(for_evidence(Signature.objects.filter(agreement=ks3_aua).order_by("pk")[:2]))
    first = list(EvidenceMaker().make(signatures))
    second = list(EvidenceMaker().make(signatures))  # made at the same time by another export
    kept_first = certificates_store(first, actor=demo["admin"], sealer=sealer())
    kept_second = certificates_store(second, actor=demo["head"], sealer=sealer())
    assert {c.code for c in kept_second.values()} == {e.code for e in first}
    assert SignatureCertificate.objects.count() == 2
    assert all(default_storage.exists(c.pdf.name) for c in kept_first.values())
    assert not any(
        default_storage.exists(f"evidence/{e.signature.school_id}/signature-{e.signature.pk}-{e.code}.pdf")
        for e in second
    )
    assert AuditEntry.objects.filter(action="agreement.certificate_sealed").count() == 2


def test_the_exports_page_costs_the_same_queries_however_many_exports(
    demo, login, ks3_aua, staff_aua, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = login("trustadmin")
    with django_capture_on_commit_callbacks(execute=False):
        for days, agreement in enumerate((ks3_aua, staff_aua) * 5):  # different exports, not repeats
            exports.export_request(
                actor=demo["admin"],
                agreement=agreement,
                signed_to=datetime.date.today() + datetime.timedelta(days=days),
            )
    with django_assert_max_num_queries(12):
        page = client.get("/agreements/exports/").content.decode()
    assert page.count('href="/agreements/exports/') >= 10


def test_an_export_whose_worker_died_is_resumed_by_the_sweep_not_by_a_person(
    demo, ks3_aua, settings, django_capture_on_commit_callbacks
):
    from glenwood import outbox

    with django_capture_on_commit_callbacks(execute=False):
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
        alive = exports.export_request(actor=demo["admin"], agreement=ks3_aua, group=ExportGroup.YEAR_7)
    now = timezone.now()
    silent = now - datetime.timedelta(seconds=settings.EXPORT_LEASE_SECONDS + 1)
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, heartbeat_at=silent, done=3)
    Export.objects.filter(pk=alive.pk).update(status=ExportStatus.RUNNING, heartbeat_at=now)
    with django_capture_on_commit_callbacks(execute=False):
        assert exports.exports_resume_stopped() == 1
    export.refresh_from_db()
    assert (export.status, export.attempt) == (ExportStatus.QUEUED, 2)
    assert outbox.waiting(exports.BUILD_TASK, export.pk, 2)  # handed to the worker after commit
    assert Export.objects.get(pk=alive.pk).status == ExportStatus.RUNNING  # its worker is alive
    entry = AuditEntry.objects.get(action="agreement.export_resumed")
    assert entry.actor is None and entry.detail["done_before"] == 3


def test_asking_again_for_an_export_not_finished_gives_the_same_one(
    demo, ks3_aua, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
        again = exports.export_request(actor=demo["head"], agreement=ks3_aua)
        other = exports.export_request(actor=demo["admin"], agreement=ks3_aua, group=ExportGroup.YEAR_7)
    assert again.pk == first.pk and again.is_repeat
    assert other.pk != first.pk
    assert Export.objects.count() == 2
