"""The daily scan's queries do not grow with the number of policy versions or people (per batch)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Person, Role, RoleAssignment
from policies.models import Policy, PolicyVersion, VersionStatus
from reminders import services
from reminders.models import Reminder

from .conftest import at


def add(school, versions, people, start):
    glenwood, head = school["glenwood"], school["head"]
    body = glenwood.governing_bodies.get(short_name="FGB")
    today = datetime.date(2026, 9, 10)
    joined = datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)
    for i in range(start, start + versions):
        policy = Policy.objects.create(school=glenwood, title=f"Policy {i}", approval_body=body)
        reviewed = today - datetime.timedelta(days=300 + i % 120)  # spread over notices and overdue
        PolicyVersion.objects.create(
            policy=policy, number=1, label="Version 1", body=f"Text {i}", reviewed_on=reviewed,
            next_review_on=reviewed + datetime.timedelta(days=365), created_by=head, status=VersionStatus.PUBLISHED,
        )  # fmt: skip
    added = Person.objects.bulk_create(
        Person(
            username=f"extra{i}",
            first_name="Extra",
            last_name=str(i),
            school=glenwood,
            year_group=7 + i % 5,
            date_joined=joined,
        )
        for i in range(start, start + people)
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(person=p, role=Role.PUPIL) for p in added)


def scan_queries():
    """Reads, and the inserts: SQLite caps the rows per INSERT, so inserts are counted per batch."""
    with CaptureQueriesContext(connection) as ctx:
        offered = services.reminders_scan()
    inserts = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    return len(ctx.captured_queries) - len(inserts), len(inserts), offered


def test_scan_queries_do_not_grow_with_versions_or_people(school, clock):
    add(school, versions=10, people=20, start=0)
    at(clock, datetime.date(2026, 9, 10))
    few_reads, _, _ = scan_queries()
    recorded = Reminder.objects.count()
    add(school, versions=150, people=300, start=1000)
    at(clock, datetime.date(2026, 9, 11))
    many_reads, many_inserts, offered = scan_queries()
    assert Reminder.objects.count() > recorded + 300  # the new versions and people were really reminded
    assert many_reads == few_reads
    fields = [f for f in Reminder._meta.concrete_fields if not f.primary_key]
    rows_per_insert = connection.ops.bulk_batch_size(fields, [None] * offered)
    # One INSERT per batch of rows (the backend's largest), for each of the scan's three kinds.
    assert many_inserts <= 3 * (1 + offered // rows_per_insert)
