from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from reminders.schedule import JOBS


def test_the_migrations_install_every_periodic_job_and_the_command_keeps_admin_changes(db):
    installed = dict(PeriodicTask.objects.values_list("name", "task"))
    assert installed == {name: task for name, task, _ in JOBS}
    scan = PeriodicTask.objects.get(name="Daily reminders scan")
    assert (scan.crontab.hour, scan.crontab.minute, str(scan.crontab.timezone)) == ("7", "0", "Europe/London")
    scan.enabled = False  # an admin pauses it in the Django admin
    scan.save()
    call_command("install_schedule")
    assert PeriodicTask.objects.get(name="Daily reminders scan").enabled is False
    assert PeriodicTask.objects.count() == len(JOBS)


def test_the_recovery_sweeps_run_every_minute_and_when_a_worker_connects(db, settings):
    sweeps = PeriodicTask.objects.filter(task__in=settings.STARTUP_SWEEPS).select_related("interval")
    assert sorted(t.task for t in sweeps) == sorted(settings.STARTUP_SWEEPS)
    assert {(t.interval.every, t.interval.period) for t in sweeps} == {(1, "minutes")}
