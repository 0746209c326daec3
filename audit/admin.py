import json

from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .looks import record_look
from .models import AuditEntry


class AuditedLooksAdminMixin:
    """Sensitive records in the Django admin: every list and every record opened is on the record."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200 and request.user.is_authenticated:
            record_look(
                actor=request.user, action="admin.listed", record=request.user.school, school=request.user.school,
                detail={"model": self.model._meta.label_lower, "query": request.GET.urlencode()[:300]},
            )  # fmt: skip
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        if record is not None and self.has_view_permission(request, record):
            record_look(actor=request.user, action="admin.viewed", record=record, school=_school_of(record))
        return super().change_view(request, object_id, form_url, extra_context)


def _school_of(record):
    if hasattr(record, "school_id"):
        return record.school
    case = getattr(record, "case", None)
    return case.school if case is not None else None


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log is append-only: the admin may read it, never change it. An entry about a case file
    shows who did what and when, never the case's label or detail (those are read in the portal)."""

    list_display = ["at", "actor", "school", "action", "record_type", "record"]
    list_filter = ["action", "record_type", "school"]
    # Not the record's label: a search would answer whether a case or flag holds the words searched for.
    search_fields = ["actor__username", "actor__last_name", "action"]
    date_hierarchy = "at"
    list_select_related = ["actor", "school"]
    fields = ["at", "actor", "school", "action", "record_type", "record_id", "record", "details"]
    readonly_fields = fields

    @admin.display(description="Record")
    def record(self, obj):
        return obj.record_name

    @admin.display(description="Detail")
    def details(self, obj):
        if obj.is_confidential:
            return "Kept in the portal with the case file."
        return json.dumps(obj.detail, indent=2, sort_keys=True, ensure_ascii=False)
