"""The demo trust: Glenwood School with people in every role, and a little of a second school."""

import datetime
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from .models import (
    TWO_FACTOR_ROLES,
    ApprovalRule,
    GoverningBody,
    Person,
    Role,
    RoleAssignment,
    School,
    Trust,
    VisitorKind,
)
from .technical import make_technical_admin

DEMO_PASSWORD = "glenwood-demo"
# Every demo leader's authenticator: add this key to any authenticator app to sign in as one.
DEMO_TOTP_SECRET = "GLENWOODDEMOTOTPSECRETKEY234567A"

STAFF_FIRST = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Grace", "Leo",
               "Freya", "Oscar", "Lily", "Harry", "Ella", "Jack", "Evie", "Charlie", "Poppy", "Theo"]  # fmt: skip
STAFF_LAST = ["Patel", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts",
              "Khan", "Walker", "Wright", "Hughes", "Green", "Hall", "Clarke", "Wood", "Hill", "Ali", "Price"]  # fmt: skip
SUBJECTS = ["English", "Maths", "Science", "History", "Geography", "Computing", "Art", "Music", "PE",
            "French", "Drama", "RE", "Design Technology", "Business", "Spanish", "Food Technology",
            "Citizenship", "Media Studies", "Psychology", "Sociology"]  # fmt: skip


def _in_days(days):
    # Relative to the day the demo is made, so the demo's visitors are always still in date.
    return timezone.localdate() + datetime.timedelta(days=days)


# username, first, last, roles, extra fields
GLENWOOD_PEOPLE = [
    ("head", "Helen", "Marsh", [Role.HEADTEACHER, Role.STAFF, Role.DSL], {"job_title": "Headteacher"}),
    ("deputy", "David", "Okafor", [Role.DEPUTY, Role.STAFF, Role.DSL], {"job_title": "Deputy Headteacher"}),
    ("dsl", "Sarah", "Lowe", [Role.DSL, Role.STAFF], {"job_title": "Home-School Link"}),
    ("admin", "Priya", "Shah", [Role.SCHOOL_ADMIN, Role.STAFF], {"job_title": "School Business Manager"}),
    # A portal role, worked through the portal's own checks: not a Django superuser, no Django admin.
    ("trustadmin", "Tom", "Fielding", [Role.TRUST_ADMIN], {"job_title": "Trust Data Manager"}),
    # The Django admin's one user: scheduled jobs, reminder settings, schools; no portal role, no cases.
    ("techadmin", "Ian", "Moss", [], {"job_title": "Trust IT Technician"}),
    ("chair", "Margaret", "Ellis", [Role.GOVERNOR, Role.CHAIR], {"job_title": "Chair of Governors"}),
    ("governor", "Robert", "Hale", [Role.GOVERNOR], {"job_title": "Parent Governor"}),
    ("governor2", "Anita", "Desai", [Role.GOVERNOR], {"job_title": "Staff Governor"}),
    ("governor3", "Peter", "Lang", [Role.GOVERNOR], {"job_title": "Local Authority Governor"}),
    ("teacher", "Tara", "Quinn", [Role.STAFF], {"job_title": "Teacher of English"}),
    (
        "supply",
        "Sam",
        "Rowe",
        [Role.VISITOR],
        {
            "visitor_kind": VisitorKind.SUPPLY,
            "job_title": "Supply teacher",
            "access_expires_on": _in_days(30),
        },
    ),
    (
        "trainee",
        "Tess",
        "Nolan",
        [Role.VISITOR],
        {
            "visitor_kind": VisitorKind.TRAINEE,
            "job_title": "Trainee teacher",
            "access_expires_on": _in_days(120),
        },
    ),
    (
        "careers",
        "Carl",
        "Bright",
        [Role.VISITOR],
        {"visitor_kind": VisitorKind.EXTERNAL, "job_title": "Hampshire Futures careers adviser"},
    ),
    ("pupil7", "Jamie", "Cole", [Role.PUPIL], {"year_group": 7}),
    ("pupil10", "Alex", "Reed", [Role.PUPIL], {"year_group": 10}),
]

PUPIL_FIRST = ["Ruby", "Finley", "Sophie", "Harvey", "Chloe", "Mason", "Daisy", "Logan", "Millie", "Reuben",
               "Zara", "Toby", "Maisie", "Kai", "Erin", "Luca", "Holly", "Rory", "Phoebe", "Ethan"]  # fmt: skip
