"""Many writers at once on one school's chain, on a real PostgreSQL server: the chain never forks."""

import itertools
import threading

import pytest
from django.db import connection, transaction

from audit.models import AuditChainHead, AuditEntry
from audit.services import audit_record
from audit.verify import verify_evidence
from people.seed import seed_people

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WRITERS, EACH = 4, 15


def test_concurrent_writers_queue_on_the_chain_head():
    people = seed_people()
    school, actors = people["glenwood"], [people["head"], people["dsl"], people["teacher"], people["admin"]]
    barrier = threading.Barrier(WRITERS)
    errors = []

    def write(actor):
        try:
            barrier.wait()
            for n in range(EACH):
                with transaction.atomic():
                    audit_record(
                        actor=actor, action="test.looked", record=school, school=school, detail={"n": n}
                    )
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    chain = list(AuditEntry.objects.filter(school=school).order_by("id"))
    # Every entry links to the one before it: no two entries share a predecessor.
    assert len({e.previous_sha256 for e in chain}) == len(chain)
    assert all(b.previous_sha256 == a.entry_sha256 for a, b in itertools.pairwise(chain))
    head = AuditChainHead.objects.get(school=school)
    assert head.length == len(chain) and head.head_sha256 == chain[-1].entry_sha256
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]
