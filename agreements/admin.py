from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import Agreement, Decline, Signature, SigningCode, SigningSession


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["policy", "school", "kind"]
    list_filter = ["school", "kind"]
    search_fields = ["policy__title"]
    list_select_related = ["policy", "school"]


class _EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
