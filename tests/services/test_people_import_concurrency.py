"""Two clicks on "Apply these changes" at the same moment, on a real PostgreSQL server."""

from pathlib import Path

import pytest

from audit.models import AuditEntry
from glenwood.services import ServiceError
from people import services
from people.models import ImportBatch, ImportStatus, Person
from people.seed import seed_people
from tests.services.test_policy_concurrency import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[2] / "people" / "demo" / "mis-export-sample.csv"


def test_two_applies_at_once_import_the_file_once():
    demo = seed_people()
    batch = services.import_check(
        actor=demo["admin"], school=demo["glenwood"], filename="sample.csv", data=SAMPLE.read_bytes()
    )
    shown = services.import_plan_for(batch).sha256
    before = Person.objects.count()

    def apply():
        return services.import_apply(
            actor=demo["admin"], batch=ImportBatch.objects.get(pk=batch.pk), shown_plan_sha256=shown
        )

    results = at_once(apply, apply)
    assert sum(isinstance(r, ServiceError) for r in results) == 1, results
    assert Person.objects.count() == before + 6
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.APPLIED
    assert AuditEntry.objects.filter(action="people_import.applied").count() == 1
    assert AuditEntry.objects.filter(action="person.imported").count() == 6
