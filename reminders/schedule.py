"""The portal's periodic jobs, installed into django-celery-beat's tables so admins see and change them.

A job added here needs a migration that calls install_schedule again (see 0005).
"""

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

JOBS = [
    # name, task, schedule
    ("Daily reminders scan", "reminders.tasks.scan_reminders", {"crontab": {"minute": "0", "hour": "7"}}),
    ("Send reminders still waiting", "reminders.tasks.sweep_pending_reminders", {"every_minutes": 1}),
    ("Remove expired evidence exports", "agreements.tasks.expire_exports", {"every_minutes": 60}),
    ("Nightly evidence check", "audit.tasks.check_evidence", {"crontab": {"minute": "30", "hour": "2"}}),
    # The recovery sweeps (settings.STARTUP_SWEEPS): work waiting for the broker, dead workers' exports.
    ("Hand on background work waiting for the broker", "glenwood.tasks.outbox_sweep", {"every_minutes": 1}),
    ("Resume exports whose worker stopped", "agreements.tasks.resume_stopped_exports", {"every_minutes": 1}),
    (
        "Monthly retention listing",
        "retention.tasks.list_due_records",
        {"crontab": {"minute": "0", "hour": "6", "day_of_month": "1"}},
    ),
]


def install_schedule(crontab_model=CrontabSchedule, interval_model=IntervalSchedule, task_model=PeriodicTask):
    """Create the jobs that are missing; leave alone any an admin has changed."""
    for name, task, when in JOBS:
        if task_model.objects.filter(name=name).exists():
            continue
        if "crontab" in when:
            fields = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **when["crontab"]}
            schedule, _ = crontab_model.objects.get_or_create(**fields, timezone="Europe/London")
            task_model.objects.create(name=name, task=task, crontab=schedule)
        else:
            schedule, _ = interval_model.objects.get_or_create(every=when["every_minutes"], period="minutes")
            task_model.objects.create(name=name, task=task, interval=schedule)
