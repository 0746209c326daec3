from django.core.management.base import BaseCommand

from reminders.schedule import JOBS, install_schedule


class Command(BaseCommand):
    help = "Install the reminder jobs into Celery beat's schedule (safe to run again)."

    def handle(self, *args, **options):
        install_schedule()
        for name, task, _ in JOBS:
            self.stdout.write(f"  {name}: {task}")
