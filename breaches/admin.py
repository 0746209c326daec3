"""Read-only admin: cases change only through the workflow, so every change is audited; evidence never changes.

Opening a case here is a view of the case like any other, so it is written to the audit log too.
"""

from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import Attachment, Case, CaseEntry, EvidencePack, MonitoringFlag, Referral, ReporterDisclosure
from .services import record_case_view


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class EntryInline(admin.TabularInline):
    model = CaseEntry
    fields = ["at", "author", "kind", "status_after", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "school",
        "reported_at",
        "category",
        "track",
        "status",
        "step_due_on",
        "investigator",
    ]
    list_filter = ["school", "status", "track", "category", "source", "concerns", "outcome"]
    search_fields = ["id", "subject_person__last_name", "subject_description", "reported_by__last_name"]
    list_select_related = ["school", "investigator"]
    date_hierarchy = "reported_at"
    inlines = [EntryInline]

    @admin.display(description="Reference", ordering="id")
    def reference(self, obj):
        return obj.reference

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None:
            record_case_view(actor=request.user, case=case, page="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(CaseEntry)
class CaseEntryAdmin(ReadOnlyAdmin):
    list_display = ["case", "at", "author", "kind", "status_after"]
    list_filter = ["kind", "case__school"]
    search_fields = ["case__id", "text", "author__last_name"]
    list_select_related = ["case", "author"]
    date_hierarchy = "at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    # No link to the file: documents are served only by the portal's checked, audited download.
    list_display = ["case", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type", "case__school"]
    search_fields = ["case__id", "original_name", "sha256"]
    list_select_related = ["case", "uploaded_by"]
    exclude = ["file"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["case", "agency", "referred_on", "reference", "referred_by"]
    list_filter = ["agency", "case__school"]
    search_fields = ["case__id", "reference"]
    list_select_related = ["case", "referred_by"]


@admin.register(MonitoringFlag)
class MonitoringFlagAdmin(ReadOnlyAdmin):
    list_display = ["captured_at", "account", "device", "location", "matched_phrase", "case", "imported_from"]
    list_filter = ["school", "device"]
    search_fields = ["account", "matched_phrase", "device", "location", "imported_from"]
    list_select_related = ["case"]
    date_hierarchy = "captured_at"


@admin.register(EvidencePack)
class EvidencePackAdmin(ReadOnlyAdmin):
    list_display = ["case", "version", "reporter_named", "made_by", "made_at", "pdf_sha256"]
    list_filter = ["version", "school"]
    list_select_related = ["case", "made_by"]


@admin.register(ReporterDisclosure)
class ReporterDisclosureAdmin(ReadOnlyAdmin):
    list_display = ["case", "decided_by", "decided_at"]
    list_select_related = ["case", "decided_by"]
