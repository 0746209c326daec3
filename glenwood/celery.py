import os

from celery import Celery
from celery.signals import task_postrun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glenwood.settings")

app = Celery("glenwood")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect(dispatch_uid="glenwood.outbox_done")
def _outbox_done(task=None, state=None, **kwargs):
    """A task handed on from the outbox has run (or failed for good): its row is done.
    A retry is not the end of it, so the row stays waiting for the sweep's safety net."""
    from glenwood.outbox import HEADER, mark_done

    request = getattr(task, "request", None)
    message_id = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    if message_id and state != "RETRY":
        mark_done(message_id)


@worker_ready.connect(dispatch_uid="glenwood.sweep_on_start")
def _sweep_on_start(**kwargs):
    """A worker starting (after a crash, a deploy, a broker outage) hands on whatever is waiting."""
    from django.conf import settings

    for name in settings.STARTUP_SWEEPS:
        app.send_task(name)
