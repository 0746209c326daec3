from django.urls import reverse

from people import permissions as people_permissions
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
    ]
    if people_permissions.can_use_directory(user):
        nav.append(("People", reverse("people:list")))
    if people_permissions.can_import(user):
        nav.append(("Import people", reverse("people:import")))
    if user.is_staff:
        nav.append(("Admin", reverse("admin:index")))
    return {"nav": nav, "is_leader": user.has_role(Role.HEADTEACHER, Role.SCHOOL_ADMIN)}
