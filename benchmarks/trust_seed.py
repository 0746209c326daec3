"""A synthetic trust for the benchmark: schools of pupils, staff, visitors and governors, policies with
their versions, the five agreements and their signatures, cases with a chronology, and audit entries.

Everything is written with bulk inserts in a few thousand queries, so the default trust (11,500 people,
40,000 signatures, 100,000 audit entries) builds in well under a minute on PostgreSQL. One demo-style
login per role per school (`s0-head`, `s0-teacher`, ...) makes each role's pages measurable.
"""

import datetime
import random
import time
from dataclasses import dataclass, fields

ROLE_LOGINS = ("head", "dsl", "admin", "chair", "governor", "teacher", "visitor", "pupil")
AGREEMENT_VERSIONS = 4


@dataclass
class TrustSize:
    schools: int = 5
    pupils: int = 10_000
    staff: int = 1_200
    visitors: int = 200
    governors: int = 100
    policies: int = 60
    versions: int = 3
    signatures: int = 40_000
    cases: int = 1_000
    audit_entries: int = 100_000

    def scaled(self, factor: float) -> "TrustSize":
        """The same trust, smaller: the query counts of both must be equal."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        keep = {"schools", "versions", "policies"}
        # Every school keeps one person of each login role, and a pool of pupils who have not signed.
        least = {
            "pupils": 100 * self.schools,
            "staff": 5 * self.schools,
            "visitors": self.schools,
            "governors": 2 * self.schools,
        }
        return TrustSize(
            **{k: v if k in keep else max(least.get(k, 5), int(v * factor)) for k, v in values.items()}
        )


def _progress(message: str, started: float) -> None:
    print(f"  [{time.perf_counter() - started:6.1f} s] {message}", flush=True)


def build(size: TrustSize) -> dict:
    """Builds the trust; returns the ids the measurements need, per school."""
    from django.db import transaction
    from django.utils import timezone

    from people.models import Person, Role, RoleAssignment, School, Trust

    started = time.perf_counter()
    rng = random.Random(7)
    now = timezone.now()
    today = timezone.localdate()
    trust = Trust.objects.create(name="Benchmark Trust")
    trust_admin = Person.objects.create(
        username="trustadmin", first_name="Tom", last_name="Fielding",
        school=School.objects.create(trust=trust, name="Trust office", slug="trust-office"),
    )  # fmt: skip
    RoleAssignment.objects.create(person=trust_admin, role=Role.TRUST_ADMIN)
    schools = {}
    body_text = "\n\n".join(
        f"{n}. Clause {n}: use the school's IT safely and report concerns." for n in range(1, 13)
    )
    for s in range(size.schools):
        with transaction.atomic():  # one commit a school: SQLite syncs to disk on every commit
            schools.update(_build_school(s, size, trust, rng, now, today, body_text))
        _progress(f"school {s + 1} of {size.schools}", started)

    with transaction.atomic():
        _seed_audit(size.audit_entries, trust_admin, rng)
    _progress(f"{size.audit_entries} audit entries", started)
    _second_factors()
    _analyze()
    return {"trust_admin": trust_admin.username, "schools": schools}


def _build_school(s, size, trust, rng, now, today, body_text):
    from agreements.models import Agreement, AgreementKind, Signature
    from breaches.models import Case, CaseEntry
    from people.models import GoverningBody, Person, Role, RoleAssignment, School
    from policies.markdown import render_markdown, text_sha256
    from policies.models import Policy, PolicyKind, PolicyVersion, VersionStatus

    per = {k: getattr(size, k) // size.schools for k in ("pupils", "staff", "visitors", "governors")}
    school = School.objects.create(trust=trust, name=f"School {s}", slug=f"school-{s}")
    people = []
    roles = []

    def person(username, first, last, role, **extra):
        people.append(Person(
            username=username, first_name=first, last_name=last, school=school,
            email=f"{username}@bench.example", date_joined=now - datetime.timedelta(days=rng.randint(5, 400)), **extra,
        ))  # fmt: skip
        roles.append((username, role))

    for i in range(per["pupils"]):
        year = 7 + i % 5
        person(
            f"s{s}-pupil{i}",
            "Pupil",
            f"{i}",
            Role.PUPIL,
            year_group=year,
            tutor_group=f"{year}{'ABCDEFG'[i % 7]}",
        )
    for i in range(per["staff"]):
        person(f"s{s}-staff{i}", "Staff", f"{i}", Role.STAFF, job_title="Teacher")
    for i in range(per["visitors"]):
        person(
            f"s{s}-visitor{i}",
            "Visitor",
            f"{i}",
            Role.VISITOR,
            access_expires_on=today + datetime.timedelta(days=60),
        )
    for i in range(per["governors"]):
        person(f"s{s}-governor{i}", "Governor", f"{i}", Role.GOVERNOR)
    Person.objects.bulk_create(people, batch_size=2000)
    by_username = dict(Person.objects.filter(school=school).values_list("username", "pk"))
    assignments = [RoleAssignment(person_id=by_username[u], role=r) for u, r in roles]
    # The logins the measurements use: one person per role.
    logins = {
        "pupil": f"s{s}-pupil0", "teacher": f"s{s}-staff0", "head": f"s{s}-staff1", "dsl": f"s{s}-staff2",
        "admin": f"s{s}-staff3", "visitor": f"s{s}-visitor0", "governor": f"s{s}-governor0", "chair": f"s{s}-governor1",
    }  # fmt: skip
    extra_roles = {
        "head": [Role.HEADTEACHER, Role.DSL],
        "dsl": [Role.DSL],
        "admin": [Role.SCHOOL_ADMIN],
        "chair": [Role.CHAIR],
    }
    for key, extra in extra_roles.items():
        assignments += [RoleAssignment(person_id=by_username[logins[key]], role=r) for r in extra]
    RoleAssignment.objects.bulk_create(assignments, batch_size=5000)
    head_id, chair_id = by_username[logins["head"]], by_username[logins["chair"]]
    body = GoverningBody.objects.create(
        school=school, short_name="FGB", name="Full Governing Body", chair_id=chair_id
    )
    body.members.set([pk for u, pk in by_username.items() if "-governor" in u])

    policies = Policy.objects.bulk_create(
        Policy(school=school, title=f"Policy {i:02d}", approval_body=body) for i in range(size.policies)
    )
    versions = []
    for policy in policies:
        reviewed = today - datetime.timedelta(days=rng.randint(0, 700))
        for number in range(1, size.versions + 1):
            status = VersionStatus.PUBLISHED if number == size.versions else VersionStatus.SUPERSEDED
            text = f"# {policy.title}\n\nVersion {number}.\n\n{body_text}"
            versions.append(PolicyVersion(
                policy=policy, number=number, label=f"Version {number}", body=text, body_html=render_markdown(text),
                sha256=text_sha256(text), reviewed_on=reviewed, next_review_on=reviewed + datetime.timedelta(days=365),
                status=status, created_by_id=head_id, published_at=now - datetime.timedelta(days=30 * (size.versions - number)),
            ))  # fmt: skip
    PolicyVersion.objects.bulk_create(versions, batch_size=1000)
    for policy in policies:
        current = PolicyVersion.objects.get(policy=policy, number=size.versions)
        Policy.objects.filter(pk=policy.pk).update(current_version=current)

    # Each agreement has had four versions; everyone signed the first three, and about half have
    # signed the current one, so the dashboard has real work to do.
    agreements = {}
    for kind in AgreementKind.values:
        policy = Policy.objects.create(
            school=school, title=f"{kind} agreement", kind=PolicyKind.AGREEMENT, approval_body=body
        )
        agreement = Agreement.objects.create(school=school, kind=kind, policy=policy)
        history = []
        for number in range(1, AGREEMENT_VERSIONS + 1):
            text = f"# {kind} Acceptable Use Agreement\n\nVersion {number}.\n\n{body_text}"
            history.append(PolicyVersion.objects.create(
                policy=policy, number=number, label=f"Version {number}", body=text, body_html=render_markdown(text),
                sha256=text_sha256(text), reviewed_on=today, next_review_on=today + datetime.timedelta(days=365),
                status=VersionStatus.PUBLISHED if number == AGREEMENT_VERSIONS else VersionStatus.SUPERSEDED,
                created_by_id=head_id, published_at=now - datetime.timedelta(days=400 * (AGREEMENT_VERSIONS - number) + 40),
            ))  # fmt: skip
        Policy.objects.filter(pk=policy.pk).update(current_version=history[-1])
        agreements[kind] = (agreement, history)

    owes = _owed_agreements(Person.objects.filter(school=school), agreements)
    # The login people and a pool of pupils never sign the current version in the seed: their sign
    # pages and signing POSTs are measured.
    keep_unsigned = {by_username[u] for u in logins.values()}
    keep_unsigned |= {
        pk for u, pk in by_username.items() if "-pupil" in u and int(u.rsplit("pupil", 1)[1]) % 10 == 9
    }
    older = len(owes) * (AGREEMENT_VERSIONS - 1)
    share = max(0.0, min(1.0, (size.signatures // size.schools - older) / max(1, len(owes))))
    signatures = []
    for person_id, name, year, agreement, history in owes:
        signed = history[:-1] + (
            [history[-1]] if person_id not in keep_unsigned and rng.random() < share else []
        )
        signatures += [
            Signature(
                school=school,
                agreement=agreement,
                version=version,
                person_id=person_id,
                text_sha256=version.sha256,
                consent_wording=agreement.consent_wording,
                typed_name=name,
                year_group=year,
                auth_method="password",
                signed_at=version.published_at + datetime.timedelta(minutes=rng.randint(10, 50_000)),
                session_hash="0" * 64,
            )
            for version in signed
        ]
    Signature.objects.bulk_create(signatures, batch_size=2000)

    staff_ids = [pk for u, pk in by_username.items() if "-staff" in u]
    pupil_ids = [pk for u, pk in by_username.items() if "-pupil" in u]
    cases = Case.objects.bulk_create(
        Case(
            school=school,
            track=rng.choice(["disciplinary", "safeguarding", "behaviour"]),
            category="it_misuse",
            concerns="staff",
            subject_person_id=rng.choice(staff_ids + pupil_ids),
            what_happened=f"Case {i}",
            reported_by_id=rng.choice(staff_ids),
            reported_at=now - datetime.timedelta(days=rng.randint(0, 300)),
        )
        for i in range(size.cases // size.schools)
    )
    CaseEntry.objects.bulk_create(
        CaseEntry(
            case=case,
            author_id=head_id,
            kind=kind,
            text=f"{kind} for {case.pk}",
            status_after=case.status,
        )
        for case in cases
        for kind in ("reported", "triaged", "note", "note")
    )
    return {
        school.pk: {
            "logins": logins,
            "agreements": {k: a.pk for k, (a, _) in agreements.items()},
            "case": cases[0].pk,
            "unsigned_pupils": sorted(keep_unsigned & set(pupil_ids) - {by_username[logins["pupil"]]}),
        }
    }


def _owed_agreements(people, agreements):
    """(person, name, year, agreement, its versions) for each agreement each person owes, as the seed signs it."""
    from agreements.models import AgreementKind
    from people.models import Role

    rows = []
    for p in people.prefetch_related("role_assignments"):
        roles = {a.role for a in p.role_assignments.all()}
        if Role.PUPIL in roles:
            kind = AgreementKind.KS3 if (p.year_group or 7) <= 9 else AgreementKind.KS4
        elif Role.STAFF in roles:
            kind = AgreementKind.STAFF
        elif Role.VISITOR in roles:
            kind = AgreementKind.VISITOR
        else:
            kind = AgreementKind.GOVERNOR
        agreement, history = agreements[kind]
        rows.append((p.pk, p.get_full_name(), p.year_group, agreement, history))
    return rows


def _analyze() -> None:
    """Planner statistics for the tables just loaded, as autovacuum would gather them on a live portal."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _second_factors() -> None:
    """Leaders must hold a second factor before the portal shows them anything: they have one."""
    from allauth.mfa.totp.internal.auth import TOTP

    from people.models import TWO_FACTOR_ROLES, Person
    from people.seed import DEMO_TOTP_SECRET

    for leader in Person.objects.filter(role_assignments__role__in=TWO_FACTOR_ROLES).distinct():
        TOTP.activate(leader, DEMO_TOTP_SECRET)


def _seed_audit(count: int, actor, rng) -> None:
    """Entries written through the chain, as the portal writes them, so verifying them is real work."""
    from audit.models import AuditEntry
    from audit.services import chain_append

    batch = [
        AuditEntry(actor=actor, action=rng.choice(["signature.recorded", "policy.viewed", "case.viewed"]),
                   record_type="people.person", record_id=str(i), record_label=f"Entry {i}", detail={"n": i})
        for i in range(count)
    ]  # fmt: skip
    for start in range(0, len(batch), 5000):
        chain_append(batch[start : start + 5000])
