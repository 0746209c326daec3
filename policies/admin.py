from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import ApprovalDecision, Policy, PolicyVersion


class VersionInline(admin.TabularInline):
    model = PolicyVersion
    fields = ["label", "status", "reviewed_on", "next_review_on", "approved_at", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "school",
        "category",
        "reviewer_role",
        "approval_body",
        "current_version",
        "public",
        "next_review",
    ]
    list_filter = [
        "school",
        "category",
        "reviewer_role",
        "for_staff",
        "for_pupils",
        "for_visitors",
        "for_governors",
        "public",
    ]
    search_fields = ["title", "category"]
    list_select_related = ["school", "approval_body", "current_version"]
    filter_horizontal = ["related"]
    readonly_fields = ["current_version"]
    inlines = [VersionInline]

    @admin.display(description="Next review", ordering="current_version__next_review_on")
    def next_review(self, obj):
        return obj.current_version.next_review_on if obj.current_version else None


class DecisionInline(admin.TabularInline):
    model = ApprovalDecision
    readonly_fields = [
        "round",
        "governor",
        "decision",
        "comment",
        "minute_reference",
        "version_sha256",
        "decided_at",
    ]
    fields = readonly_fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: versions change only through the workflow, so every change is audited."""

    list_display = [
        "policy",
        "label",
        "status",
        "reviewed_on",
        "next_review_on",
        "approved_at",
        "published_at",
    ]
    list_filter = ["status", "policy__school", "next_review_on"]
    search_fields = ["policy__title", "label", "sha256", "minute_reference"]
    list_select_related = ["policy"]
    date_hierarchy = "next_review_on"
    inlines = [DecisionInline]


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "round", "governor", "decision", "minute_reference", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["version__policy__title", "governor__last_name", "minute_reference"]
    list_select_related = ["version__policy", "governor"]
