"""How fast the evidence export makes sealed PDFs, and whether its memory grows with their number.

    .venv/bin/python benchmarks/export_pdfs.py --signatures 1000

Builds a throw-away portal (SQLite, media and a self-signed seal in a temporary folder), gives the
demo school's KS3 agreement that many signatures, then runs the export exactly as the Celery task
does (`exports.export_build`) in this process, and reports:

- sealed PDFs per second for the whole export (rendering, sealing, storing, zipping);
- memory: peak RSS, and RSS after the first and last batches (flat means it does not grow);
- the same document made the plain way (one WeasyPrint render per signature, text and
  certificate together, unsealed) and the ratio between the two;
- a plain pyHanko seal (key loaded and signature size estimated for every PDF) for comparison.
"""

import argparse
import datetime
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_pki(folder: Path) -> dict:
    """The local demo PKI (certomancer's Animator, in a thread here): its TSA timestamps every seal and
    its OCSP responder and CRLs give the long-term validation data, as `make run` and the tests use."""
    import logging

    from glenwood import demo_pki

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    pki, _server = demo_pki.serve(folder / "pki-keys")
    paths = pki.write_seal(folder / "pki-seal")
    return dict(
        SIGNING_CERT_PATH=str(paths["cert"]), SIGNING_KEY_PATH=str(paths["key"]),
        SIGNING_CHAIN_PATH=str(paths["chain"]), TSA_URL=pki.tsa_url,
    )  # fmt: skip


def configure(folder: Path, timestamps: bool):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="glenwood.settings",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_FOLDER=str(folder / "broker"),
        SIGNING_CERT_PATH=str(folder / "seal" / "certificate.pem"),
        SIGNING_KEY_PATH=str(folder / "seal" / "private-key.pem"),
        LOG_LEVEL="WARNING",
    )
    if timestamps:
        os.environ.update(start_pki(folder))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not timestamps:
        call_command(
            "make_signing_certificate", name="Glenwood School (benchmark seal)", stdout=io.StringIO()
        )


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the rendering processes it has finished with."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def make_signatures(count: int):
    """`count` pupils across Years 7-9 who signed the KS3 agreement, made in bulk."""
    from django.utils import timezone

    from agreements.models import Agreement, AgreementKind, AuthMethod, Signature
    from agreements.seed import seed_agreements
    from people.models import Person, Role, RoleAssignment
    from people.seed import seed_people
    from policies.seed import seed_policies

    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    agreement = Agreement.objects.select_related("policy__current_version").get(
        school=people["glenwood"], kind=AgreementKind.KS3
    )
    Signature.objects.filter(agreement=agreement).count()
    version, school = agreement.policy.current_version, agreement.school
    pupils = Person.objects.bulk_create(
        Person(username=f"bench{i:05d}", school=school, first_name=f"Pupil{i:05d}", last_name="Benchmark",
               year_group=7 + i % 3, email="")
        for i in range(count)
    )  # fmt: skip
    RoleAssignment.objects.bulk_create(RoleAssignment(person=p, role=Role.PUPIL) for p in pupils)
    start = timezone.now() - datetime.timedelta(days=1)
    Signature.objects.bulk_create(
        Signature(
            school=school, agreement=agreement, version=version, person=p, text_sha256=version.sha256,
            consent_wording=agreement.consent_wording, typed_name=p.get_full_name(),
            signed_at=start + datetime.timedelta(seconds=i), ip_address="10.20.30.40",
            user_agent="Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1",
            auth_method=AuthMethod.STAFF_WITNESSED, witness=people["teacher"],
        )
        for i, p in enumerate(pupils)
    )  # fmt: skip
    return people, agreement


def run_export(people, agreement, count: int) -> dict:
    from agreements import exports
    from agreements.models import Export, ExportStatus

    samples = []
    real_progress = exports._progress

    def sampled_progress(export, **fields):
        if "done" in fields:
            samples.append((fields["done"], rss_mb()))
        return real_progress(export, **fields)

    exports._progress = sampled_progress
    export = Export.objects.create(
        school=agreement.school, agreement=agreement, requested_by=people["admin"], total=count + 10
    )
    cpu, started = cpu_seconds(), time.perf_counter()
    exports.export_build(export_id=export.pk, attempt=export.attempt)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    exports._progress = real_progress
    export.refresh_from_db()
    if export.status != ExportStatus.DONE:
        sys.exit(f"The export failed: {export.error}")
    return {"export": export, "seconds": elapsed, "cpu": cpu, "samples": samples}


def plain_rate(sample: int) -> float:
    """One WeasyPrint document (text and certificate) per signature, unsealed: the plain way."""
    from agreements.evidence import for_evidence, new_code, plain_render
    from agreements.models import Signature

    signatures = list(for_evidence(Signature.objects.filter(person__username__startswith="bench"))[:sample])
    plain_render(signatures[0], code=new_code())  # fonts and stylesheets warmed up, as in the export
    started, cpu = time.perf_counter(), time.process_time()
    for signature in signatures:
        plain_render(signature, code=new_code())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(signatures) / wall, 1000 * cpu / len(signatures), signatures


