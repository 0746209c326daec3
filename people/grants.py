"""Who may give or take away which role. The edit form and the role services both ask here.

Leadership and safeguarding roles open case files, decide outcomes and approve policies, so a
school office that keeps the people list cannot hand them out: only the headteacher or the trust
does, never to themselves, never to a pupil, and never so that the school is left without a head.
"""

from django.utils import timezone

from .access import can_see_school
from .models import Person, Role
from .rules import pupil_problem  # noqa: F401  (one rule, asked for here too)

PROTECTED_ROLES = frozenset({Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.CHAIR})
# Every change to one of these is emailed to the headteacher and to the person.
NOTIFIED_ROLES = PROTECTED_ROLES | {Role.SCHOOL_ADMIN, Role.TRUST_ADMIN}

PROTECTED_HELP = (
    "Only the headteacher or the trust administrator gives or takes away the headteacher, deputy, "
    "designated safeguarding lead and chair of governors roles, and never their own. "
    "A pupil holds the pupil role only."
)


def may_change_protected_roles(actor, school) -> bool:
    """The school's own headteacher, or a trust administrator of the school's trust."""
    if actor.has_role(Role.HEADTEACHER) and actor.school_id == school.pk:
        return True
    return actor.is_trust_admin and can_see_school(actor, school.pk)


def others_heading(school, person) -> bool:
    """Whether someone other than `person` is a current headteacher of the school."""
    return (
        Person.objects.current()
        .filter(school_id=school.pk, role_assignments__role=Role.HEADTEACHER)
        .exclude(pk=person.pk)
        .exists()
    )


def who_problem(actor, person, role, *, granting: bool) -> str:
    """Why `actor` may not give (or take away) `role` for `person`; empty when they may."""
    label = Role(role).label
    verb = "gives" if granting else "takes away"
    if role == Role.TRUST_ADMIN and not actor.is_trust_admin:
        return f"Only a trust administrator {verb} the trust administrator role."
    if role not in PROTECTED_ROLES:
        return ""
    if not may_change_protected_roles(actor, person.school):
        return f"Only the headteacher or the trust administrator {verb} the {label.lower()} role."
    if actor.pk == person.pk:
        whose = "give yourself the" if granting else "take away your own"
        return (
            f"You cannot {whose} {label.lower()} role: another person, the headteacher or the "
            "trust administrator, must do it."
        )
    return ""


def last_head_problem(person, role) -> str:
    if role == Role.HEADTEACHER and not others_heading(person.school, person):
        return (
            f"{person} is {person.school}’s only headteacher, so the role cannot be taken away: "
            "give it to the new headteacher first."
        )
    return ""


def head_leaving_problem(person, *, roles, leaving_date, access_expires_on) -> str:
    """A leaving date that has come (or an account ended) takes the last headteacher away too."""
    today = timezone.localdate()
    gone = (leaving_date is not None and leaving_date <= today) or (
        access_expires_on is not None and access_expires_on < today
    )
    if gone and Role.HEADTEACHER in roles and not others_heading(person.school, person):
        return (
            f"{person} is {person.school}’s only headteacher: give the role to the new headteacher "
            "before this account ends."
        )
    return ""
