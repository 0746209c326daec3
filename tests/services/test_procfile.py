"""The Procfile, run as a trust would run it: honcho starts gunicorn, a Celery worker, the PDF worker
and one beat against PostgreSQL and Redis; a real HTTP client signs an agreement; the sealed PDF
appears without anyone downloading it; honcho stops cleanly.

The portal here is a separate deployment with its own database (made afresh) and its own Redis
database, so nothing of the test database or the other service tests is shared.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import psycopg
import pytest
import redis
import requests

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "glenwood-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _deployment_urls() -> tuple[str, str]:
    """A database and a Redis database of the deployment's own, beside the ones the tests use."""
    database = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/glenwood"))
    broker = urlsplit(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"))
    name = f"{database.path.lstrip('/')}_procfile"
    return urlunsplit(database._replace(path=f"/{name}")), urlunsplit(broker._replace(path="/14"))


def _recreate_database(url: str) -> None:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class _Forms(HTMLParser):
    """Each form on a page with its action and the inputs a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "id": attrs.get("id"), "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _log_in(http: requests.Session, base: str, username: str) -> None:
    page = http.get(f"{base}/accounts/login/", timeout=30)
    page.raise_for_status()
    form = next(
        f for f in _forms(page.text) if any(a.get("type") == "password" for a in f["fields"].values())
    )
    data = {}
    for name, attrs in form["fields"].items():
        kind = attrs.get("type", "text")
        if kind == "password":
            data[name] = PASSWORD
        elif kind in ("text", "email") and name != "csrfmiddlewaretoken":
            data[name] = username
        elif kind == "hidden":
            data[name] = attrs.get("value", "")
    response = http.post(
        urljoin(page.url, form["action"]), data=data, headers={"Referer": page.url}, timeout=30
    )
    response.raise_for_status()
    assert "sessionid" in http.cookies, f"{username} could not log in:\n{response.text[:2000]}"


def _wait_for(check, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except (requests.RequestException, psycopg.OperationalError):  # still starting
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen in {seconds:.0f} s. honcho's output:\n{log.read_text()[-6000:]}")


def test_honcho_serves_signs_and_seals_then_stops_cleanly(tmp_path):
    database_url, broker_url = _deployment_urls()
    _recreate_database(database_url)
    redis.Redis.from_url(broker_url).flushdb()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PYTEST_"))}
    environment.update(
        PATH=f"{BIN}{os.pathsep}{environment.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="glenwood.settings", DATABASE_URL=database_url, CELERY_BROKER_URL=broker_url,
        MEDIA_ROOT=str(tmp_path / "media"), SIGNING_CERT_PATH=str(tmp_path / "seal.pem"),
        SIGNING_KEY_PATH=str(tmp_path / "seal-key.pem"), SITE_URL=base, DEBUG="true",
        EMAIL_URL="consolemail://", WEB_CONCURRENCY="2", WORKER_CONCURRENCY="1", PDF_CONCURRENCY="1",
        CACHE_URL=f"{broker_url[:-3]}/13",
    )  # fmt: skip
    for command in (["migrate", "--verbosity", "0"], ["seed_demo"], ["make_signing_certificate"]):
        subprocess.run([str(BIN / "python"), "manage.py", *command], cwd=ROOT, env=environment, check=True)

    log = tmp_path / "honcho.log"
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "start", "--procfile", "Procfile", "--port", str(port)],
        cwd=ROOT, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(lambda: requests.get(f"{base}/healthz", timeout=5).ok, 60, "The web server starting", log)

        http = requests.Session()
        _log_in(http, base, "teacher")
        mine = http.get(f"{base}/agreements/", timeout=30)
        sign_path = re.search(r'href="(/agreements/\d+/sign/)"', mine.text)
        assert sign_path, f"The teacher has nothing to sign:\n{mine.text[:2000]}"
        page = http.get(f"{base}{sign_path.group(1)}", timeout=30)
        form = next(f for f in _forms(page.text) if f["id"] == "sign-form")
        data = {
            name: attrs.get("value", "")
            for name, attrs in form["fields"].items()
            if attrs.get("type") == "hidden"
        }
        with psycopg.connect(database_url) as conn:
            name = conn.execute(
                "SELECT first_name || ' ' || last_name FROM people_person WHERE username = 'teacher'"
            )
            data.update(consent="on", typed_name=name.fetchone()[0])
        signed = http.post(page.url, data=data, headers={"Referer": page.url}, timeout=30)
        assert signed.ok and "/agreements/signatures/" in signed.url, signed.text[:2000]

        signature_id = int(re.search(r"/agreements/signatures/(\d+)/", signed.url).group(1))

        def sealed_pdf():
            with psycopg.connect(database_url) as conn:
                query = "SELECT count(*) FROM agreements_signaturecertificate WHERE signature_id = %s"
                return conn.execute(query, [signature_id]).fetchone()[0]

        # Made by the PDF worker on its own queue, before anyone downloads it.
        assert _wait_for(sealed_pdf, 90, "The sealed evidence PDF appearing", log) == 1
        pdf = http.get(f"{signed.url}evidence.pdf", timeout=60)
        assert pdf.content.startswith(b"%PDF")
    finally:
        honcho.send_signal(signal.SIGTERM)  # as systemd or a terminal would: honcho passes it on
        try:
            honcho.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
            pytest.fail(f"honcho did not stop in 60 s:\n{log.read_text()[-6000:]}")
    output = log.read_text()
    for name in ("web", "worker", "pdf", "beat"):  # each process started, and each one stopped
        assert re.search(rf"^\S+ {name}\.1 +\|", output, re.MULTILINE), output[-4000:]
        assert re.search(rf"{name}\.1 stopped", output), output[-4000:]
    assert "Traceback" not in output, output[-6000:]
