"""The rules a person's school fields follow, shared by the edit form, its service and the import."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

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


# The ages a date of birth must give, so a slip of the year (2021 for 2012) is caught: a secondary
# pupil (Years 7 to 13, with room either side) or an adult working at the school.
PUPIL_AGES = (9, 21)
ADULT_AGES = (16, 100)


def date_of_birth_problem(date_of_birth, roles, today: datetime.date | None = None) -> str:
    """Child-protection records are kept until a pupil's date of birth plus 25 years, so it must be right."""
    if date_of_birth is None:
        return ""
    today = today or timezone.localdate()
    if date_of_birth > today:
        return "The date of birth is in the future."
    age = relativedelta(today, date_of_birth).years
    youngest, oldest = PUPIL_AGES if Role.PUPIL in roles else ADULT_AGES
    if not youngest <= age <= oldest:
        who = "a pupil here" if Role.PUPIL in roles else "someone working at the school"
        return (
            f"A date of birth of {date_of_birth:%-d %B %Y} makes them {age}: {who} is {youngest} to "
            f"{oldest}. Check the year."
        )
    return ""


def field_problems(
    *, roles, year_group, visitor_kind, start_date, leaving_date, date_of_birth=None
) -> dict[str, str]:
    """What is wrong with this combination of a person's fields, by field name."""
    problems = {}
    if born := date_of_birth_problem(date_of_birth, roles):
        problems["date_of_birth"] = born
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
