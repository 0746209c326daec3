"""A real Celery worker for the tests that need one: a separate process, as in production.

It shares three things with the test: the test database (a file for SQLite, see settings_test;
or PostgreSQL when DATABASE_URL points there), a media folder and a filesystem broker folder,
both in the test's temporary directory. The test process sends its tasks there for real (not
eagerly) for as long as the fixture lasts. The worker runs `glenwood.settings`, the production
settings module, configured by the same environment variables a deployment would use.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).parent / "celery"
READY_SECONDS = 60


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.fail("A real worker needs the test database in a file (see glenwood/settings_test.py).")
        return f"sqlite:///{Path(name).resolve()}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.fail(f"No real-worker support for {connection.vendor}.")


def _transport_options(folder: Path) -> dict:
    for sub in ("out", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "out"),
        "data_folder_out": str(folder / "out"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def _forget_producers(app):
    """Celery keeps its broker connection pool for the life of the process: drop the app's hold on
    it, so the next task (eager ones too: Celery asks a producer for the serializer) is sent with
    the broker settings in force now. Kombu keeps one pool per set of settings, so the pool of the
    settings before stays open for when they return. (Celery has no public call for this.)"""
    pool = app._pool
    app._pool = None
    app.amqp._producer_pool = None
    return pool


class Worker:
    def __init__(self, process, log: Path):
        self.process, self.log = process, log

    def wait_until_ready(self):
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker exited:\n{self.log.read_text()}")
            if " ready." in self.log.read_text():
                return self
            time.sleep(0.1)
        pytest.fail(f"The Celery worker did not start in {READY_SECONDS}s:\n{self.log.read_text()}")

    def kill(self):
        """SIGKILL to the worker's own process group: as abrupt as a machine losing power."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture
def real_worker(transactional_db, settings, signing_files, tmp_path):
    """Start real workers with `real_worker(**extra_env)`; each is killed when the test ends."""
    from glenwood.celery import app

    media, broker = tmp_path / "media", tmp_path / "broker"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.update(
        task_always_eager=False,
        broker_url="filesystem://",
        broker_transport_options=_transport_options(broker),
    )
    _forget_producers(app)

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PYTEST_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="glenwood.settings", DATABASE_URL=_database_url(), MEDIA_ROOT=str(media),
        CELERY_BROKER_URL="filesystem://", CELERY_FILESYSTEM_FOLDER=str(broker),
        SIGNING_CERT_PATH=str(signing_files[0]), SIGNING_KEY_PATH=str(signing_files[1]),
        SITE_URL=settings.SITE_URL, DEBUG="true", LOG_LEVEL="INFO",
    )  # fmt: skip
    workers = []

    def start(**extra_env) -> Worker:
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        process = subprocess.Popen(
            [str(CELERY), "-A", "glenwood", "worker", "--pool", "solo", "--loglevel", "INFO", "--queues", "celery,pdf",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"test{len(workers)}@%h"],
            cwd=ROOT, env={**environment, **{k: str(v) for k, v in extra_env.items()}},
            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        worker = Worker(process, log)
        workers.append(worker)
        return worker.wait_until_ready()

    yield start

    for worker in workers:
        worker.kill()
    app.conf.update(saved)
    ours = _forget_producers(app)
    if ours is not None:
        ours.force_close_all()  # the temporary folder's pool: never used again
