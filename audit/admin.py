from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "school", "action", "record_type", "record_label"]
    list_filter = ["action", "record_type", "school"]
    search_fields = ["record_label", "actor__username", "actor__last_name", "action"]
    date_hierarchy = "at"
    list_select_related = ["actor", "school"]

    # The log is append-only: the admin may read it, never change it.
