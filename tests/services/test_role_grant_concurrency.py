"""Two headteachers removed at the same moment, on a real PostgreSQL server: one stays."""

import pytest

from people import services
from people.models import Person, Role, RoleAssignment
from people.seed import seed_people
from tests.services.test_policy_concurrency import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_headteachers_removed_at_once_leave_the_school_one():
    demo = seed_people()
    RoleAssignment.objects.create(person=demo["deputy"], role=Role.HEADTEACHER)  # a co-head

    def remove(username):
        return lambda: services.role_remove(
            actor=demo["trustadmin"], person=Person.objects.get(username=username), role=Role.HEADTEACHER
        )

    results = at_once(remove("head"), remove("deputy"))
    assert sorted(type(r).__name__ for r in results) == ["ServiceError", "bool"], results
    assert (
        Person.objects.current().filter(school=demo["glenwood"], role_assignments__role="headteacher").count()
        == 1
    )
