"""Two signing requests for one form at the same moment, on a real PostgreSQL server."""

import threading

import pytest
from django.db import connection
from django.test import Client

from agreements.models import Agreement, Signature
from agreements.seed import seed_agreements
from people.seed import DEMO_PASSWORD, seed_people
from policies.seed import seed_policies

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_submits_make_one_signature_and_two_friendly_pages():
    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    agreement = Agreement.objects.get(school=people["glenwood"], kind="staff")
    version = agreement.policy.current_version
    form = {"consent": "on", "typed_name": "Tara Quinn", "shown_sha256": version.sha256}
    clients = [Client(), Client()]
    for client in clients:
        assert client.login(username="teacher", password=DEMO_PASSWORD)
    barrier = threading.Barrier(2)
    responses = [None, None]

    def submit(i):
        try:
            barrier.wait()
            responses[i] = clients[i].post(f"/agreements/{agreement.pk}/sign/", form, follow=True)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert Signature.objects.filter(person=people["teacher"], version=version).count() == 1
    pages = [r.content.decode() for r in responses]
    assert all(r.status_code == 200 for r in responses)
    assert any("Thank you. You signed" in p for p in pages)
    # The loser of the race is shown the receipt or the "already signed" page, never an error.
    assert all("Thank you. You signed" in p or "You have already signed this" in p for p in pages)
