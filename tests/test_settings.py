"""Production mode: `check --deploy` is clean when given a real secret and host."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(DJANGO_SETTINGS_MODULE="glenwood.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_settings_pass_deploy_checks_with_no_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="k" * 20 + "a-long-random-production-secret-value-1234567890",
        ALLOWED_HOSTS="portal.glenwood.example",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    result = run_manage("check", DEBUG="false", SECRET_KEY="", ALLOWED_HOSTS="portal.glenwood.example")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_filemail_url_writes_to_its_folder():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        EMAIL_URL="filemail:///srv/glenwood/mail",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [
        "django.core.mail.backends.filebased.EmailBackend",
        "/srv/glenwood/mail",
    ]