PUPIL_LAST = ["Adams", "Baker", "Carter", "Dixon", "Ellis", "Foster", "Grant", "Harris", "Irwin", "Jenkins",
              "Kerr", "Lloyd", "Moss", "Nash", "Owen", "Parry", "Rees", "Stone", "Turner", "Vaughan"]  # fmt: skip


def _person(school, username, first, last, roles, **fields):
    person, created = Person.objects.get_or_create(
        username=username,
        defaults={
            "school": school,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@{school.slug}.example",
            **fields,
        },
    )
    if created:
        person.set_password(DEMO_PASSWORD)
        person.save(update_fields=["password"])
    for role in roles:
        RoleAssignment.objects.get_or_create(person=person, role=role)
    return person


def seed_people():
    trust, _ = Trust.objects.get_or_create(name="Test Valley Learning Trust")
    glenwood, _ = School.objects.get_or_create(
        slug="glenwood", defaults={"trust": trust, "name": "Glenwood School", "urn": "116999"}
    )
    hillside, _ = School.objects.get_or_create(
        slug="hillside", defaults={"trust": trust, "name": "Hillside Academy", "urn": "142001"}
    )
    people = {row[0]: _person(glenwood, row[0], row[1], row[2], row[3], **row[4]) for row in GLENWOOD_PEOPLE}
    # Demos made before the trust administrator stopped being a superuser are put right too.
    Person.objects.filter(pk=people["trustadmin"].pk).update(is_staff=False, is_superuser=False)
    if not people["techadmin"].is_staff:
        make_technical_admin(people["techadmin"])
    for i, (first, last, subject) in enumerate(zip(STAFF_FIRST, STAFF_LAST, SUBJECTS, strict=True)):
        _person(glenwood, f"staff{i + 1:02d}", first, last, [Role.STAFF], job_title=f"Teacher of {subject}")
    for year in range(7, 12):
        for i in range(8):
            first = PUPIL_FIRST[(year * 3 + i) % len(PUPIL_FIRST)]
            last = PUPIL_LAST[(year * 7 + i * 3) % len(PUPIL_LAST)]
            _person(
                glenwood, f"y{year}pupil{i + 1}", first, last, [Role.PUPIL],
                year_group=year, admission_number=f"{year:02d}{i + 1:03d}",
                start_date=datetime.date(2026 - (year - 7), 9, 1),
            )  # fmt: skip

    fgb, _ = GoverningBody.objects.get_or_create(
        school=glenwood, short_name="FGB",
        defaults={"name": "Full Governing Body", "rule": ApprovalRule.CHAIR, "chair": people["chair"]},
    )  # fmt: skip
    fgb.members.add(people["chair"], people["governor"], people["governor2"], people["governor3"])
    resources, _ = GoverningBody.objects.get_or_create(
        school=glenwood, short_name="Resources",
        defaults={"name": "Resources Committee", "rule": ApprovalRule.MAJORITY, "chair": people["governor2"]},
    )  # fmt: skip
    resources.members.add(people["governor"], people["governor2"], people["governor3"])

    hill = {
        "hillside-head": _person(
            hillside, "hillside-head", "Imran", "Aziz", [Role.HEADTEACHER, Role.STAFF, Role.DSL]
        ),
        "hillside-chair": _person(hillside, "hillside-chair", "Joan", "Pike", [Role.GOVERNOR, Role.CHAIR]),
        "hillside-teacher": _person(hillside, "hillside-teacher", "Owen", "Fry", [Role.STAFF]),
        "hillside-pupil8": _person(hillside, "hillside-pupil8", "Nia", "Wells", [Role.PUPIL], year_group=8),
    }
    hill_fgb, _ = GoverningBody.objects.get_or_create(
        school=hillside, short_name="FGB",
        defaults={"name": "Full Governing Body", "rule": ApprovalRule.CHAIR, "chair": hill["hillside-chair"]},
    )  # fmt: skip
    hill_fgb.members.add(hill["hillside-chair"])
    seed_second_factors()
    return {"glenwood": glenwood, "hillside": hillside, **people, **hill}


def seed_second_factors():
    """Demo leaders sign in with a second factor, as their roles require, all with the demo key."""
    leaders = Person.objects.filter(role_assignments__role__in=TWO_FACTOR_ROLES).distinct()
    for person in leaders.exclude(authenticator__type=Authenticator.Type.TOTP):
        TOTP.activate(person, DEMO_TOTP_SECRET)


def demo_codes(at=None) -> list[str]:
    """The codes an authenticator app holding the demo key shows now, and just before and after."""
    counter = int(time.time() if at is None else at) // 30
    return [format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter + step)) for step in (0, 1, -1)]
