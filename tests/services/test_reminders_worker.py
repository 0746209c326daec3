"""Reminders through a real Celery worker process and a real Redis broker, on PostgreSQL.

Each test starts `celery worker` as a child process against the test database, so what is
proven here is the behaviour in production: messages through Redis, tasks acknowledged late,
a killed worker's task handed to the next worker, and each reminder emailed exactly once.
"""

import email
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from agreements.seed import seed_agreements
from glenwood.celery import app
from people.seed import seed_people
from policies.seed import seed_policies
from reminders import services
from reminders.models import Reminder, ReminderStatus
from reminders.tasks import deliver_reminders, scan_reminders, sweep_pending_reminders
from tests.worker import _forget_producers as forget_producers

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def broker(settings):
    if not BROKER.startswith("redis://"):
        pytest.fail("These tests need Redis: run them with `make test-services`.")
    redis.Redis.from_url(BROKER).flushdb()
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.update(
        task_always_eager=False, broker_url=BROKER, broker_transport_options={"visibility_timeout": 5}
    )
    forget_producers(app)
    yield BROKER
    app.conf.update(saved)
    forget_producers(app)
    redis.Redis.from_url(BROKER).flushdb()


@pytest.fixture
def worker(broker, tmp_path):
    """Start worker processes on demand; every one still running is stopped at the end."""
    started = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "EMAIL_BACKEND": "tests.support.slow_email.SlowFileBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "DJANGO_SETTINGS_MODULE": "glenwood.settings",
        "REMINDER_SENDING_TIMEOUT_SECONDS": "2",  # a send this long is stuck (production: minutes)
    }

    def start(pool="prefork", concurrency=2, slow_seconds=0):
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "glenwood", "worker", "--pool", pool, "--queues", "celery,pdf",
             "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-mingle", "--without-gossip",
             "--hostname", f"test{len(started)}@%h"],
            cwd=ROOT, env={**env, "SLOW_EMAIL_SECONDS": str(slow_seconds)},
            stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"worker{len(started)}.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        started.append(process)
        return process

    start.mail = tmp_path / "mail"
    start.sending = tmp_path / "sending"
    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for(condition, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"Timed out waiting for {what}")


def emails_in(folder):
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(f.read_bytes()) for f in files]


@pytest.fixture
def demo():
    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    return people


def test_a_reminder_travels_end_to_end(demo, worker):
    worker()
    scan_reminders.delay()
    wait_for(lambda: Reminder.objects.filter(status=ReminderStatus.SENT).exists(), what="a reminder sent")
    wait_for(lambda: not Reminder.objects.filter(status=ReminderStatus.PENDING).exists(), what="all sent")
    sent = Reminder.objects.filter(status=ReminderStatus.SENT)
    messages = emails_in(worker.mail)
    assert len(messages) == sent.count() > 0
    overdue = [m for m in messages if m["Subject"] == "Overdue for review: Use of Social Media Policy"]
    assert sorted(m["To"] for m in overdue) == sorted([demo["head"].email, demo["chair"].email])
    assert all(m.is_multipart() for m in messages)  # text and HTML


def test_the_job_started_twice_at_once_sends_each_reminder_once(demo, worker):
    worker(concurrency=2)
    scan_reminders.delay()
    scan_reminders.delay()
    wait_for(lambda: Reminder.objects.exists(), what="reminders recorded")
    time.sleep(2)
    wait_for(lambda: not Reminder.objects.filter(status=ReminderStatus.PENDING).exists(), what="all sent")
    messages = emails_in(worker.mail)
    keys = [(m["To"], m["Subject"]) for m in messages]
    assert len(keys) == len(set(keys)) == Reminder.objects.count()


def test_a_worker_killed_mid_send_loses_nothing_and_doubles_nothing(demo, worker):
    services.reminders_scan()
    pending = services.pending_ids()
    assert len(pending) >= 2
    worker(concurrency=1, slow_seconds=3)
    deliver_reminders.delay(pending)
    wait_for(worker.sending.exists, what="the first send to begin")
    # SIGKILL the pool process in the middle of sending the first email: the reminder was marked
    # "sending" and committed before the send, and reject_on_worker_lost puts the message back for
    # the new pool process, which sends the others and leaves the interrupted one alone.
    killed = int(worker.sending.read_text())
    os.kill(killed, signal.SIGKILL)
    worker.sending.unlink()
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 0
    interrupted = Reminder.objects.get(status=ReminderStatus.SENDING)
    wait_for(
        lambda: Reminder.objects.filter(status=ReminderStatus.SENT).count() == len(pending) - 1,
        timeout=120, what="every other reminder sent by the new worker process",
    )  # fmt: skip
    # The sweep (beat, every minute) finds the interrupted send and sends it again, once.
    sweep_pending_reminders.delay()
    wait_for(
        lambda: Reminder.objects.filter(status=ReminderStatus.SENT).count() == len(pending),
        timeout=120, what="the interrupted reminder resent",
    )  # fmt: skip
    messages = emails_in(worker.mail)
    keys = [(m["To"], m["Subject"]) for m in messages]
    assert len(keys) == len(set(keys)) == len(pending)  # killed before its file was written: once
    assert int(worker.sending.read_text()) != killed  # a new pool process did the sending
    interrupted.refresh_from_db()
    assert interrupted.resends == 1  # shown as a resend: the portal cannot know it was not sent
