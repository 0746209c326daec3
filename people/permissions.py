"""Who may use the people directory and the MIS import. Services call these; views and templates too."""

from .access import can_see_school
from .models import Role

# The school's office and leadership keep its list of people; trust administrators across the trust.
DIRECTORY_ROLES = (Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN)
IMPORT_ROLES = (Role.HEADTEACHER, Role.SCHOOL_ADMIN)


def can_use_directory(person) -> bool:
    return person.has_role(*DIRECTORY_ROLES)


def can_manage_person(actor, person) -> bool:
    return can_use_directory(actor) and can_see_school(actor, person.school_id)


def can_import(actor, school=None) -> bool:
    """Imports go into the importer's own school: a trust administrator asks its office to import."""
    if not actor.has_role(*IMPORT_ROLES):
        return False
    return school is None or actor.school_id == school.pk


def can_set_year_groups(actor, school=None) -> bool:
    """The head and the office choose which agreement each year group signs, for their own school."""
    return can_import(actor, school)
