"""Runs the test identity provider: `python -m tests.oidc_provider.serve CONFIG.json`.

The JSON names its accounts and its one client; the process builds a fresh database, prints
"PORT <n>" once it listens on 127.0.0.1 (on a port the OS picks) and serves until stopped."""

import json
import os
import sys
import tempfile
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(config_path):
    config = json.loads(open(config_path).read())  # noqa: SIM115
    folder = tempfile.mkdtemp(prefix="oidc-provider-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    os.environ["OIDC_PROVIDER_DB"] = os.path.join(folder, "provider.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for account in config["accounts"]:
        User.objects.create_user(
            username=account["username"],
            password=account["password"],
            email=account["email"],
            first_name=account.get("first_name", ""),
            last_name=account.get("last_name", ""),
        )
    client = config["client"]
    Application.objects.create(
        name="Glenwood portal",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
