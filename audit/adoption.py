"""Records written before the audit chain existed: fingerprinted once, on the record, at upgrade.

Run once after upgrading a portal that already holds evidence (`manage.py verify_evidence
--adopt-existing`). From then on a change to any of those records is found like any other. It
vouches only for the records as they stand at adoption, and says so in each entry.
"""

from collections import defaultdict

from django.db import transaction

from .hashing import record_key, record_sha256
from .models import AuditEntry
from .services import chain_append
from .verify import evidence_models

BATCH = 500


def adopt_existing_records(*, actor=None) -> int:
    claimed = set()
    for evidence in AuditEntry.objects.exclude(evidence={}).values_list("evidence", flat=True).iterator():
        claimed.update(evidence)
    unclaimed = defaultdict(dict)  # school id -> {key: sha256}
    for model in evidence_models():
        for record in model._base_manager.all().iterator(chunk_size=2000):
            if getattr(record, "is_frozen_evidence", True) and record_key(record) not in claimed:
                school_id = getattr(record, "school_id", None) or _case_school(record)
                unclaimed[school_id][record_key(record)] = record_sha256(record)
    adopted = 0
    with transaction.atomic():
        for school_id, claims in unclaimed.items():
            items = sorted(claims.items())
            for start in range(0, len(items), BATCH):
                part = dict(items[start : start + BATCH])
                chain_append([AuditEntry(
                    actor=actor if getattr(actor, "pk", None) else None, school_id=school_id,
                    action="evidence.adopted", record_type="audit.auditentry", record_id="",
                    record_label=f"{len(part)} records written before the audit chain, as they stood when adopted",
                    detail={"records": len(part)}, evidence=part,
                )])  # fmt: skip
                adopted += len(part)
    return adopted


def _case_school(record):
    case = getattr(record, "case", None)
    if case is not None:
        return case.school_id
    policy = getattr(record, "policy", None) or getattr(getattr(record, "version", None), "policy", None)
    return policy.school_id if policy is not None else None
