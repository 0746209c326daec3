from .models import LEADERSHIP_ROLES, Role

STAFF_ROLES = {Role.STAFF, Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.SCHOOL_ADMIN}


def audiences_of(person) -> list[str]:
    """Which policy audiences a person belongs to (staff, pupils, visitors, governors)."""
    audiences = []
    if person.has_role(*STAFF_ROLES):
        audiences.append("staff")
    if person.has_role(Role.PUPIL):
        audiences.append("pupils")
    if person.has_role(Role.VISITOR):
        audiences.append("visitors")
    if person.has_role(Role.GOVERNOR, Role.CHAIR):
        audiences.append("governors")
    return audiences


def sees_every_policy(person) -> bool:
    return person.has_role(*LEADERSHIP_ROLES, Role.GOVERNOR, Role.CHAIR)
