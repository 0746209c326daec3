from django.urls import reverse

from people import permissions as people_permissions
from people.audiences import STAFF_ROLES
from people.models import Role


def navigation(request):
    """The menu each person sees: only what their roles let them use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [
        ("Home", reverse("home")),
        ("Policies", reverse("policies:list")),
        ("Review schedule", reverse("policies:reviews")),
        ("Report a concern", reverse("breaches:report")),
    ]
    nav.append(("My agreements", reverse("agreements:mine")))
    if user.has_role(*STAFF_ROLES):
        nav.append(("Class signing", reverse("agreements:sessions")))
    if user.has_role(Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN):
        nav.append(("Agreements dashboard", reverse("agreements:dashboard")))
        nav.append(("Evidence exports", reverse("agreements:exports")))
        nav.append(("Reminders", reverse("reminders:list")))
    if people_permissions.can_use_directory(user):
        nav.append(("People", reverse("people:list")))
    if people_permissions.can_import(user):
        nav.append(("Import people", reverse("people:import")))
    if user.has_role(Role.HEADTEACHER, Role.DEPUTY, Role.DSL):
        nav.append(("Cases", reverse("breaches:cases")))
    if user.has_role(Role.GOVERNOR, Role.CHAIR):
        nav.append(("Concerns summary", reverse("breaches:summary")))
    if user.has_role(Role.TRUST_ADMIN, Role.SCHOOL_ADMIN, Role.HEADTEACHER, Role.DSL):
        nav.append(("Records retention", reverse("retention:queue")))
    if user.is_staff:
        nav.append(("Admin", reverse("admin:index")))
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav": nav, "unread_notifications": unread}
