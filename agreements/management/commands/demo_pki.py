"""The demo's local PKI: a seal issued from a named demo root, and a time-stamping authority, OCSP
responder and CRLs served by certomancer's Animator (glenwood/demo_pki.py).

    manage.py demo_pki --write            # the demo seal's files, under var/demo-pki/seal/
    manage.py demo_pki --serve --port 8001  # the Animator, until stopped (make serve runs it)

Never for production: the keys are made on this machine and the root is nobody's.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from glenwood import demo_pki


class Command(BaseCommand):
    help = "Write the demo seal issued by the local demo PKI, or serve its TSA, OCSP and CRLs."

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.VAR_DIR) / "demo-pki"))
        parser.add_argument("--port", type=int, default=8001, help="Where the Animator listens (127.0.0.1).")
        parser.add_argument(
            "--write", action="store_true", help="Write the seal's certificate, key and chain."
        )
        parser.add_argument(
            "--serve", action="store_true", help="Serve the TSA, OCSP and CRLs until stopped."
        )

    def handle(self, *args, folder, port, write, serve, **options):
        folder = Path(folder)
        url = f"http://127.0.0.1:{port}"
        # Serving writes the seal too, so `make serve` works without `make run` first.
        pki = demo_pki.load(folder / "keys", url)
        paths = pki.write_seal(folder / "seal")
        self.stdout.write("Demo seal written. Seal with it (make serve sets these):")
        self.stdout.write(f"  SIGNING_CERT_PATH={paths['cert']}\n  SIGNING_KEY_PATH={paths['key']}")
        self.stdout.write(f"  SIGNING_CHAIN_PATH={paths['chain']}\n  TSA_URL={pki.tsa_url}")
        if serve:
            pki, server = demo_pki.serve(folder / "keys", port=port)
            self.stdout.write(f"Demo PKI (TSA, OCSP, CRLs) at {pki.url}; stop with Ctrl+C.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                server.shutdown()
