"""Subject access through a real Celery worker process: the request is queued, the worker makes the ZIP."""

import datetime
import io
import json
import zipfile

import pytest

from agreements.seed import seed_agreements
from people.seed import seed_people
from policies.seed import seed_policies
from retention import access
from retention.models import AccessStatus
from tests.agreements.test_export_worker import wait_for
from tests.conftest import sealing_deferred
from tests.retention.helpers import sign


@pytest.fixture
def people(transactional_db):
    """Committed before the worker starts, while tasks still run in-process; the evidence PDFs are
    left for the worker (its media folder is not this process's)."""
    with sealing_deferred():
        demo = seed_people()
        seed_policies(demo)
        seed_agreements(demo)
        sign(demo["teacher"], demo["glenwood"])
    return demo


def test_a_subject_access_export_is_made_by_the_worker_with_progress(people, real_worker):
    real_worker()
    request = access.access_request(actor=people["admin"], person=people["teacher"],
                                    requested_on=datetime.date.today())  # fmt: skip
    assert request.status == AccessStatus.QUEUED and request.total == len(access.SECTIONS)
    wait_for(request, lambda r: r.status in (AccessStatus.DONE, AccessStatus.FAILED))
    assert request.status == AccessStatus.DONE, request.error
    assert request.done == request.total and request.percent == 100
    with request.file.open("rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    assert json.loads(archive.read("record.json"))["last_name"] == "Quinn"
    assert any(n.startswith("signatures/") for n in archive.namelist())
