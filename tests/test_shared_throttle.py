"""The throttles count in a cache every web process shares: two separate processes asking the
verify page for the same address are counted together, on the database cache (no Redis, the
embedded default) and on Redis. They counted per process (local memory) before."""

import json
import os
import random
import subprocess
import sys

import pytest

from tests.worker import ROOT, _database_url

# Two processes of 8 requests against 10 a day (a day, so no window ends between them): 10
# answered, 6 throttled.
RATE, EACH = 10, 8

# One process of the portal, as a web worker runs it (glenwood.settings, configured by the
# environment), asking the verify page EACH times from one address.
REQUESTS = """
import json, os, django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR=os.environ["THROTTLE_TEST_ADDRESS"])
print(json.dumps([client.get("/verify/").status_code for _ in range({each})]))
"""


def run_process(address, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="glenwood.settings", DEBUG="true", ALLOWED_HOSTS="testserver",
        VERIFY_RATE=f"{RATE}/d", THROTTLE_TEST_ADDRESS=address, **env,
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS.format(each=EACH)], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def count_across_two_processes(**env):
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    first = run_process(address, **env)
    second = run_process(address, **env)
    return first + second


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_database_cache():
    statuses = count_across_two_processes(DATABASE_URL=_database_url(), CACHE_URL="", REDIS_URL="")
    print(f"database cache, two processes: {statuses}")
    assert statuses.count(200) == RATE and statuses.count(429) == 2 * EACH - RATE
    assert statuses[EACH:] == [200] * (RATE - EACH) + [429] * (2 * EACH - RATE)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_processes_share_redis():
    redis_url = os.environ.get("CELERY_BROKER_URL", "")
    if not redis_url.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://... (make test-services)")
    statuses = count_across_two_processes(DATABASE_URL=_database_url(), CACHE_URL=redis_url)
    print(f"Redis cache, two processes: {statuses}")
    assert statuses.count(200) == RATE and statuses.count(429) == 2 * EACH - RATE
