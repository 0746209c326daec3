from django.urls import reverse

from audit.checks import ANSWERABLE
from breaches import permissions as case_permissions
from people import permissions as people_permissions
from people.audiences import STAFF_ROLES
from people.models import Role

LEADERS = (Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN)
# The chair leads cases about the headteacher.
CASE_LEADS = (Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.CHAIR)
GOVERNORS = (Role.GOVERNOR, Role.CHAIR)


def _menus(user):
    """Menus grouped by the job people come to do, each holding only what this person may open."""
    policies = [("Policy library", reverse("policies:list"))]
    if user.has_role(*STAFF_ROLES, *GOVERNORS, *LEADERS):
        # Pupils and visitors read policies; the review timetable is for the people who keep them.
        policies.append(("Review schedule", reverse("policies:reviews")))

    agreements = [("My agreements", reverse("agreements:mine"))]
    if user.has_role(*STAFF_ROLES):
        agreements.append(("Class signing", reverse("agreements:sessions")))
    if user.has_role(*LEADERS):
        agreements += [
            ("Agreements dashboard", reverse("agreements:dashboard")),
            ("Evidence exports", reverse("agreements:exports")),
            ("Reminders", reverse("reminders:list")),
        ]
    if user.has_role(*ANSWERABLE):
        agreements.append(("Evidence checks", reverse("audit:evidence")))

    safeguarding = [
        ("Report a concern", reverse("breaches:report")),
        ("My reports", reverse("breaches:mine")),
    ]
    if user.has_role(*CASE_LEADS):
        safeguarding.append(("Cases", reverse("breaches:cases")))
    if case_permissions.may_see_low_level_record(user):
        safeguarding.append(("Low-level concerns", reverse("breaches:low_level")))
    if user.has_role(*GOVERNORS):
        safeguarding.append(("Concerns summary", reverse("breaches:summary")))

    people = []
    if people_permissions.can_use_directory(user):
        people.append(("People", reverse("people:list")))
        people.append(("Sign-in rules", reverse("accounts:settings")))
    if people_permissions.can_import(user):
        people.append(("Import people", reverse("people:import")))
    if people_permissions.can_set_year_groups(user):
        people.append(("Year groups", reverse("people:year_groups")))
    if user.has_role(Role.TRUST_ADMIN, Role.SCHOOL_ADMIN, Role.HEADTEACHER, Role.DSL):
        people.append(("Records retention", reverse("retention:queue")))

    groups = [
        {"label": "Policies", "id": "policies", "items": policies},
        {"label": "Agreements", "id": "agreements", "items": agreements},
        {"label": "Safeguarding", "id": "safeguarding", "items": safeguarding},
        {"label": "People", "id": "people", "items": people},
    ]
    return [group for group in groups if group["items"]]


def navigation(request):
    """The menu each person sees: only what their roles let them use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "nav_groups": []}
    groups = _menus(user)
    for group in groups:
        group["active"] = any(url == request.path for _, url in group["items"])
    account = [
        ("Notifications", reverse("reminders:notifications")),
        ("Password", reverse("account_change_password")),
        ("Two-factor sign-in", reverse("mfa_index")),
    ]
    if user.is_staff:
        account.append(("Admin", reverse("admin:index")))
    # `nav` is every destination in one list, for pages and tests that need the whole set.
    nav = [("Home", reverse("home"))] + [item for group in groups for item in group["items"]] + account
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav": nav, "nav_groups": groups, "account_menu": account, "unread_notifications": unread}
