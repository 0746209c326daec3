import pytest

from agreements.seed import seed_agreements
from people.seed import DEMO_PASSWORD, seed_people
from policies.seed import seed_policies


@pytest.fixture
def demo(db):
    """The demo trust as `make run` shows it: Glenwood with every role, and Hillside beside it."""
    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    return people


@pytest.fixture
def login(client):
    """Log the test client in as a demo person by username."""

    def _login(username):
        assert client.login(username=username, password=DEMO_PASSWORD), username
        return client

    return _login


@pytest.fixture
def social_media(demo):
    from policies.models import Policy

    return Policy.objects.get(school=demo["glenwood"], title="Use of Social Media Policy")
