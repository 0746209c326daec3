"""Two people acting on one report at the same moment, on a real PostgreSQL server."""

import pytest

from audit.models import AuditEntry
from breaches import services
from breaches.choices import Category, Concerns, Status
from breaches.models import Case, MonitoringFlag
from glenwood.services import ServiceError
from people.seed import seed_people
from policies.seed import seed_policies
from tests.breaches.files import upload
from tests.services.test_policy_concurrency import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

EXPORT = b"time,device,account,phrase\n2026-11-19 10:02,PC1,pupil7,word\n2026-11-19 10:05,PC2,staff03,word\n"


@pytest.fixture
def demo():
    people = seed_people()
    seed_policies(people)
    return people


def test_two_triage_clicks_at_once_decide_the_report_once(demo):
    case = services.report_concern(
        actor=demo["teacher"],
        category=Category.RADICALISATION,  # a safeguarding matter: the head and a DSL may both triage
        concerns=Concerns.UNKNOWN,
        what_happened="Worrying post",
    )

    def triage(username, accept):
        return lambda: services.triage_report(
            actor=demo[username], case=Case.objects.get(pk=case.pk), accept=accept, reason="Not a concern"
        )

    results = at_once(triage("head", True), triage("dsl", False))
    assert sum(isinstance(r, ServiceError) for r in results) == 1
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ServiceError)]
    case.refresh_from_db()
    assert case.status in (Status.SAFEGUARDING, Status.CLOSED)
    decided = AuditEntry.objects.filter(
        record_id=str(case.pk), action__in=["case.accepted", "case.closed_at_triage"]
    )
    assert decided.count() == 1
    assert case.entries.count() == 2  # reported, and the one triage


def test_the_same_export_imported_twice_at_once_makes_each_case_once(demo):
    def run():
        return services.import_flags(actor=demo["dsl"], data_file=upload("export.csv", EXPORT))

    results = at_once(run, run)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, services.ImportRefused)]
    assert MonitoringFlag.objects.count() == 2
    assert Case.objects.count() == 2  # a refused import leaves no case behind
