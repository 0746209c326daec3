import os

from celery import Celery, bootsteps
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glenwood.settings")

app = Celery("glenwood")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect(dispatch_uid="glenwood.outbox_done")
def _outbox_done(task=None, state=None, **kwargs):
    """A task handed on from the outbox has run (or failed for good): its row is done.
    A retry is not the end of it, so the row stays for the sweep's safety net."""
    from glenwood.outbox import HEADER, mark_done

    request = getattr(task, "request", None)
    message_id = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    if message_id and state != "RETRY":
        mark_done(message_id)


class SweepOnConnect(bootsteps.StartStopStep):
    """Whenever a worker connects to the broker (it started, or the broker came back after an
    outage), it asks for the recovery sweeps at once: waiting work is handed on, interrupted
    sends and dead workers' exports are picked up, without waiting for beat's next minute."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        from django.conf import settings

        for name in settings.STARTUP_SWEEPS:
            consumer.app.send_task(name)


app.steps["consumer"].add(SweepOnConnect)
