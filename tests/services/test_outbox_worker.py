"""Faults, not inputs: a broker that goes down, workers killed outright. Real Celery workers on a
Redis of the test's own (tests/support/broker.py, stopped and started for real), PostgreSQL, and
an SMTP server in the test process (tests/support/smtp.py).

What is proven: work asked for while the broker is down waits in the outbox and is done once when
it is back; a worker killed between the SMTP server taking an email and the commit leads to one
resend with the same Message-ID, shown on the reminders page; an export whose worker is killed
finishes by itself.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from agreements.models import Agreement, AgreementKind, Export, ExportStatus
from agreements.seed import seed_agreements
from audit.models import AuditEntry
from glenwood import outbox
from glenwood.celery import app
from glenwood.models import OutboxMessage
from people.seed import DEMO_PASSWORD, seed_people
from policies.seed import seed_policies
from reminders import services as reminder_services
from reminders.emails import message_id
from reminders.models import Reminder, ReminderStatus
from tests.agreements.evidence_helpers import add_signed_pupils
from tests.support.broker import PrivateRedis
from tests.support.revisions import approved_staff_agreement_revision
from tests.support.smtp import SMTPServer
from tests.worker import _forget_producers as forget_producers

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 60


def wait_for(condition, *, timeout=120, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


@pytest.fixture
def demo():
    """The demo trust, seeded while tasks still run in the test process."""
    people = seed_people()
    seed_policies(people)
    seed_agreements(people)
    return people


@pytest.fixture
def broker(demo, tmp_path, monkeypatch):
    """A private Redis as the broker of this test process and of its workers."""
    redis_server = PrivateRedis(tmp_path).start()
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)  # Celery reads it before its settings
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_server.url,
        broker_transport_options={"visibility_timeout": 5},
    )
    forget_producers(app)
    outbox._broker_paused_until = 0.0
    yield redis_server
    redis_server.kill()
    app.conf.update(saved)
    forget_producers(app)
    outbox._broker_paused_until = 0.0


class Worker:
    def __init__(self, process, log):
        self.process, self.log = process, log

    def kill(self):
        """SIGKILL to the whole worker: its process group, children and rendering processes too."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture
def workers(broker, tmp_path, settings, signing_files):
    """Start `celery worker` processes with `workers(**env)`; every one is killed at the end."""
    started = []
    db = connection.settings_dict
    media = tmp_path / "media"
    media.mkdir()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PYTEST_"))}
    base.update(
        DJANGO_SETTINGS_MODULE="glenwood.settings",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        CELERY_BROKER_URL=broker.url, CELERY_VISIBILITY_TIMEOUT="5", MEDIA_ROOT=str(media),
        SIGNING_CERT_PATH=str(signing_files[0]), SIGNING_KEY_PATH=str(signing_files[1]),
        SITE_URL=settings.SITE_URL, DEBUG="true", LOG_LEVEL="INFO",
    )  # fmt: skip

    def start(wait=True, **env) -> Worker:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "glenwood", "worker", "--pool", "solo", "--loglevel", "INFO", "--queues", "celery,pdf",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"outbox{len(started)}@%h"],
            cwd=ROOT, env={**base, **{k: str(v) for k, v in env.items()}},
            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        worker = Worker(process, log)
        started.append(worker)
        if wait:
            wait_for(
                lambda: process.poll() is not None or " ready." in log.read_text(),
                timeout=READY_SECONDS, what="the worker to start",
            )  # fmt: skip
            assert process.poll() is None, log.read_text()
        return worker

    yield start
    for worker in started:
        worker.kill()


def test_a_version_published_while_the_broker_is_down_emails_everyone_once_it_is_back(
    demo, broker, workers, client
):
    version = approved_staff_agreement_revision(demo)
    with SMTPServer() as smtp:
        workers(EMAIL_URL=smtp.url)
        broker.kill()
        assert client.login(username="head", password=DEMO_PASSWORD)
        response = client.post(f"/policies/versions/{version.pk}/publish/")
        assert response.status_code == 302  # published, no error
        version.refresh_from_db()
        assert version.status == "published"
        waiting = OutboxMessage.objects.get(task="reminders.tasks.announce_new_version", args=[version.pk])
        assert waiting.handed_at is None and "Error" in waiting.last_error

        broker.start()  # the worker reconnects and sweeps: the announcement is handed on
        cycle = f"published:{version.pk}"
        wait_for(
            lambda: Reminder.objects.filter(cycle=cycle).count() == 25
            and not Reminder.objects.filter(cycle=cycle).exclude(status=ReminderStatus.SENT).exists(),
            what="every new-version email sent",
        )  # fmt: skip
        announced = [m for m in smtp.messages if m["Subject"].startswith("New version to sign")]
        assert len(announced) == 25  # every member of staff
        assert len({m["To"] for m in announced}) == 25  # each once
        waiting.refresh_from_db()
        assert waiting.done_at is not None


