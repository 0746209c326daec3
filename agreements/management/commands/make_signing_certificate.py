"""Write a self-signed seal certificate for development, where none is configured yet.

Production sets SIGNING_CERT_PATH and SIGNING_KEY_PATH (or SIGNING_PKCS12_PATH) to the school's
own certificate; `make run` calls this so a fresh checkout can seal PDFs straight away.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from glenwood.seal import write_self_signed_certificate


class Command(BaseCommand):
    help = "Write a self-signed certificate and key for sealing evidence PDFs, unless they exist."

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", default="Glenwood School (development seal)", help="The certificate's name."
        )
        parser.add_argument("--force", action="store_true", help="Replace an existing certificate.")

    def handle(self, *args, name, force, **options):
        if settings.SIGNING_PKCS12_PATH:
            self.stdout.write("A PKCS#12 signing certificate is configured; nothing to do.")
            return
        cert, key = Path(settings.SIGNING_CERT_PATH), Path(settings.SIGNING_KEY_PATH)
        if (cert.exists() or key.exists()) and not force:
            self.stdout.write(f"Signing certificate already at {cert}; nothing to do.")
            return
        write_self_signed_certificate(cert_path=cert, key_path=key, common_name=name)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote a self-signed signing certificate to {cert} and its key to {key}.")
        )
