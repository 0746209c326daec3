from django.contrib import admin

from audit.admin import AuditedLooksAdminMixin
from glenwood.admin import ReadOnlyAdminMixin

from .models import (
    Agreement,
    Decline,
    DeclineCertificate,
    Export,
    Signature,
    SignatureCertificate,
    SigningCode,
    SigningSession,
)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["policy", "school", "kind"]
    list_filter = ["school", "kind"]
    search_fields = ["policy__title"]
    list_select_related = ["policy", "school"]


class _EvidenceAdmin(AuditedLooksAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Signatures and declines are evidence: readable here, never added, changed or deleted."""


@admin.register(Signature)
class SignatureAdmin(_EvidenceAdmin):
    list_display = ["person", "agreement", "version", "signed_at", "auth_method", "witness", "ip_address"]
    list_filter = ["school", "agreement__kind", "auth_method", "signed_at"]
    search_fields = [
        "person__first_name",
        "person__last_name",
        "person__username",
        "text_sha256",
        "typed_name",
    ]
    list_select_related = ["person", "agreement__policy", "version", "witness"]
    date_hierarchy = "signed_at"


@admin.register(Decline)
class DeclineAdmin(_EvidenceAdmin):
    list_display = ["person", "agreement", "version", "declined_at", "reason"]
    list_filter = ["school", "agreement__kind"]
    search_fields = ["person__first_name", "person__last_name", "reason"]
    list_select_related = ["person", "agreement__policy", "version"]


class CodeInline(admin.TabularInline):
    model = SigningCode
    fields = ["pupil", "code", "used_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SigningSession)
class SigningSessionAdmin(admin.ModelAdmin):
    list_display = [
        "agreement",
        "school",
        "opened_by",
        "year_group",
        "tutor_group",
        "opened_at",
        "closes_at",
        "closed_at",
    ]
    list_filter = ["school", "year_group"]
    list_select_related = ["agreement__policy", "school", "opened_by"]
    readonly_fields = ["opened_at"]
    inlines = [CodeInline]


@admin.register(SignatureCertificate)
class SignatureCertificateAdmin(_EvidenceAdmin):
    list_display = ["code", "signature", "school", "created_at", "pdf_sha256"]
    list_filter = ["school", "created_at"]
    search_fields = ["code", "pdf_sha256", "signature__person__first_name", "signature__person__last_name"]
    list_select_related = ["signature__person", "signature__version__policy", "school"]
    date_hierarchy = "created_at"


@admin.register(DeclineCertificate)
class DeclineCertificateAdmin(_EvidenceAdmin):
    list_display = ["code", "decline", "school", "created_at", "pdf_sha256"]
    list_filter = ["school", "created_at"]
    search_fields = ["code", "pdf_sha256"]
    list_select_related = ["decline__person", "decline__version__policy", "school"]


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Exports are made and restarted from the portal's own pages; here they can be read or removed."""

    list_display = [
        "pk",
        "agreement",
        "school",
        "group",
        "status",
        "done",
        "total",
        "requested_by",
        "created_at",
        "expires_at",
    ]
    list_filter = ["school", "status", "group"]
    list_select_related = ["agreement__policy", "school", "requested_by"]
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
