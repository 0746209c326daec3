"""Every retention URL, requested as each demo role, another school's people and an anonymous visitor."""

import datetime

import pytest

from people.models import Person, Role, RoleAssignment
from people.seed import DEMO_PASSWORD, seed_second_factors
from retention import access, services
from retention.models import (
    AccessStatus,
    LegalHold,
    RetentionRule,
    ReviewItem,
    ReviewStatus,
    SubjectAccessRequest,
)
from tests import permissions
from tests.permissions import assert_answers
from tests.retention.helpers import Concerns, closed_case, listed_on, sign

D = datetime.date
EVERYONE = ["head", "deputy", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply",
            "trainee", "pupil7", "pupil10", "hillside-head", "hillside-admin"]  # fmt: skip
QUEUE = {"head": 200, "deputy": 200, "dsl": 200, "admin": 200, "trustadmin": 200}


def expect(default, **overrides):
    return permissions.expect(EVERYONE, default, **overrides)


@pytest.fixture
def records(demo, django_capture_on_commit_callbacks):
    hillside_admin = Person.objects.create_user(
        username="hillside-admin", password=DEMO_PASSWORD, school=demo["hillside"], email="a@hillside.example"
    )
    RoleAssignment.objects.create(person=hillside_admin, role=Role.SCHOOL_ADMIN)
    seed_second_factors()  # an administrator signs in with a second factor, as the role requires
    from tests.retention.helpers import at

    with at(D(2026, 1, 10)):
        signature = sign(demo["teacher"], demo["glenwood"])
        case = closed_case(reporter=demo["teacher"], lead=demo["dsl"], concerns=Concerns.PUPIL,
                           subject=demo["pupil7"], category="exploitation")  # fmt: skip
    Person.objects.filter(pk=demo["teacher"].pk).update(leaving_date=D(2026, 2, 1))
    Person.objects.filter(pk=demo["pupil7"].pk).update(date_of_birth=D(2001, 1, 1))
    listed_on(D(2032, 3, 1))
    # The teacher is back (re-employed): a leaver could not sign in to be refused.
    Person.objects.filter(pk=demo["teacher"].pk).update(leaving_date=None)
    confirm = ReviewItem.objects.get(record_type="agreements.signature", record_id=str(signature.pk))
    review = ReviewItem.objects.get(record_type="breaches.case", record_id=str(case.pk))
    hold = services.hold_place(actor=demo["dsl"], record=demo["pupil10"], reason="Appeal")
    with django_capture_on_commit_callbacks(execute=True):
        made = access.access_request(actor=demo["admin"], person=demo["pupil10"], requested_on=D(2026, 11, 1))
    assert SubjectAccessRequest.objects.get(pk=made.pk).status == AccessStatus.DONE
    return {"rule": RetentionRule.objects.first().pk, "confirm": confirm.pk, "review": review.pk,
            "hold": hold.pk, "request": made.pk, "teacher": demo["teacher"].pk}  # fmt: skip


GET_URLS = [
    ("/retention/schedule/", expect(403, trustadmin=200)),
    ("/retention/queue/", expect(403, **QUEUE, hillside_head=200, hillside_admin=200)),
    ("/retention/holds/", expect(403, **QUEUE, hillside_head=200, hillside_admin=200)),
    ("/retention/access/", expect(403, admin=200, trustadmin=200, hillside_admin=200)),
    ("/retention/access/{request}/", expect(403, admin=200, trustadmin=200, hillside_admin=404)),
    ("/retention/access/{request}/download/", expect(403, admin=200, trustadmin=200, hillside_admin=404)),
]


@pytest.mark.parametrize("url,by_user", GET_URLS, ids=[u[0] for u in GET_URLS])
def test_get_as_every_role(client, records, url, by_user):
    assert_answers(client, url.format(**records), by_user)


NOT_ADMIN = {"head": 403, "deputy": 403, "dsl": 403}
POST_URLS = [
    ("/retention/schedule/{rule}/", {"rule-{rule}-years": "1"}, expect(403, trustadmin=None)),
    ("/retention/queue/{confirm}/confirm/", {},
     expect(403, admin=None, trustadmin=None, hillside_head=404, hillside_admin=404)),
    ("/retention/queue/{review}/decide/", {"decision": "keep", "reason": "x"},
     expect(403, head=None, deputy=None, dsl=None, hillside_head=404, hillside_admin=404)),
    ("/retention/queue/confirm/", {"item": "{confirm}"},
     expect(403, admin=None, trustadmin=None, hillside_admin=302)),
    ("/retention/holds/", {"record_type": "people.person", "record_id": "{teacher}", "reason": "Claim"},
     expect(403, **dict.fromkeys(QUEUE), hillside_head=404, hillside_admin=404)),
    ("/retention/holds/{hold}/lift/", {"reason": "Done"},
     expect(403, **dict.fromkeys(QUEUE), hillside_head=404, hillside_admin=404)),
    ("/retention/access/", {"person": "{teacher}", "requested_on": "2026-11-20"},
     expect(403, admin=None, trustadmin=None, hillside_admin=200)),
]  # fmt: skip


@pytest.mark.parametrize("url,data,by_user", POST_URLS, ids=[u[0] for u in POST_URLS])
def test_post_as_the_wrong_people_changes_nothing(client, records, url, data, by_user):
    data = {k.format(**records): v.format(**records) for k, v in data.items()}
    assert_answers(client, url.format(**records), by_user, method="post", data=data)
    assert ReviewItem.objects.filter(status=ReviewStatus.WAITING).count() == 2
    assert LegalHold.objects.filter(lifted_at__isnull=True).count() == 1
    assert SubjectAccessRequest.objects.count() == 1
    assert not RetentionRule.objects.filter(changed_at__isnull=False).exists()
