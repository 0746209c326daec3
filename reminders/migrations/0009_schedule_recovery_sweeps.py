from django.db import migrations


def install(apps, schema_editor):
    """The two new sweeps; and the reminders sweep every minute instead of ten, unless changed."""
    from reminders.schedule import install_schedule

    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    install_schedule(
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
        interval_model=interval_model,
        task_model=task_model,
    )
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.filter(
        name="Send reminders still waiting", interval__every=10, interval__period="minutes"
    ).update(interval=every_minute)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0008_reminder_sending_and_resends"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
