from .models import AuditEntry


def audit_record(*, actor, action: str, record, school=None, detail: dict | None = None) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it describes."""
    if school is None:
        school = getattr(record, "school", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        school=school,
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        record_label=str(record)[:255],
        detail=detail or {},
    )