def test_an_export_asked_for_while_the_broker_is_down_gets_a_clear_page_and_starts_when_it_is_back(
    demo, broker, workers, client
):
    agreement = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS3)
    add_signed_pupils(agreement, year_group=8, count=5, witness=demo["teacher"])
    workers(EVIDENCE_PROCESSES=1)
    broker.kill()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    form = {"agreement": agreement.pk, "group": "year-8"}
    response = client.post("/agreements/exports/", form, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Export queued" in page and "start shortly, by itself" in page and "no need to ask again" in page
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED

    again = client.post("/agreements/exports/", form, follow=True)  # a person who asks again anyway
    assert again.status_code == 200 and "already asked for" in again.content.decode()
    assert Export.objects.count() == 1

    broker.start()
    wait_for(
        lambda: Export.objects.get().status in (ExportStatus.DONE, ExportStatus.FAILED), what="the export"
    )
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    assert export.done == export.total == 10 and export.attempt == 1
    assert Export.objects.count() == 1


def test_a_worker_killed_after_the_smtp_server_took_the_email_resends_it_once_with_the_same_message_id(
    demo, broker, workers, client
):
    reminder_services.reminders_scan()
    pending = reminder_services.pending_ids()
    assert len(pending) >= 2
    doomed = []

    def kill_the_sender(message):
        # The server has the email; the worker has not heard back, so it cannot have committed.
        doomed[0].kill()

    with SMTPServer(on_message=kill_the_sender) as smtp:
        doomed.append(workers(EMAIL_URL=smtp.url))
        from reminders.tasks import deliver_reminders

        deliver_reminders.delay(pending)
        wait_for(lambda: doomed[0].process.poll() is not None, what="the worker to be killed mid-send")
        interrupted = Reminder.objects.get(status=ReminderStatus.SENDING)
        assert interrupted.sent_at is None and len(smtp.messages) == 1
        assert smtp.messages[0]["Message-ID"] == message_id(interrupted)

        # A new worker, told a send this long is stuck (production: REMINDER_SENDING_TIMEOUT_SECONDS),
        # sweeps as it connects.
        wait_for(lambda: timezone.now() - interrupted.sending_since > datetime.timedelta(seconds=1))
        workers(EMAIL_URL=smtp.url, REMINDER_SENDING_TIMEOUT_SECONDS=1, REMINDER_SWEEP_AFTER_SECONDS=0)
        wait_for(
            lambda: Reminder.objects.filter(pk__in=pending, status=ReminderStatus.SENT).count() == len(pending),
            what="every reminder sent",
        )  # fmt: skip

        ids = Counter(m["Message-ID"] for m in smtp.messages)
        assert ids[message_id(interrupted)] == 2  # the one resend, with the same Message-ID
        assert sorted(ids.values()) == [1] * (len(pending) - 1) + [2]  # every other email once
        assert len(ids) == len(pending)
    interrupted.refresh_from_db()
    assert interrupted.status == ReminderStatus.SENT and interrupted.resends == 1
    assert AuditEntry.objects.filter(action="reminder.resend", record_id=str(interrupted.pk)).count() == 1
    assert Reminder.objects.filter(resends__gt=0).count() == 1

    assert client.login(username="head", password=DEMO_PASSWORD)
    page = client.get("/reminders/").content.decode()
    assert page.count(">resent</span>") == 1


def test_an_export_whose_worker_is_killed_finishes_without_anyone_pressing_restart(demo, broker, workers):
    from agreements import exports

    agreement = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS3)
    add_signed_pupils(agreement, year_group=8, count=45, witness=demo["teacher"])  # 45 + the demo's 5
    first = workers(EVIDENCE_BATCH_SIZE=5, EVIDENCE_PROCESSES=2, EXPORT_HEARTBEAT_SECONDS=1)
    export = exports.export_request(actor=demo["admin"], agreement=agreement, group="year-8")
    assert export.total == 50
    wait_for(
        lambda: Export.objects.get(pk=export.pk).done >= 10 or Export.objects.get(pk=export.pk).status == "done",
        what="the export half-way",
    )  # fmt: skip
    first.kill()
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING and export.done < 50, "finished before it could be killed"

    # The lease runs out (production: EXPORT_LEASE_SECONDS); a worker connecting sweeps at once.
    wait_for(
        lambda: timezone.now() - Export.objects.get(pk=export.pk).heartbeat_at > datetime.timedelta(seconds=3)
    )
    workers(EVIDENCE_BATCH_SIZE=5, EVIDENCE_PROCESSES=2, EXPORT_LEASE_SECONDS=3)
    wait_for(
        lambda: Export.objects.get(pk=export.pk).status in ("done", "failed"), what="the export to finish"
    )

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    assert (export.attempt, export.done, export.total) == (2, 50, 50)
    assert export.reused >= 10  # the PDFs the killed worker made were kept and reused
    assert AuditEntry.objects.filter(action="agreement.export_resumed").count() == 1
    assert not AuditEntry.objects.filter(action="agreement.export_restarted").exists()  # nobody pressed it
