"""The local PKI for the tests: certomancer's Animator serving a real time-stamping authority, an
OCSP responder and CRLs over HTTP on 127.0.0.1 (a port the OS picks), and the school's seal issued
from its demo root (glenwood/pki/demo-pki.yml). `timestamped_seal` makes the test process seal with
it; `pki_worker_env` is what a real worker needs to do the same."""

import logging

import pytest

from glenwood import demo_pki, seal

TSA_NAME = "Glenwood Demo Time-Stamping Authority"
ROOT_NAME = "Glenwood Demo Root CA"


@pytest.fixture(scope="session")
def local_pki(tmp_path_factory):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per OCSP or TSA request otherwise
    folder = tmp_path_factory.mktemp("pki")
    pki, server = demo_pki.serve(folder / "keys")
    paths = pki.write_seal(folder / "seal")
    yield pki, paths
    server.shutdown()


@pytest.fixture
def pki_worker_env(local_pki):
    pki, paths = local_pki
    return {
        "SIGNING_CERT_PATH": paths["cert"], "SIGNING_KEY_PATH": paths["key"],
        "SIGNING_CHAIN_PATH": paths["chain"], "TSA_URL": pki.tsa_url,
    }  # fmt: skip


@pytest.fixture
def timestamped_seal(settings, local_pki, signing_certificate):
    """This test seals with the demo PKI's seal, timestamped by the local TSA (PAdES B-LT)."""
    pki, paths = local_pki
    settings.SIGNING_CERT_PATH, settings.SIGNING_KEY_PATH = str(paths["cert"]), str(paths["key"])
    settings.SIGNING_CHAIN_PATH, settings.TSA_URL = str(paths["chain"]), pki.tsa_url
    yield pki
    seal._sealer_for.cache_clear()
