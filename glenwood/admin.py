"""What the apps' Django admin pages share, and the outbox's page."""

from django.contrib import admin

from .models import OutboxMessage


class ReadOnlyAdminMixin:
    """Evidence and workflow records: readable in the admin, changed only through the services,
    so that every change is audited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background work asked for and not yet done (handed on empty: the broker was down when it
    was asked for). The sweep hands it on by itself; nobody needs to do anything here."""

    list_display = ("task", "args", "created_at", "handed_at", "handed_count", "done_at", "last_error")
    list_filter = (("done_at", admin.EmptyFieldListFilter), ("handed_at", admin.EmptyFieldListFilter), "task")
