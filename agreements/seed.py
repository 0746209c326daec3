"""Demo agreements: the five variants, published through the policy workflow, and some signatures."""

import datetime
from pathlib import Path

from people.models import Person, Role
from policies import services as policy_services
from policies.models import Decision, Policy, PolicyKind

from . import services
from .models import Agreement, AgreementKind, AuthMethod

DEMO_DIR = Path(__file__).parent / "demo"
VARIANTS = [
    (AgreementKind.STAFF, "staff.md", {"for_staff": True}),
    (AgreementKind.KS3, "ks3-pupil.md", {"for_staff": False, "for_pupils": True}),
    (AgreementKind.KS4, "ks4-pupil.md", {"for_staff": False, "for_pupils": True}),
    (AgreementKind.VISITOR, "visitor.md", {"for_staff": False, "for_visitors": True}),
    (AgreementKind.GOVERNOR, "governor.md", {"for_staff": False, "for_governors": True}),
]
DEMO_EVIDENCE = services.Evidence("127.0.0.1", "Demo data", "", AuthMethod.PASSWORD)


def _title_and_body(filename):
    lines = (DEMO_DIR / filename).read_text(encoding="utf-8").splitlines(keepends=True)
    title = lines[0].lstrip("#").strip()
    return title, "".join(lines[1:]).lstrip("\n")


def create_agreement(*, school, head, chair, kind, filename, audiences, reviewed_on):
    """An agreement is a policy of kind 'agreement': drafted, approved by the FGB and published."""
    title, body = _title_and_body(filename)
    policy = policy_services.policy_create(
        actor=head, school=school, title=title, category="Acceptable use", kind=PolicyKind.AGREEMENT,
        approval_body=school.governing_bodies.get(short_name="FGB"), reviewer_role=Role.HEADTEACHER,
        reviewed_on=reviewed_on, body=body, **audiences,
    )  # fmt: skip
    policy.related.add(
        *Policy.objects.filter(
            school=school, title__in=["Use of Social Media Policy", "Online Safety Policy"]
        )
    )
    version = policy.versions.get()
    policy_services.version_submit(actor=head, version=version)
    version.refresh_from_db()
    policy_services.version_decide(
        actor=chair, version=version, decision=Decision.APPROVE, shown_sha256=version.sha256,
        minute_reference="FGB/2026/22",
    )  # fmt: skip
    version.refresh_from_db()
    policy_services.version_publish(actor=head, version=version)
    policy.refresh_from_db()
    return Agreement.objects.create(school=school, kind=kind, policy=policy)


def seed_agreements(people):
    school = people["glenwood"]
    if Agreement.objects.filter(school=school).exists():
        return
    agreements = {
        kind: create_agreement(
            school=school,
            head=people["head"],
            chair=people["chair"],
            kind=kind,
            filename=filename,
            audiences=audiences,
            reviewed_on=datetime.date(2026, 9, 1),
        )
        for kind, filename, audiences in VARIANTS
    }

    def sign(person, kind, witness=None):
        agreement = agreements[kind]
        version = agreement.policy.current_version
        services.signature_record(
            signer=person, agreement=agreement, version=version, shown_sha256=version.sha256,
            consent_given=True, typed_name=person.get_full_name(), evidence=DEMO_EVIDENCE, witness=witness,
        )  # fmt: skip

    # Some of the school has signed this September; the rest is the dashboard's work.
    for username in ("head", "deputy", "dsl", "admin"):
        sign(people[username], AgreementKind.STAFF)
    for person in Person.objects.filter(school=school, username__in=[f"staff{i:02d}" for i in range(1, 13)]):
        sign(person, AgreementKind.STAFF)
    sign(people["chair"], AgreementKind.GOVERNOR)
    sign(people["careers"], AgreementKind.VISITOR)
    for person in Person.objects.filter(school=school, username__regex=r"^y(7|8|10)pupil[1-5]$"):
        sign(
            person,
            AgreementKind.KS3 if person.year_group < 10 else AgreementKind.KS4,
            witness=people["teacher"],
        )
    staff = agreements[AgreementKind.STAFF]
    services.decline_record(
        person=Person.objects.get(username="staff20"), agreement=staff, version=staff.policy.current_version,
        shown_sha256=staff.policy.current_version.sha256,
        reason="I would like to discuss clause 4 with my union representative first.",
    )  # fmt: skip
