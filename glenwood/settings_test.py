"""Thin settings for the test suite: fast hashing, email kept in memory, tasks run in-process."""

from .settings import *  # noqa: F403
from .settings import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
EVIDENCE_PROCESSES = env.int("EVIDENCE_PROCESSES", default=1)  # in-process; the worker tests use a pool
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory, so that a real Celery worker (a separate process) can share the
    # test database: tests/agreements/test_export_worker.py and the export's browser test. WAL,
    # IMMEDIATE transactions and the busy timeout come from the settings, as in production; only
    # durability is relaxed, for speed.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"  # noqa: F405
