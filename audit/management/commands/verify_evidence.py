from django.core.management.base import BaseCommand, CommandError

from audit.adoption import adopt_existing_records
from audit.checks import evidence_check_run


class Command(BaseCommand):
    help = "Check every audit chain and every permanent record; name the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--adopt-existing",
            action="store_true",
            help="First fingerprint, on the record, the records written before the audit chain (once, at upgrade).",
        )

    def handle(self, *args, **options):
        if options["adopt_existing"]:
            adopted = adopt_existing_records()
            self.stdout.write(f"Adopted {adopted} records written before the audit chain.")
        check = evidence_check_run()
        self.stdout.write(
            f"Checked {check.entries_checked} audit entries and {check.records_checked} records."
        )
        if check.passed:
            self.stdout.write(self.style.SUCCESS("All evidence is intact."))
            return
        self.stdout.write(f"First broken: {check.first_broken}")
        for problem in check.problems:
            self.stdout.write(f"  - {problem}")
        raise CommandError(f"The evidence failed its check: {len(check.problems)} problem(s).")
