from django.core.management.base import BaseCommand, CommandError

from people.models import Person
from people.technical import GROUP_NAME, make_technical_admin


class Command(BaseCommand):
    help = (
        f"Give a person the Django admin as a technical administrator (the '{GROUP_NAME}' group, "
        "not a superuser). Run again after an upgrade to bring the group's permissions up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            person = Person.objects.get(username=username)
        except Person.DoesNotExist:
            raise CommandError(f"Nobody has the username {username!r}.") from None
        make_technical_admin(person)
        self.stdout.write(self.style.SUCCESS(f"{person} is now a technical administrator."))