def plain_seal_ms(signatures, sample: int) -> tuple[float, float]:
    """Sealing the plain way (pyHanko's SimpleSigner.load and sign_pdf for every PDF) against ours."""
    from django.conf import settings
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    from agreements.evidence import new_code, plain_render
    from glenwood.seal import sealer

    pdfs = [plain_render(s, code=new_code()) for s in signatures[:sample]]
    meta = signers.PdfSignatureMetadata(
        field_name="Seal", md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    started = time.perf_counter()
    for pdf in pdfs:
        signer = signers.SimpleSigner.load(settings.SIGNING_KEY_PATH, settings.SIGNING_CERT_PATH)
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    plain = (time.perf_counter() - started) * 1000 / len(pdfs)
    ours_sealer = sealer()
    started = time.perf_counter()
    for pdf in pdfs:
        ours_sealer.seal(pdf)
    return plain, (time.perf_counter() - started) * 1000 / len(pdfs)


def timestamp_round_trip_ms(count: int = 20) -> float:
    """The median time of one RFC 3161 request to the configured TSA: what each seal waits for."""
    import asyncio
    import hashlib
    import statistics

    from glenwood.seal import sealer

    timestamper = sealer().timestamper
    times = []
    for i in range(count):
        digest = hashlib.sha256(str(i).encode()).digest()
        started = time.perf_counter()
        asyncio.run(timestamper.async_timestamp(digest, "sha256"))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=1000)
    parser.add_argument("--plain-sample", type=int, default=50, help="PDFs made the plain way, to compare")
    parser.add_argument(
        "--timestamps", action="store_true",
        help="seal with the local demo PKI: an RFC 3161 timestamp and OCSP/CRL data in every PDF (PAdES B-LT)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="end with one line of JSON (for make bench)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="glenwood-bench-") as folder:
        configure(Path(folder), args.timestamps)
        from django.conf import settings

        load = os.getloadavg()
        people, agreement = make_signatures(args.signatures)
        baseline_rss = rss_mb()
        result = run_export(people, agreement, args.signatures)
        export, seconds = result["export"], result["seconds"]
        rate = export.made / seconds
        samples = result["samples"]
        plain, plain_cpu_ms, signatures = plain_rate(args.plain_sample)
        plain_seal, our_seal = plain_seal_ms(signatures, min(20, args.plain_sample))
        zip_mb = Path(settings.MEDIA_ROOT, export.file.name).stat().st_size / 1024 / 1024
        round_trip = timestamp_round_trip_ms() if args.timestamps else None

    print(
        "Seals: "
        + ("PAdES B-LT, each timestamped by the local TSA" if args.timestamps else "PAdES B-B, no timestamp")
    )
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start"
    )
    print(f"Export: {export.total} signatures ({export.made} PDFs made, {export.reused} reused), "
          f"batches of {settings.EVIDENCE_BATCH_SIZE}, ZIP {zip_mb:.1f} MB")  # fmt: skip
    print(f"  {seconds:.1f} s wall, {result['cpu']:.1f} s CPU: {rate:.1f} sealed PDFs per second "
          f"({1000 * seconds / export.made:.1f} ms each; {1000 * result['cpu'] / export.made:.0f} ms of CPU each, "
          f"on {settings.EVIDENCE_PROCESSES or os.cpu_count()} rendering processes)")  # fmt: skip
    print(f"Memory: peak RSS {peak_mb():.0f} MB here, {child_peak_mb():.0f} MB in the largest rendering process; RSS {baseline_rss:.0f} MB before the export, "
          f"{samples[0][1]:.0f} MB after the first batch ({samples[0][0]} PDFs), "
          f"{samples[len(samples) // 2][1]:.0f} MB half-way, {samples[-1][1]:.0f} MB after the last ({samples[-1][0]})")  # fmt: skip
    print(
        f"Plain WeasyPrint, one document per signature (text and certificate, unsealed): {plain:.1f} PDFs per second"
    )
    print(f"Ratio: the sealed export makes {rate / plain:.1f}x as many PDFs per second as the plain render "
          f"({plain_cpu_ms / (1000 * result['cpu'] / export.made):.1f}x per CPU-second: "
          f"{plain_cpu_ms:.0f} ms of CPU per plain PDF)")  # fmt: skip
    print(
        f"Seal alone: {plain_seal:.0f} ms per PDF the plain pyHanko way (no timestamp), {our_seal:.0f} ms with the set-up done once"
    )
    if round_trip is not None:
        print(f"Timestamp: {round_trip:.0f} ms per request to the TSA (median of 20), inside each seal above")
    if args.json:
        summary = {
            "signatures": export.total, "timestamps": args.timestamps, "per_second": round(rate, 1), "cpu_ms_each": round(1000 * result["cpu"] / export.made),
            "peak_rss_mb": round(max(peak_mb(), child_peak_mb())), "rss_first_batch_mb": round(samples[0][1]),
            "rss_last_batch_mb": round(samples[-1][1]), "plain_per_second": round(plain, 1),
        }  # fmt: skip
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
