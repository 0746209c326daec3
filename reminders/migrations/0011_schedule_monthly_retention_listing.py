from django.db import migrations


def install(apps, schema_editor):
    from reminders.schedule import install_schedule

    install_schedule(
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
        interval_model=apps.get_model("django_celery_beat", "IntervalSchedule"),
        task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0010_witness_confirmation_and_wording"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
