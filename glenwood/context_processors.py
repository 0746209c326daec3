from django.urls import reverse

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
    ]
    nav.append(("My agreements", reverse("agreements:mine")))
    if user.has_role(*STAFF_ROLES):
        nav.append(("Class signing", reverse("agreements:sessions")))
    if user.has_role(Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN):
        nav.append(("Agreements dashboard", reverse("agreements:dashboard")))
        nav.append(("Evidence exports", reverse("agreements:exports")))
    if user.is_staff:
        nav.append(("Admin", reverse("admin:index")))
    return {"nav": nav, "is_leader": user.has_role(Role.HEADTEACHER, Role.SCHOOL_ADMIN)}
