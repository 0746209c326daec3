from contextlib import contextmanager

import pytest

from agreements.seed import seed_agreements
from glenwood.seal import write_self_signed_certificate
from people.seed import DEMO_PASSWORD, seed_people
from policies.seed import seed_policies
from tests.pki import local_pki, pki_worker_env, timestamped_seal  # noqa: F401  (fixtures)
from tests.worker import real_worker  # noqa: F401  (a fixture for the export and browser tests)


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


@pytest.fixture(scope="session")
def signing_files(tmp_path_factory):
    """A self-signed seal certificate and key, made once for the test run."""
    folder = tmp_path_factory.mktemp("signing")
    cert, key = folder / "certificate.pem", folder / "private-key.pem"
    write_self_signed_certificate(cert_path=cert, key_path=key, common_name="Glenwood School (test seal)")
    return cert, key


@pytest.fixture(autouse=True)
def signing_certificate(settings, signing_files):
    """Every test seals with the test certificate, never with a developer's var/signing one."""
    settings.SIGNING_CERT_PATH, settings.SIGNING_KEY_PATH = (str(p) for p in signing_files)
    settings.SIGNING_PKCS12_PATH = settings.SIGNING_CHAIN_PATH = settings.TSA_URL = ""
    return signing_files


@pytest.fixture(scope="session", autouse=True)
def flush_lifts_the_evidence_triggers():
    """Between transactional tests Django empties every table with DELETE on SQLite (TRUNCATE, which
    row triggers never see, on PostgreSQL). As the database's owner it may: the flush lifts the
    triggers for its own statements only, and they stand again straight after."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from glenwood.protection import EVIDENCE_LIFT_TABLE

    DatabaseOperations = DatabaseWrapper.ops_class

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        tables = [t for t in tables if t != EVIDENCE_LIFT_TABLE]
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        lift = f"INSERT INTO \"{EVIDENCE_LIFT_TABLE}\" (table_name, record_id) VALUES ('*', '*')"
        return [lift, *statements, f'DELETE FROM "{EVIDENCE_LIFT_TABLE}"']

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@contextmanager
def sealing_deferred():
    """Seed signatures without queueing their evidence PDFs (for fixtures that build data before a
    real worker starts, in another media folder): they are sealed later, by an export or a download,
    from the same frozen record. The tests of sealing on commit do not use this."""
    from agreements import services

    queued = []
    real = services.evidence_queue
    services.evidence_queue = queued.append
    try:
        yield queued
    finally:
        services.evidence_queue = real
