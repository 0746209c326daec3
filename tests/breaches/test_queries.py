"""Query budgets: the case list and the home page cost the same for 10 cases or 500."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from breaches.choices import Category, Concerns, Status, Track
from breaches.models import Case
from people.models import Person

STATUSES = [Status.REPORTED, Status.ACCEPTED, Status.INVESTIGATING, Status.SAFEGUARDING, Status.CLOSED]
CATEGORIES = list(Category)


def add_cases(demo, numbers):
    school = demo["glenwood"]
    staff = list(Person.objects.filter(username__startswith="staff").order_by("username"))
    pupils = list(Person.objects.filter(username__startswith="y1").order_by("username"))
    now, today = timezone.now(), timezone.localdate()
    cases = []
    for i in numbers:
        status = STATUSES[i % len(STATUSES)]
        pupil_case = status == Status.SAFEGUARDING
        cases.append(
            Case(
                school=school, status=status, category=CATEGORIES[i % len(CATEGORIES)],
                track=Track.SAFEGUARDING if pupil_case else Track.DISCIPLINARY,
                concerns=Concerns.PUPIL if pupil_case else Concerns.STAFF,
                subject_person=(pupils if pupil_case else staff)[i % 16], what_happened=f"Case text {i}",
                reported_by=demo["teacher"], reported_at=now - datetime.timedelta(days=i % 120),
                investigator=staff[(i + 1) % 20] if status == Status.INVESTIGATING else None,
                step_due_on=None if status == Status.CLOSED else today + datetime.timedelta(days=(i % 7) - 3),
                closed_at=now if status == Status.CLOSED else None,
                child_protection=not pupil_case and i % 2 == 0,  # half the staff cases the DSLs see too
            )
        )  # fmt: skip
    Case.objects.bulk_create(cases)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/breaches/cases/",
        "/breaches/cases/?state=overdue&age=month",
        "/breaches/cases/?status=investigating&page=1",
        "/",
    ],
)
@pytest.mark.parametrize("username", ["head", "dsl"])
def test_same_queries_for_10_and_500_cases(demo, login, url, username):
    client = login(username)
    client.get(url)  # the school's held agreement counts are recounted once, on the first read
    add_cases(demo, range(10))
    few, _ = count_queries(client, url)
    add_cases(demo, range(10, 500))
    many, page = count_queries(client, url)
    assert many == few
    if url != "/":
        assert len(re.findall(r">R\d{5}<", page)) >= 1  # the rows are really on the page


def test_overdue_rows_are_marked(demo, login):
    add_cases(demo, range(10))
    page = login("head").get("/breaches/cases/?state=overdue").content.decode()
    assert page.count('class="table-warning"') == page.count(">R0") > 0
    assert "Overdue" in page
