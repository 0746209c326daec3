"""What the apps' Django admin pages share."""


class ReadOnlyAdminMixin:
    """Evidence and workflow records: readable in the admin, changed only through the services,
    so that every change is audited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
