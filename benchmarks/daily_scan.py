"""Benchmark: the daily reminders scan over 10,000 policy versions and 20,000 people.

    .venv/bin/python benchmarks/daily_scan.py                 # a fresh SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glenwood_bench .venv/bin/python benchmarks/daily_scan.py

Reports the scan's time, its number of queries and how many reminders it recorded, then runs it
again to show the second run records nothing new. The numbers go in the issue notes; no test
asserts a time.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/glenwood-bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glenwood.settings")
    if os.environ["DATABASE_URL"].startswith("sqlite:////tmp/"):
        Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "postgresql":
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    build(args)

    from reminders import services
    from reminders.models import Reminder

    for run in (1, 2):
        reset_queries()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            services.reminders_scan()
        elapsed = time.perf_counter() - start
        print(
            f"run {run}: {elapsed:.2f} s, {len(queries.captured_queries)} queries, "
            f"{Reminder.objects.count()} reminders recorded in all ({connection.vendor})"
        )


def build(args):
    from django.utils import timezone

    from agreements.models import Agreement, AgreementKind, Signature
    from people.models import GoverningBody, Person, Role, RoleAssignment, School, Trust
    from policies.markdown import text_sha256
    from policies.models import Policy, PolicyKind, PolicyVersion, VersionStatus

    started = time.perf_counter()
    random.seed(7)
    today = timezone.localdate()
    now = timezone.now()
    trust = Trust.objects.create(name="Benchmark Trust")
    per_school_people = args.people // args.schools
    policies_per_school = (
        args.versions // args.schools // 2
    )  # each policy: a superseded and a published version
    for s in range(args.schools):
        school = School.objects.create(trust=trust, name=f"School {s}", slug=f"school-{s}")
        people = Person.objects.bulk_create(
            Person(
                username=f"s{s}p{i}",
                first_name="P",
                last_name=f"{i}",
                school=school,
                email=f"s{s}p{i}@x.example",
                year_group=None if i % 5 == 0 else 7 + i % 5,
                date_joined=now - datetime.timedelta(days=random.randint(0, 60)),
            )
            for i in range(per_school_people)
        )
        roles = [
            RoleAssignment(person=p, role=Role.STAFF if p.year_group is None else Role.PUPIL) for p in people
        ]
        roles += [RoleAssignment(person=people[0], role=Role.HEADTEACHER), RoleAssignment(person=people[5], role=Role.SCHOOL_ADMIN),
                  RoleAssignment(person=people[10], role=Role.CHAIR)]  # fmt: skip
        RoleAssignment.objects.bulk_create(roles)
        body = GoverningBody.objects.create(
            school=school, short_name="FGB", name="Full Governing Body", chair=people[10]
        )
        policies = Policy.objects.bulk_create(
            Policy(school=school, title=f"Policy {i}", approval_body=body) for i in range(policies_per_school)
        )
        versions = []
        for policy in policies:
            reviewed = today - datetime.timedelta(days=random.randint(0, 800))
            for number, status in ((1, VersionStatus.SUPERSEDED), (2, VersionStatus.PUBLISHED)):
                text = f"{policy.title} version {number}"
                versions.append(PolicyVersion(
                    policy=policy, number=number, label=f"Version {number}", body=text, body_html=text,
                    sha256=text_sha256(text), reviewed_on=reviewed, next_review_on=reviewed + datetime.timedelta(days=365),
                    status=status, created_by=people[0], published_at=now,
                ))  # fmt: skip
        PolicyVersion.objects.bulk_create(versions)
        for kind in AgreementKind.values:
            policy = Policy.objects.create(
                school=school, title=f"{kind} agreement", kind=PolicyKind.AGREEMENT, approval_body=body
            )
            version = PolicyVersion.objects.create(
                policy=policy, number=1, label="Version 1", body="1. Be safe.", reviewed_on=today, next_review_on=today.replace(year=today.year + 1),
                status=VersionStatus.PUBLISHED, created_by=people[0], published_at=now - datetime.timedelta(days=30),
            )  # fmt: skip
            Policy.objects.filter(pk=policy.pk).update(current_version=version)
            agreement = Agreement.objects.create(school=school, kind=kind, policy=policy)
            signers = [p for p in people if random.random() < 0.5]
            Signature.objects.bulk_create(
                Signature(
                    school=school,
                    agreement=agreement,
                    version=version,
                    person=p,
                    text_sha256=version.sha256,
                    consent_wording="x",
                    typed_name="x",
                    signed_at=now,
                    auth_method="password",
                )
                for p in signers
            )
    print(
        f"built {School.objects.count()} schools, {PolicyVersion.objects.count()} versions, "
        f"{Person.objects.count()} people in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
