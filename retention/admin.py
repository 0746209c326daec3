from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import LegalHold, RetentionRule, ReviewItem, SubjectAccessRequest


# Read-only here: the schedule, holds and decisions change through the portal's pages, audited.
@admin.register(RetentionRule)
class RetentionRuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "years", "months", "days", "action", "source"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["record_label", "school", "placed_by", "placed_at", "lifted_at"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["record_label", "school", "rule", "due_on", "status", "decided_by"]
    list_filter = ["status", "rule"]


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "school", "requested_on", "due_on", "status"]
