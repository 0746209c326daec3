"""SHA-256 fingerprints of evidence: of a permanent record's content, and of an audit entry.

A record's fingerprint is written into the audit entry that created it, so a row changed later no
longer matches; each audit entry's fingerprint covers the one before it in its school's chain, so
a changed or missing entry breaks the chain from there on.
"""

import hashlib
import json
from datetime import UTC, date, datetime, time

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile

VERSION = 1  # bump if the canonical form ever changes; old entries keep the form they were made in


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def _plain(field, value):
    """A field's value as the database gives it back, whatever Python type it was created with."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if value is not None and not field.is_relation and field.get_internal_type() != "JSONField":
        value = field.to_python(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds") if value.tzinfo else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.loads(canonical(value))
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def evidence_fields(model):
    """The columns that are evidence, or None for a model that is not evidence."""
    from glenwood.models import PermanentRecord

    names = getattr(model, "EVIDENCE_FIELDS", None)
    if names is not None:
        return [model._meta.pk, *(model._meta.get_field(n) for n in names)]
    if issubclass(model, PermanentRecord):
        return list(model._meta.concrete_fields)
    return None


def is_evidence(record) -> bool:
    fields = evidence_fields(type(record))
    if fields is None or record.pk is None:
        return False
    frozen = getattr(record, "is_frozen_evidence", None)
    return True if frozen is None else bool(frozen)


EMPTY = (None, "", False, 0, [], {})


def record_sha256(record) -> str:
    """Empty values are left out, so that a column added to a table later (empty on the rows made
    before it) leaves their fingerprints as they were; any change to a value still changes it."""
    fields = evidence_fields(type(record))
    content = {}
    for f in fields:
        value = _plain(f, f.value_from_object(record))
        if not any(value is e or (type(value) is type(e) and value == e) for e in EMPTY):
            content[f.attname] = value
    return hashlib.sha256(canonical([record._meta.label_lower, content]).encode()).hexdigest()


def record_key(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def claims_for(records) -> dict:
    """{"app.model:pk": sha256} for each record that is evidence."""
    return {record_key(r): record_sha256(r) for r in records if r is not None and is_evidence(r)}


def entry_sha256(
    *,
    previous,
    at,
    actor_id,
    school_id,
    action,
    record_type,
    record_id,
    record_label,
    detail,
    evidence,
    from_database=False,
):
    """`from_database`: detail was read back from the database, so it is plain JSON already."""
    content = [
        VERSION,
        previous,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_id,
        school_id,
        action,
        record_type,
        str(record_id),
        record_label,
        (detail or {}) if from_database else json.loads(canonical(detail or {})),
        evidence or {},
    ]
    return hashlib.sha256(canonical(content).encode()).hexdigest()
