"""Records of access in the audit log: sign-ins, refusals, lockouts, resets, second factors, sessions."""

from audit.models import AuditEntry
from audit.services import chain_append


def record_access(*, action, person, school=None, actor=None, label="", detail=None):
    """One audit entry about a person's access. `person` may be None when the sign-in named nobody
    the portal holds (the label then says what was typed)."""
    if school is None and person is not None:
        school = person.school
    entry = AuditEntry(
        actor=actor if actor is not None else person,
        school=school,
        action=action,
        record_type="people.person",
        record_id=str(person.pk) if person is not None else "",
        record_label=(str(person) if person is not None else label)[:255],
        detail=detail or {},
    )
    return chain_append([entry])[0]


def client_address(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None
