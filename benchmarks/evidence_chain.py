"""Benchmark: verifying the audit chains, and what chaining costs the signing POST.

    .venv/bin/python benchmarks/evidence_chain.py                       # 100,000 entries, SQLite in /tmp
    .venv/bin/python benchmarks/evidence_chain.py --entries 20000 --signers 100
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glenwood_bench .venv/bin/python benchmarks/evidence_chain.py

In one run: the time to write and then to verify chains of N audit entries (spread over the demo's
schools and the trust chain, with every permanent record checked too), and the signing POST's time
with chaining and without it (the plain one-INSERT audit write the portal had before), as a
ratio. Rounds alternate between the two so that drift in the machine's load falls on both alike.
The numbers go in the issue notes; no test asserts a time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--signers", type=int, default=200, help="signing POSTs measured in each mode")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/glenwood-evidence-bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glenwood.settings")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    if os.environ["DATABASE_URL"].startswith("sqlite:////tmp/"):
        Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "postgresql":
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    people = seed()
    print(f"database: {connection.vendor}")

    written = write_entries(people, args.entries)
    from audit.models import AuditChainHead, AuditEntry
    from audit.verify import verify_evidence

    total = AuditEntry.objects.count()
    start = time.perf_counter()
    report = verify_evidence()
    verify_s = time.perf_counter() - start
    print(f"wrote {args.entries:,} chained entries in {written:.2f} s ({args.entries / written:,.0f}/s)")
    print(
        f"verify_evidence: {verify_s:.2f} s for {report.entries_checked:,} entries in "
        f"{AuditChainHead.objects.count()} chains, {report.records_checked:,} records; "
        f"{'passed' if report.passed else 'FAILED'} ({total:,} entries in the log)"
    )

    chained, plain = time_signing(people, args.signers)
    print(
        f"signing POST, median of {len(chained)}: chained {statistics.median(chained) * 1000:.1f} ms, "
        f"plain {statistics.median(plain) * 1000:.1f} ms; "
        f"ratio {statistics.median(chained) / statistics.median(plain):.2f} "
        f"(means {statistics.mean(chained) * 1000:.1f} / {statistics.mean(plain) * 1000:.1f} ms)"
    )


def seed():
    from agreements.seed import seed_agreements
    from people.seed import seed_people
    from policies.seed import seed_policies

    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    return people


def write_entries(people, count) -> float:
    """Entries as the portal writes them (through the chain), spread over every chain."""
    from django.db import transaction

    from audit.services import chain_append, new_entry

    schools = [people["glenwood"], people["hillside"], None]
    actor = people["head"]
    start = time.perf_counter()
    batch = 1000
    for first in range(0, count, batch):
        with transaction.atomic():
            chain_append(
                [
                    new_entry(
                        actor=actor, action="case.viewed", record=people["glenwood"],
                        school=schools[n % 3], detail={"page": "detail", "n": n},
                    )
                    for n in range(first, min(count, first + batch))
                ]
            )  # fmt: skip
    return time.perf_counter() - start


def time_signing(people, signers):
    """The POST of the signing form, by fresh staff who owe the staff agreement, in both modes."""
    from django.test import Client
    from django.test.utils import override_settings

    from agreements.models import Agreement, AgreementKind
    from audit import services
    from audit.models import AuditEntry
    from people.models import Person, Role, RoleAssignment

    school = people["glenwood"]
    agreement = Agreement.objects.get(school=school, kind=AgreementKind.STAFF)
    version = agreement.policy.current_version
    staff = Person.objects.bulk_create(
        Person(username=f"bench{n}", first_name="Bench", last_name=f"Signer{n}", school=school,
               email=f"bench{n}@example.org")
        for n in range(2 * signers + 2)
    )  # fmt: skip
    RoleAssignment.objects.bulk_create(RoleAssignment(person=p, role=Role.STAFF) for p in staff)

    chained_append = services.chain_append

    def plain_append(entries):
        """The audit write before this work: one INSERT, no lock, no fingerprints."""
        for entry in entries:
            entry.evidence = {}
            entry.save(force_insert=True)
        return entries

    def plain_claims(records):
        return {}

    timings = {"chained": [], "plain": []}
    url = f"/agreements/{agreement.pk}/sign/"
    with override_settings(DEBUG=False):
        for n, person in enumerate(staff):
            mode = "chained" if n % 2 == 0 else "plain"
            client = Client()
            client.force_login(person)
            form = {"consent": "on", "typed_name": person.get_full_name(), "shown_sha256": version.sha256}
            if mode == "plain":
                services.chain_append, claims = plain_append, services.claims_for
                services.claims_for = plain_claims
            start = time.perf_counter()
            response = client.post(url, form)
            if n >= 2:  # the first of each is a warm-up (templates, URL resolver, connection)
                timings[mode].append(time.perf_counter() - start)
            if mode == "plain":
                services.chain_append, services.claims_for = chained_append, claims
            assert response.status_code == 302, response.content[:500]
    assert AuditEntry.objects.filter(action="agreement.signed").count() >= 2 * signers
    return timings["chained"], timings["plain"]


if __name__ == "__main__":
    main()
