from django.core.management.base import BaseCommand
from django.db import transaction

from agreements.seed import seed_agreements
from breaches.seed import seed_breaches
from people.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, GLENWOOD_PEOPLE, seed_people
from policies.seed import seed_policies


class Command(BaseCommand):
    help = "Create the demo trust: Glenwood School, its people, policies and a few cases (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            people = seed_people()
            seed_policies(people)
            seed_agreements(people)
            seed_breaches(people)
        self.stdout.write(self.style.SUCCESS("Demo school ready: Glenwood School (and Hillside Academy)."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        self.stdout.write(
            "Leaders (head, deputy, dsl, admin, trustadmin, chair) also need a code from an authenticator "
            f"app holding the demo key {DEMO_TOTP_SECRET}"
        )
        for username, first, last, roles, _ in GLENWOOD_PEOPLE:
            roles = ", ".join(r.label for r in roles) or "technical administrator: the Django admin only"
            self.stdout.write(f"  {username:<12} {first} {last} ({roles})")
        self.stdout.write("  hillside-head, hillside-chair, hillside-teacher: Hillside Academy")
        self.stdout.write("  staff01-staff20 and y7pupil1-y11pupil8: more staff and pupils")
