"""Which school's records a person may see: their own, or the whole trust for trust administrators."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Role, School


def visible_schools(person):
    if person.has_role(Role.TRUST_ADMIN):
        return School.objects.filter(trust_id=person.school.trust_id)
    return School.objects.filter(pk=person.school_id)


def can_see_school(person, school_id) -> bool:
    if school_id == person.school_id:
        return True
    return person.has_role(Role.TRUST_ADMIN) and visible_schools(person).filter(pk=school_id).exists()


def get_for_school(person, queryset, **lookup):
    """Fetch and authorise in one call: another school's record is a 404, never a 403."""
    return get_object_or_404(queryset.filter(school__in=visible_schools(person)), **lookup)


def require_role(person, *roles):
    if not person.has_role(*roles):
        raise PermissionDenied
