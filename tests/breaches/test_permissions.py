"""Every breaches URL, requested as each demo role and as an anonymous visitor.

The same shape as tests/test_permissions.py, with three more people: staff01 investigates case B,
staff02 is the person cases A and B concern, and "governor" sits on case B's hearing panel. Case C
is about the headteacher: only the chair of governors sees it. Need to know: a staff-conduct case
with no child-protection element is the head's (not the DSLs'); see breaches/permissions.py.
"""

import pytest
from django.utils import timezone

from breaches import services
from breaches.choices import Category, Concerns, Finding, Status
from breaches.deadlines import add_working_days
from breaches.models import Case
from tests.permissions import assert_answers

from .conftest import friend_request_report, investigating, person
from .files import png

EVERYONE = ["head", "deputy", "dsl", "admin", "trustadmin", "techadmin", "chair", "governor", "teacher",
            "supply", "trainee", "pupil7", "pupil10", "hillside-head", "staff01", "staff02"]  # fmt: skip
LOGIN = 302
LEADS = {"head": 200, "deputy": 200, "dsl": 200}  # the deputy holds the DSL role in the demo school
STAFF_CASE = {"head": 200}  # a staff-conduct case with no child-protection element
ON_CASE_B = {**STAFF_CASE, "staff01": 200, "governor": 200}  # the head, its investigator, its panel
FLAGGERS = {**LEADS, "hillside_head": 200}


@pytest.fixture
def records(demo, agreements):
    a = friend_request_report(demo)
    b = investigating(demo, friend_request_report(demo, what_happened="Case B"), investigator="staff01")
    services.record_finding(
        actor=person(demo, "staff01"), case=b, finding=Finding.HEARING, summary="To a hearing.",
        documents=[png("statement.png")],
    )  # fmt: skip
    today = timezone.localdate()
    services.arrange_hearing(
        actor=demo["head"], case=b, hearing_on=add_working_days(today, 5), evidence="The statement.",
        panel=[demo["governor"], person(demo, "staff05")],
    )  # fmt: skip
    c = friend_request_report(demo, subject_person=demo["head"], what_happened="About the head")
    hillside = services.report_concern(
        actor=demo["hillside-teacher"],
        category=Category.OTHER,
        concerns=Concerns.UNKNOWN,
        what_happened="Hill",
    )
    return {"a": a.pk, "b": b.pk, "c": c.pk, "hill": hillside.pk, "doc": b.attachments.get().pk}


def expect(default, **overrides):
    table = {user: default for user in EVERYONE}
    table.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return table


