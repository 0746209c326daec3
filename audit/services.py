"""Every audit entry is written here, and linked into its school's hash chain as it is written."""

from django.db import connection, transaction
from django.utils import timezone

from .hashing import claims_for, entry_sha256
from .models import AuditChainHead, AuditEntry


def audit_record(
    *, actor, action: str, record, school=None, detail: dict | None = None, evidence=()
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it describes.

    The fingerprint of `record` (when it is evidence) and of each record in `evidence` (the
    permanent records this step created) is written into the entry.
    """
    return chain_append(
        [
            new_entry(
                actor=actor, action=action, record=record, school=school, detail=detail, evidence=evidence
            )
        ]
    )[0]


def new_entry(*, actor, action, record, school=None, detail=None, evidence=()) -> AuditEntry:
    """An entry not yet written: for chain_append, which writes a batch in one go."""
    if school is None:
        school = getattr(record, "school", None)
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        school=school,
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        record_label=str(record)[:255],
        detail=detail or {},
        evidence=claims_for([record, *evidence]),
    )


def chain_key(school_id) -> str:
    return f"school-{school_id}" if school_id else "trust"


def chain_append(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Link and write entries at the end of their chains.

    Each chain's head row is locked first (select_for_update on PostgreSQL; SQLite lets one writer
    in at a time), so two writers at once queue rather than both linking to the same entry.
    """
    if not entries:
        return entries
    if not connection.in_atomic_block:
        with transaction.atomic():
            return chain_append(entries)
    heads = _locked_heads({e.school_id for e in entries})
    now = timezone.now()
    for entry in entries:
        head = heads[chain_key(entry.school_id)]
        entry.at = now
        entry.previous_sha256 = head.head_sha256
        entry.entry_sha256 = entry_sha256(
            previous=entry.previous_sha256, at=entry.at, actor_id=entry.actor_id, school_id=entry.school_id,
            action=entry.action, record_type=entry.record_type, record_id=entry.record_id,
            record_label=entry.record_label, detail=entry.detail, evidence=entry.evidence,
        )  # fmt: skip
        head.head_sha256, head.length = entry.entry_sha256, head.length + 1
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        AuditEntry.objects.bulk_create(entries)
    for head in heads.values():
        AuditChainHead.objects.filter(pk=head.pk).update(head_sha256=head.head_sha256, length=head.length)
    return entries


def _locked_heads(school_ids) -> dict:
    keys = sorted(chain_key(s) for s in school_ids)  # always the same order: no deadlock between chains
    heads = {
        h.key: h for h in AuditChainHead.objects.select_for_update().filter(key__in=keys).order_by("key")
    }
    if len(heads) < len(keys):
        # A chain's first entry: create its head (another writer may be doing the same), then lock.
        AuditChainHead.objects.bulk_create(
            [
                AuditChainHead(key=chain_key(s), school_id=s or None)
                for s in school_ids
                if chain_key(s) not in heads
            ],
            ignore_conflicts=True,
        )
        heads = {
            h.key: h for h in AuditChainHead.objects.select_for_update().filter(key__in=keys).order_by("key")
        }
    return heads
