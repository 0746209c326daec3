"""A class signing on the embedded SQLite default: 20 people submit at the same moment, each on
their own connection to the same database file, and every signature is recorded without an error.

It failed with "database is locked" (500) before SQLite ran in WAL mode with BEGIN IMMEDIATE and
a busy timeout (glenwood/settings.py)."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from agreements.models import Agreement, Signature
from agreements.seed import seed_agreements
from people.models import Person, Role, RoleAssignment
from people.seed import seed_people
from policies.seed import seed_policies

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="about SQLite"
    ),
]
SIGNERS = 20


def test_the_embedded_database_is_a_file_in_wal_mode_with_immediate_transactions():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 10
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["NAME"] not in (":memory:", "") and "mode=memory" not in str(
        connection.settings_dict["NAME"]
    )


def test_twenty_people_signing_at_once_are_all_recorded():
    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    agreement = Agreement.objects.get(school=people["glenwood"], kind="staff")
    version = agreement.policy.current_version
    signers = []
    for n in range(SIGNERS):
        person = Person.objects.create(
            username=f"class-signer-{n}", school=people["glenwood"], first_name="Signer", last_name=f"Number{n}",
            email=f"signer{n}@glenwood.example",
        )  # fmt: skip
        RoleAssignment.objects.create(person=person, role=Role.STAFF)
        signers.append(person)
    clients = []
    for person in signers:
        client = Client()
        client.force_login(person)
        clients.append(client)
    barrier = threading.Barrier(SIGNERS)
    responses, errors = [None] * SIGNERS, []

    def sign(i):
        try:
            form = {"consent": "on", "typed_name": signers[i].get_full_name(), "shown_sha256": version.sha256}
            barrier.wait()
            responses[i] = clients[i].post(f"/agreements/{agreement.pk}/sign/", form)
        except Exception as exc:  # an error in a thread must fail the test, not vanish
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(i,)) for i in range(SIGNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [r.status_code for r in responses] == [302] * SIGNERS
    assert Signature.objects.filter(version=version, person__in=signers).count() == SIGNERS
