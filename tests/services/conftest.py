import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _require_postgresql(request):
    if connection.vendor != "postgresql":
        pytest.fail("Service tests run against PostgreSQL: use `make test-services` (DATABASE_URL).")
