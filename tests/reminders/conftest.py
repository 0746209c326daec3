import datetime
import zoneinfo

import pytest
import time_machine

from agreements.seed import seed_agreements
from people.seed import seed_people
from policies.seed import seed_policies
from tests.agreements.conftest import publish_new_version  # noqa: F401  (a fixture for test_decisions)

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=LONDON)  # a Tuesday: the agreements go out


@pytest.fixture
def clock():
    """A frozen clock the test moves on; the demo school is made at its start."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def school(db, clock):
    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    return people


def at(clock, day: datetime.date, hour=7):
    clock.move_to(datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=LONDON))
