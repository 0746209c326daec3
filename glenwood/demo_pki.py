"""A local PKI for the tests and the demo: certomancer's Animator serving a time-stamping authority,
an OCSP responder and CRLs over HTTP, declared in glenwood/pki/demo-pki.yml.

The tests start it on a free port (tests/pki.py); `manage.py demo_pki` writes the demo seal and
`make serve` runs the Animator beside the portal, so the demo's PDFs validate to a named demo root.
Private keys are made on first use in a folder of the caller's choosing and never committed.
"""

import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CONFIG = Path(__file__).resolve().parent / "pki" / "demo-pki.yml"
ARCH = "glenwood-demo"
KEYS = ("root", "issuing", "issuing-ocsp", "tsa", "seal")


def ensure_keys(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for label in KEYS:
        path = folder / f"{label}.key.pem"
        if not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path.touch(mode=0o600)
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )


@dataclass
class DemoPki:
    arch: object  # certomancer's PKIArchitecture
    url: str

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"

    def root_pem(self) -> bytes:
        return self.arch.get_cert("root").dump()

    def write_seal(self, folder: Path) -> dict[str, Path]:
        """The school's demo seal (certificate, key, and chain up to the root) as PEM files."""
        from asn1crypto import pem

        folder.mkdir(parents=True, exist_ok=True)
        paths = {
            "cert": folder / "certificate.pem",
            "key": folder / "private-key.pem",
            "chain": folder / "chain.pem",
            "root": folder / "root.pem",
        }

        def armor(cert_label):
            return pem.armor("CERTIFICATE", self.arch.get_cert(cert_label).dump())

        paths["cert"].write_bytes(armor("seal"))
        paths["chain"].write_bytes(armor("issuing") + armor("root"))
        paths["root"].write_bytes(armor("root"))
        key = self.arch.key_set.get_private_key("seal")
        paths["key"].touch(mode=0o600)
        paths["key"].write_bytes(pem.armor("PRIVATE KEY", key.dump()))
        return paths


def load(key_folder: Path, url: str) -> DemoPki:
    from certomancer.registry import CertomancerConfig

    ensure_keys(key_folder)
    config = CertomancerConfig.from_file(
        str(CONFIG), key_search_dir=str(key_folder), external_url_prefix=url.rstrip("/")
    )
    return DemoPki(arch=config.get_pki_arch(ARCH), url=url.rstrip("/"))


def animator(pki: DemoPki):
    from certomancer.integrations.animator import Animator, AnimatorArchStore

    return Animator(AnimatorArchStore({ARCH: pki.arch}), with_web_ui=False)


class _Later:
    """A WSGI app set after the server has its port (the PKI's URLs must name that port)."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def serve(key_folder: Path, *, host="127.0.0.1", port=0):
    """Start the Animator in a thread; returns (pki, server). `server.shutdown()` stops it."""
    from werkzeug.serving import make_server

    later = _Later()
    server = make_server(host, port, later, threaded=True)
    pki = load(key_folder, f"http://{host}:{server.server_port}")
    later.app = animator(pki)
    threading.Thread(target=server.serve_forever, daemon=True, name="demo-pki").start()
    return pki, server
