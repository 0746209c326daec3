"""The outbox: work asked for by a state change exists exactly when the change does, and a
broker that is down costs a delay, never an error or a loss."""

import pytest
from django.core.management import call_command
from django.db import transaction

from glenwood import outbox
from glenwood.celery import app
from glenwood.models import OutboxMessage
from tests.support.broker import _free_port
from tests.worker import _forget_producers as forget_producers


@pytest.fixture
def no_broker(monkeypatch):
    """Tasks go to a Redis that is not there (nothing listens on the port)."""
    url = f"redis://127.0.0.1:{_free_port()}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads it before its settings
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    forget_producers(app)
    outbox._broker_paused_until = 0.0
    yield url
    app.conf.task_always_eager = saved
    forget_producers(app)
    outbox._broker_paused_until = 0.0


def test_work_asked_for_by_a_change_that_rolls_back_is_never_done(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue("glenwood.tasks.outbox_sweep")
        raise RuntimeError("the change fails")
    assert callbacks == [] and not OutboxMessage.objects.exists()


def test_a_broker_that_is_down_costs_a_delay_not_an_error(db, no_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("agreements.tasks.build_export", 41, 1)  # no error for the person
    message.refresh_from_db()
    assert message.handed_at is None and message.done_at is None
    assert "Connection refused" in message.last_error
    assert outbox.waiting("agreements.tasks.build_export", 41, 1)
    assert not outbox.waiting("agreements.tasks.build_export", 41, 2)


def test_the_sweep_hands_on_what_waits_once_the_broker_is_back(db, settings):
    # The tests' tasks run in-process: "handed on" here means run.
    waiting = OutboxMessage.objects.create(
        task="reminders.tasks.sweep_pending_reminders", last_error="OperationalError: connection refused"
    )
    assert outbox.sweep() == 1
    waiting.refresh_from_db()
    assert waiting.handed_at is not None and waiting.done_at is not None and waiting.last_error == ""
    assert outbox.sweep() == 0  # done: never handed on again


def test_the_demo_seed_works_with_no_broker_at_all(db, no_broker, django_capture_on_commit_callbacks):
    from people.models import Person
    from policies.models import PolicyVersion

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Person.objects.filter(username="head").exists()
    assert PolicyVersion.objects.filter(status="published").exists()
    # The announcements it asked for wait for a broker; nothing was lost.
    assert OutboxMessage.objects.filter(handed_at__isnull=True).exists()
