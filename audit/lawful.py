"""The one way evidence is ever deleted: lawfully (a retention period ended), on the record.

The database's triggers refuse every other DELETE. Here they are lifted for this one record, inside
this function's own transaction, and a tombstone entry joins the audit chain in the same
transaction: what kind of record it was, its id, its fingerprint and why, but nothing about the
person it concerned. verify_evidence accepts a record gone with a tombstone; any other gap it
reports.
"""

from contextlib import contextmanager

import pgtrigger
from django.db import connection, models, transaction

from glenwood.services import ServiceError

from .hashing import evidence_fields, record_sha256
from .models import EvidenceLift
from .services import audit_record

TOMBSTONE = "evidence.lawfully_deleted"


class Tombstone:
    """What the tombstone entry names instead of the record: its kind and id, no personal data."""

    def __init__(self, record):
        self._meta = record._meta
        self.pk = record.pk

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk} (deleted)"


def delete_record(record, *, by, reason: str, school=None):
    """Delete one permanent record and leave a tombstone in the audit chain.

    `by` is the person (or None for the retention job) answerable for the deletion; `reason` says
    which rule required it, in words without personal data ("Retention: 6 years after leaving").
    """
    if not reason.strip():
        raise ServiceError("Say which rule requires this deletion.")
    model = type(record)
    if not getattr(model, "REFUSALS", None):
        raise ServiceError("Only protected records go through the lawful-deletion path.")
    fingerprint = record_sha256(record) if evidence_fields(model) else ""
    school_id = getattr(record, "school_id", None) or getattr(
        getattr(record, "case", None), "school_id", None
    )
    with transaction.atomic():
        with _lifted(record):
            # The plain queryset: the model's own manager refuses deletes, as it should everywhere else.
            models.QuerySet(model).filter(pk=record.pk).delete()
        audit_record(
            actor=by, action=TOMBSTONE, record=Tombstone(record), school=school or _school(school_id),
            detail={"reason": reason.strip(), "sha256": fingerprint},
        )  # fmt: skip


def _school(school_id):
    from people.models import School

    return School.objects.filter(pk=school_id).first() if school_id else None


@contextmanager
def _lifted(record):
    if connection.vendor == "postgresql":
        uris = [f"{record._meta.label}:{r.name}" for r in type(record).REFUSALS]
        with pgtrigger.ignore(*uris):
            yield
        return
    lift = EvidenceLift.objects.create(table_name=record._meta.db_table, record_id=str(record.pk))
    try:
        yield
    finally:
        # Removed before the transaction ends, so no other statement ever sees it.
        EvidenceLift.objects.filter(pk=lift.pk).delete()
