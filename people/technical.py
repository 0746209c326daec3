"""The technical administrator: the one role that uses the Django admin.

Not a portal role and not a superuser. It keeps the scheduled jobs and the reminder settings, sets
up schools, and reads the rest of the admin; it changes nobody's roles or password (those are given
in the portal, where they are checked and audited) and it sees no case file, which the admin does
not hold at all (breaches/admin.py). A trust administrator works through the portal's own role
checks and is not given the Django admin.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from audit.services import audit_record

GROUP_NAME = "Technical administrators"

# app label -> the permissions the group holds, beyond reading every model the admin shows.
CHANGES = {
    "django_celery_beat": ["add", "change", "delete"],
    "reminders": [("remindersettings", "change")],
    "people": [("school", "add"), ("school", "change"), ("trust", "add"), ("trust", "change")],
}
READS = ["auth", "django_celery_beat", "people", "audit", "policies", "agreements", "reminders"]


def _permissions():
    wanted = Q(content_type__app_label__in=READS, codename__startswith="view_")
    for app_label, changes in CHANGES.items():
        for change in changes:
            if isinstance(change, tuple):
                model, action = change
                wanted |= Q(content_type__app_label=app_label, codename=f"{action}_{model}")
            else:
                wanted |= Q(content_type__app_label=app_label, codename__startswith=f"{change}_")
    # Nothing of a case, even to read: the case models are not in the admin, and not in the group.
    return Permission.objects.filter(wanted).exclude(content_type__app_label="breaches")


@transaction.atomic
def technical_admin_group() -> Group:
    """The group with exactly the permissions above (safe to run again; it resets them)."""
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(_permissions())
    return group


def make_technical_admin(person, *, actor=None) -> None:
    """Give `person` the Django admin as a technical administrator, and nothing more."""
    with transaction.atomic():
        person.is_staff, person.is_superuser = True, False
        person.save(update_fields=["is_staff", "is_superuser"])
        person.user_permissions.clear()
        person.groups.add(technical_admin_group())
        audit_record(actor=actor, action="person.made_technical_admin", record=person)
