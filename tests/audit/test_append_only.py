import pytest

from audit.models import AuditEntry, AuditLogIsAppendOnly
from audit.services import audit_record


def test_entries_can_be_added_but_never_changed_or_deleted(demo):
    entry = audit_record(actor=demo["head"], action="test.done", record=demo["glenwood"], detail={"n": 1})
    entry.action = "test.rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.done"


def test_admin_shows_the_log_read_only(demo, login):
    client = login("techadmin")
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
