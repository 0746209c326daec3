"""Recount every school's dashboard counts (agreements/summary.py), or check the held ones.

manage.py compliance_summaries           # recount every school now
manage.py compliance_summaries --check   # recount and compare; fails naming any school that differs
"""

from django.core.management.base import BaseCommand, CommandError

from agreements import summary
from people.models import School


class Command(BaseCommand):
    help = "Recount each school's agreement counts, or (--check) compare the held counts with a recount."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; change nothing")

    def handle(self, *args, check=False, **options):
        schools = School.objects.order_by("name")
        if check:
            differ = summary.differences(schools)
            if differ:
                raise CommandError(
                    "Held agreement counts differ from a recount for: " + ", ".join(differ) + ". "
                    "Something changed them without marking them behind; `manage.py compliance_summaries` "
                    "recounts."
                )
            self.stdout.write("Held agreement counts match a recount.")
            return
        summary.rebuild(schools)
        self.stdout.write(f"Recounted {schools.count()} schools.")
