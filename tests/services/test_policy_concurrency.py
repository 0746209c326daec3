"""Two people acting on one version at the same moment, on a real PostgreSQL server."""

import datetime
import threading

import pytest
from django.db import connection

from audit.models import AuditEntry
from glenwood.services import ServiceError
from people.seed import seed_people
from policies import services
from policies.models import Decision, Policy, PolicyVersion, VersionStatus
from policies.seed import seed_policies

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def at_once(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def demo():
    people = seed_people()
    seed_policies(people)
    return people


def test_double_submit_moves_the_version_once(demo):
    policy = Policy.objects.get(school=demo["glenwood"], title="Use of Social Media Policy")
    draft = services.version_draft(actor=demo["head"], policy=policy, reviewed_on=datetime.date(2026, 11, 20))

    def submit():
        return services.version_submit(actor=demo["head"], version=PolicyVersion.objects.get(pk=draft.pk))

    results = at_once(submit, submit)
    assert sum(isinstance(r, ServiceError) for r in results) == 1
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED and draft.round == 1
    assert AuditEntry.objects.filter(action="version.submitted", record_id=str(draft.pk)).count() == 1


def test_two_drafts_started_at_once_make_one(demo):
    policy = Policy.objects.get(school=demo["glenwood"], title="Online Safety Policy")

    def start():
        return services.version_draft(
            actor=demo["head"], policy=policy, reviewed_on=datetime.date(2026, 11, 20)
        )

    results = at_once(start, start)
    assert sum(isinstance(r, ServiceError) for r in results) == 1
    assert policy.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_majority_decisions_at_once_approve_exactly_once(demo):
    policy = Policy.objects.get(school=demo["glenwood"], title="Data Protection Policy")
    version = services.version_draft(
        actor=demo["head"], policy=policy, reviewed_on=datetime.date(2026, 11, 20)
    )
    services.version_submit(actor=demo["head"], version=version)

    def decide(username):
        def call():
            v = PolicyVersion.objects.get(pk=version.pk)
            return services.version_decide(
                actor=demo[username], version=v, decision=Decision.APPROVE,
                shown_sha256=v.sha256, minute_reference="RES/2026/9",
            )  # fmt: skip

        return call

    results = at_once(decide("governor"), decide("governor2"), decide("governor3"))
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert AuditEntry.objects.filter(action="version.approved", record_id=str(version.pk)).count() == 1
    # Whoever came after the approval is told so; nobody's click becomes an error page.
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ServiceError)]
