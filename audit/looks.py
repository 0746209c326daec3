"""Every look at sensitive data leaves a trace: who opened which page, list or file, and when.

Looks are written at once, in their own short transaction when the page has none (chain_append
opens it), so a page that fails after the look still leaves it on the record. Refused attempts (403 and 404 on a case, a signature or a person) are
written by audit.middleware.RefusedAttemptMiddleware.
"""

from .models import AuditEntry
from .services import audit_record, chain_append

LIST_QUERY_MAX = 300


def record_look(*, actor, action: str, record, school=None, detail=None) -> AuditEntry:
    return audit_record(actor=actor, action=action, record=record, school=school, detail=detail)


def record_list_look(*, actor, action: str, request, shown=None) -> AuditEntry:
    """A list: which one, with which filters, which page (the school stands in for the record)."""
    detail = {"query": request.GET.urlencode()[:LIST_QUERY_MAX]}
    if shown is not None:
        detail["shown"] = shown
    return record_look(actor=actor, action=action, record=actor.school, school=actor.school, detail=detail)


def record_refused(*, actor, record_type: str, record_id: str, label: str, detail: dict) -> AuditEntry:
    """An attempt the portal refused; the record may not exist, so only its kind and id are named."""
    entry = AuditEntry(
        actor=actor, school_id=actor.school_id, action="access.refused", record_type=record_type,
        record_id=str(record_id)[:40], record_label=label[:255], detail=detail,
    )  # fmt: skip
    return chain_append([entry])[0]