CASE_LISTERS = {**LEADS, "chair": 200, "staff01": 200, "governor": 200, "hillside_head": 200}
GET_URLS = [
    ("/breaches/report/", LOGIN, expect(200)),
    ("/breaches/mine/", LOGIN, expect(200)),
    (
        "/breaches/people/search/?q=Quinn",
        LOGIN,
        expect(200),
    ),  # what each may see: tests/breaches/test_naming.py
    ("/breaches/reports/{a}/", LOGIN, expect(404, teacher=200)),
    ("/breaches/concerning-me/", LOGIN, expect(200)),
    ("/breaches/concerning-me/{a}/", LOGIN, expect(404)),  # not yet accepted: not yet told
    ("/breaches/concerning-me/{b}/", LOGIN, expect(404, staff02=200)),
    ("/breaches/cases/", LOGIN, expect(403, **CASE_LISTERS)),
    ("/breaches/cases/low-level-concerns/", LOGIN, expect(403, **LEADS, chair=200, hillside_head=200)),
    ("/breaches/cases/{a}/", LOGIN, expect(404, **STAFF_CASE)),
    ("/breaches/cases/{b}/", LOGIN, expect(404, **ON_CASE_B)),
    ("/breaches/cases/{b}/chronology/", LOGIN, expect(404, **ON_CASE_B)),
    ("/breaches/cases/{b}/evidence-pack.pdf", LOGIN, expect(404, **ON_CASE_B)),
    ("/breaches/cases/{b}/evidence-pack.pdf?version=staff", LOGIN, expect(404, **ON_CASE_B)),
    ("/breaches/cases/{b}/evidence-pack/disclose-reporter/", LOGIN, expect(405)),  # a decision is a POST
    ("/breaches/documents/{doc}/", LOGIN, expect(404, **ON_CASE_B)),
    # About the head: the chair alone; the head and the DSLs the head line-manages never see it.
    ("/breaches/cases/{c}/", LOGIN, expect(404, chair=200)),
    ("/breaches/cases/{c}/triage/", LOGIN, expect(404, chair=200)),
    ("/breaches/cases/{c}/chronology/", LOGIN, expect(404, chair=200)),
    ("/breaches/cases/{hill}/", LOGIN, expect(404, hillside_head=200)),
    ("/breaches/cases/{a}/triage/", LOGIN, expect(404, **STAFF_CASE)),
    # The staff track is led by the head; the panel records the hearing; the investigator does not.
    ("/breaches/cases/{b}/hearing/", LOGIN, expect(404, head=200, staff01=403, governor=200)),
    ("/breaches/cases/{b}/assign/", LOGIN, expect(404, **{u: 403 for u in ON_CASE_B})),  # not at this stage
    ("/breaches/cases/{b}/arrange_hearing/", LOGIN, expect(404, **{u: 403 for u in ON_CASE_B})),  # arranged
    ("/breaches/cases/{b}/suspension/", LOGIN, expect(404, head=200, staff01=403, governor=403)),
    ("/breaches/cases/{b}/note/", LOGIN, expect(404, **ON_CASE_B)),
    ("/breaches/cases/{b}/no-such-step/", LOGIN, expect(404)),
    ("/breaches/flags/new/", LOGIN, expect(403, **FLAGGERS)),
    ("/breaches/flags/import/", LOGIN, expect(403, **FLAGGERS)),
    ("/breaches/summary/", LOGIN, expect(403, **LEADS, chair=200, governor=200, hillside_head=200)),
]

POST_URLS = [
    # A teacher cannot triage; nobody off the case learns it exists.
    ("/breaches/cases/{a}/triage/", expect(404, head=None)),
    ("/breaches/cases/{c}/triage/", expect(404, chair=None)),
    ("/breaches/cases/{b}/hearing/", expect(404, head=None, governor=None, staff01=403)),
    ("/breaches/cases/{b}/suspension/", expect(404, head=None, staff01=403, governor=403)),
    ("/breaches/cases/{b}/note/", expect(404, **{u: None for u in ON_CASE_B})),
    ("/breaches/reports/{a}/evidence/", expect(404, teacher=None)),
    ("/breaches/concerning-me/{b}/", expect(404, staff02=None)),
    # Only the headteacher decides to disclose the reporter; others on the case are refused.
    (
        "/breaches/cases/{b}/evidence-pack/disclose-reporter/",
        expect(404, head=None, staff01=403, governor=403),  # the DSLs do not see a staff-conduct case
    ),
]


@pytest.mark.parametrize("url,anonymous,by_user", GET_URLS, ids=[u[0] for u in GET_URLS])
def test_get_as_every_role(client, records, url, anonymous, by_user):
    assert_answers(client, url.format(**records), by_user, anonymous=anonymous)


@pytest.mark.parametrize("url,by_user", POST_URLS, ids=[u[0] for u in POST_URLS])
def test_post_as_the_wrong_people_changes_nothing(client, records, url, by_user):
    url = url.format(**records)
    before = list(Case.objects.order_by("pk").values_list("status", flat=True))
    assert client.post(url).status_code == LOGIN
    for username, expected in by_user.items():
        if expected is None:  # someone who may take the step: tested in test_views
            continue
        client.force_login(_person(username))
        assert client.post(url, {"decision": "accept", "text": "x"}).status_code == expected, username
        client.logout()
    assert list(Case.objects.order_by("pk").values_list("status", flat=True)) == before
    assert Case.objects.get(pk=records["a"]).status == Status.REPORTED
    assert Case.objects.get(pk=records["c"]).status == Status.REPORTED


def _person(username):
    from people.models import Person

    return Person.objects.get(username=username)
