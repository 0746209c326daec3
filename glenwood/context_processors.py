from django.urls import reverse

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
    if user.has_role(Role.HEADTEACHER, Role.DEPUTY, Role.DSL):
        nav.append(("Cases", reverse("breaches:cases")))
    if user.has_role(Role.GOVERNOR, Role.CHAIR):
        nav.append(("Concerns summary", reverse("breaches:summary")))
    if user.is_staff:
        nav.append(("Admin", reverse("admin:index")))
    return {"nav": nav, "is_leader": user.has_role(Role.HEADTEACHER, Role.SCHOOL_ADMIN)}
