"""What every service function shares: its errors and the guarded status change.

Each state change has one shape (check, atomic, save the changed fields, audit, side effects
after commit); these pieces keep that shape the same in every app.
"""

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    """A move the record's current state does not allow; the message is shown to the person."""


class NotAllowed(PermissionDenied):
    """The person asking may not take this step; views answer 403."""


def change_status(instance, *, allowed_from, to, **fields):
    """Move `instance` to status `to` only if it is still in `allowed_from`.

    A conditional UPDATE, so two people clicking at once cannot both move it: the second finds
    the row already moved and gets a ServiceError instead of a second transition.
    """
    model = type(instance)
    moved = model.objects.filter(pk=instance.pk, status__in=list(allowed_from)).update(status=to, **fields)
    if moved != 1:
        instance.refresh_from_db(fields=["status"])
        raise ServiceError(f"This is now {instance.get_status_display().lower()}; nothing was changed.")
    instance.status = to
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance
