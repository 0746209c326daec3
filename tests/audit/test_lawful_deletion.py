"""The one audited way evidence is deleted (the retention work builds on it)."""

import pytest
from django.db import DatabaseError, transaction

from agreements.models import Decline
from audit.lawful import TOMBSTONE, delete_record
from audit.models import AuditEntry, EvidenceLift
from audit.verify import verify_evidence
from glenwood.services import ServiceError
from tests.audit.evidence_records import every_record, raw, read


@pytest.fixture
def records(demo):
    return every_record(demo)


def test_a_lawful_deletion_leaves_a_tombstone_without_personal_data(records, demo):
    decline = Decline.objects.select_related("person").get(pk=records["agreements_decline"])
    name = decline.person.get_full_name()
    delete_record(decline, by=demo["head"], reason="Retention: kept one year after the version ended.")

    assert read("agreements_decline", "id", decline.pk) is None
    tombstone = AuditEntry.objects.get(action=TOMBSTONE)
    assert (tombstone.record_type, tombstone.record_id) == ("agreements.decline", str(decline.pk))
    assert tombstone.actor == demo["head"] and tombstone.school == demo["glenwood"]
    assert name not in tombstone.record_label and name not in str(tombstone.detail)
    assert decline.reason not in str(tombstone.detail)
    assert len(tombstone.detail["sha256"]) == 64
    # The chain and every other record still check out: a tombstoned gap is not a broken one.
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]


def test_the_triggers_stand_again_straight_after(records, demo):
    decline = Decline.objects.get(pk=records["agreements_decline"])
    delete_record(decline, by=demo["head"], reason="Retention ended.")
    assert not EvidenceLift.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw('DELETE FROM "agreements_signature" WHERE id = %s', [records["agreements_signature"]])


def test_a_deletion_needs_its_reason(records, demo):
    decline = Decline.objects.get(pk=records["agreements_decline"])
    with pytest.raises(ServiceError, match="which rule"):
        delete_record(decline, by=demo["head"], reason=" ")
    assert read("agreements_decline", "id", decline.pk) == decline.pk


def test_a_failed_deletion_leaves_nothing_lifted(records, demo):
    """A signature with a certificate cannot go first: the whole step is undone, trigger included."""
    from django.db.models import ProtectedError

    from agreements.models import Signature

    signature = Signature.objects.get(pk=records["agreements_signature"])
    with pytest.raises(ProtectedError):
        delete_record(signature, by=demo["head"], reason="Retention ended.")
    assert read("agreements_signature", "id", signature.pk) == signature.pk
    assert not EvidenceLift.objects.exists() and not AuditEntry.objects.filter(action=TOMBSTONE).exists()
