from django.contrib import admin

from .models import Notification, Reminder, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "school",
        "review_days_before",
        "overdue_every_days",
        "chase_after_days",
        "chase_every_days",
        "chase_at_most",
    ]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", "status", "school"]
    search_fields = ["subject", "cycle", "recipient__last_name", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    search_fields = ["title", "recipient__last_name"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "reminder", "title", "body", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False
