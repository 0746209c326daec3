"""The nightly evidence check: run verify_evidence, keep the result, tell the people answerable."""

from django.db import transaction
from django.utils import timezone

from glenwood.services import NotAllowed, ServiceError
from people.models import Person, Role

from . import emails
from .models import EvidenceCheck
from .services import audit_record
from .verify import verify_evidence

# Who is told when evidence fails its check, and who may acknowledge it.
ANSWERABLE = (Role.HEADTEACHER, Role.TRUST_ADMIN)
MAX_PROBLEMS_KEPT = 200


def evidence_check_run(*, actor=None) -> EvidenceCheck:
    report = verify_evidence()
    first = report.first_broken
    with transaction.atomic():
        check = EvidenceCheck.objects.create(
            passed=report.passed,
            entries_checked=report.entries_checked,
            records_checked=report.records_checked,
            first_broken=report.describe(first) if first else "",
            problems=[report.describe(p) for p in report.problems[:MAX_PROBLEMS_KEPT]],
        )
        audit_record(
            actor=actor, action="evidence.checked", record=check,
            detail={"passed": check.passed, "problems": len(report.problems)},
        )  # fmt: skip
        if not check.passed:
            transaction.on_commit(lambda: _tell_the_answerable(check))
    return check


def _tell_the_answerable(check):
    for person in answerable_people():
        if person.email:
            emails.evidence_check_failed(check, person)


def answerable_people():
    return (
        Person.objects.current()
        .filter(role_assignments__role__in=ANSWERABLE)
        .distinct()
        .select_related("school")
        .order_by("pk")
    )


def unacknowledged_failure():
    """The latest failed check nobody has acknowledged yet, for the home page banner."""
    return EvidenceCheck.objects.filter(passed=False, acknowledged_at__isnull=True).first()


def evidence_check_acknowledge(*, actor, check, note="") -> EvidenceCheck:
    if not actor.has_role(*ANSWERABLE):
        raise NotAllowed("Only the headteacher or a trust administrator acknowledges a failed check.")
    if check.passed:
        raise ServiceError("This check passed; there is nothing to acknowledge.")
    if not note.strip():
        raise ServiceError("Say what is being done about it.")
    with transaction.atomic():
        moved = EvidenceCheck.objects.filter(pk=check.pk, acknowledged_at__isnull=True).update(
            acknowledged_by=actor, acknowledged_at=timezone.now(), acknowledgement_note=note.strip()
        )
        if not moved:
            raise ServiceError("Someone has already acknowledged this check.")
        check.refresh_from_db()
        # Older failures are acknowledged with it: the banner is about the evidence, not one run.
        EvidenceCheck.objects.filter(passed=False, acknowledged_at__isnull=True, pk__lt=check.pk).update(
            acknowledged_by=actor, acknowledged_at=check.acknowledged_at, acknowledgement_note=note.strip()
        )
        audit_record(
            actor=actor, action="evidence.check_acknowledged", record=check, school=actor.school,
            detail={"note": note.strip()},
        )  # fmt: skip
    return check
