import json

from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import AuditEntry


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
