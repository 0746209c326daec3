"""The rules a person's school fields follow, shared by the edit form, its service and the import."""

from .models import Role

# A secondary school: Years 7 to 11, and 12 to 13 where it has a sixth form.
YEAR_GROUPS = range(7, 14)

# The roles an MIS export and the import manage; leadership roles are given in the portal.
IMPORTED_ROLES = (Role.STAFF, Role.PUPIL, Role.VISITOR, Role.GOVERNOR)


def pupil_problem(roles) -> str:
    """A pupil can never also hold a staff, leadership, governor or visitor role."""
    if Role.PUPIL in roles and len(roles) > 1:
        others = ", ".join(Role(r).label.lower() for r in Role.values if r in roles and r != Role.PUPIL)
        return f"A pupil cannot also hold a staff role ({others}). A pupil holds the pupil role only."
    return ""


def field_problems(*, roles, year_group, visitor_kind, start_date, leaving_date) -> dict[str, str]:
    """What is wrong with this combination of a person's fields, by field name."""
    problems = {}
    if pupil := pupil_problem(roles):
        problems["roles"] = pupil
    is_pupil = Role.PUPIL in roles
    if is_pupil and year_group is None:
        problems["year_group"] = "A pupil needs a year group (7 to 13)."
    elif year_group is not None and not is_pupil:
        problems["year_group"] = "Only pupils have a year group; leave it blank."
    elif year_group is not None and year_group not in YEAR_GROUPS:
        problems["year_group"] = f"Year {year_group} is not a year group here: use 7 to 13."
    if visitor_kind and Role.VISITOR not in roles:
        problems["visitor_kind"] = "Only visitors have a visitor type; leave it blank."
    if start_date and leaving_date and leaving_date < start_date:
        problems["leaving_date"] = "The leaving date is before the start date."
    return problems
