"""Naming the person a concern is about, showing the reporter as little of the school as possible.

A reporter types part of a name and sees at most a handful of matches from their own school, never
the roster. Staff may name anyone at the school; visitors, governors and anyone else without a
staff role may name staff only, so no pupil's name or year group is shown to them.
"""

from django.db.models import Q

from people.audiences import STAFF_ROLES
from people.models import Person

MIN_LETTERS = 3
MAX_MATCHES = 8


def may_name_pupils(reporter) -> bool:
    return reporter.has_role(*STAFF_ROLES)


def nameable_people(reporter):
    """Everyone this reporter may name in a concern: their own school's current people, not themselves."""
    people = Person.objects.current().filter(school_id=reporter.school_id).exclude(pk=reporter.pk)
    # Only people the school holds in a role: not a technical administrator's account.
    people = people.filter(role_assignments__isnull=False).distinct()
    if not may_name_pupils(reporter):
        people = people.filter(role_assignments__role__in=STAFF_ROLES).distinct()
    return people.order_by("last_name", "first_name")


def search_words(query: str) -> list[str]:
    return [w for w in " ".join((query or "").split()).split(" ") if w][:4]


def matching_people(reporter, query: str):
    """Up to MAX_MATCHES people whose first or last name starts with each word typed; nothing for
    fewer than MIN_LETTERS letters, so the list cannot be read out a letter at a time."""
    words = search_words(query)
    if sum(len(w) for w in words) < MIN_LETTERS:
        return []
    people = nameable_people(reporter)
    for word in words:
        people = people.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return list(people[:MAX_MATCHES])


def label(person, *, for_reporter=None) -> str:
    """How a match is shown: a pupil's year group helps staff tell two pupils apart. (No reporter:
    a case lead's own list, such as the triage form's.)"""
    name = f"{person.last_name}, {person.first_name}"
    if person.year_group and (for_reporter is None or may_name_pupils(for_reporter)):
        return f"{name} (Year {person.year_group})"
    return name + (f" ({person.job_title})" if person.job_title else "")
