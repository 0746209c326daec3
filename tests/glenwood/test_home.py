"""The home page answers "what do I do now?" for each role, with figures that link to the lists
behind them, and costs the same number of queries for a small school as for a large one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services as agreement_services
from agreements.models import Agreement, AgreementKind
from agreements.seed import DEMO_EVIDENCE
from breaches import services as case_services
from breaches.choices import Category, Concerns
from breaches.seed import seed_breaches
from people.models import Person, Role, RoleAssignment

HOME_BUDGET = 40  # the most any role costs, whatever the size of the school
ROLES = ["head", "deputy", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply",
         "pupil7", "pupil10"]  # fmt: skip


def grow_school(demo, start, count):
    """`count` more pupils (Years 7 to 11) and staff, half of them signed, and a report from each
    fifth: a bigger school in every way the home page counts."""
    school = demo["glenwood"]
    people = Person.objects.bulk_create(
        [
            Person(
                school=school,
                username=f"grown{i}",
                first_name=f"Grown{i}",
                last_name="Person",
                year_group=7 + i % 5 if i % 4 else None,
            )
            for i in range(start, start + count)
        ]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(person=p, role=Role.PUPIL if p.year_group else Role.STAFF) for p in people]
    )
    agreements = {a.kind: a for a in Agreement.objects.filter(school=school).select_related("policy")}
    for n, person in enumerate(Person.objects.filter(pk__in=[p.pk for p in people])):
        if n % 2:
            kind = AgreementKind.STAFF
            if person.year_group:
                kind = AgreementKind.KS3 if person.year_group < 10 else AgreementKind.KS4
            agreement = agreements[kind]
            version = agreement.policy.current_version
            agreement_services.signature_record(
                signer=person, agreement=agreement, version=version, shown_sha256=version.sha256,
                consent_given=True, typed_name=person.get_full_name(), evidence=DEMO_EVIDENCE,
                witness=demo["teacher"] if person.year_group else None,
            )  # fmt: skip
        if n % 5 == 0:
            case_services.report_concern(
                actor=person, category=Category.BULLYING, concerns=Concerns.PUPIL,
                subject_person=demo["pupil7"], what_happened=f"Unkind messages in a group chat ({n}).",
            )  # fmt: skip


def home(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def school(demo):
    seed_breaches(demo)
    return demo


@pytest.mark.parametrize("username", ROLES)
def test_the_home_page_costs_the_same_for_a_small_and_a_large_school(
    school, client, username, django_assert_max_num_queries
):
    client.force_login(Person.objects.get(username=username))
    grow_school(school, 0, 10)
    small, _ = home(client)
    grow_school(school, 10, 60)
    large, _ = home(client)
    print(f"\nhome page queries for {username}: {small} (small school), {large} (large school)")
    assert large == small, f"{username}: {small} queries for the small school, {large} for the large one"
    with django_assert_max_num_queries(HOME_BUDGET):
        client.get("/")


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") :]))


def figure(response, panel_id, label):
    """The value and link of the figure labelled `label` in panel `panel_id`."""
    html = response.content.decode()
    section = html[html.index(f'id="{panel_id}"') :]
    section = section[: section.index("</section>")]
    match = re.search(
        r'<a class="figure[^"]*" href="([^"]+)"><span class="figure-value">([^<]+)</span> '
        rf'<span class="figure-label">{re.escape(label)}</span>',
        section,
    )
    assert match, f"no figure {label!r} in {panel_id}"
    return match.group(2), match.group(1).replace("&amp;", "&")


def test_the_head_sees_completion_by_group_with_a_table_and_links_to_the_dashboard(school, login):
    client = login("head")
    response = client.get("/")
    bars = response.context["completion"]
    labels = [bar.label for bar in bars]
    assert labels == ["Staff", "Year 7 · KS3", "Year 8 · KS3", "Year 9 · KS3", "Year 10 · KS4",
                      "Year 11 · KS4", "Visitors", "Governors"]  # fmt: skip
    year7 = bars[1]
    ks3 = Agreement.objects.get(school=school["glenwood"], kind="ks3")
    assert year7.url == f"/agreements/dashboard/?agreement={ks3.pk}&status=outstanding&year=7"
    page = text_of(response)
    assert f"Year 7 · KS3 {year7.signed} of {year7.owe} signed ({year7.percent}%)" in page
    assert "Show as a table" in page and 'id="completion-table"' in response.content.decode()
    # The link opens the dashboard at that group: the people it counts as not signed.
    dashboard = client.get(year7.url)
    assert dashboard.status_code == 200
    assert dashboard.context["page"].paginator.count == year7.outstanding
    assert {p.year_group for p in dashboard.context["page"]} == {7}


def test_the_head_sees_cases_by_status_with_overdue_steps_reviews_and_decisions(school, login):
    client = login("head")
    response = client.get("/")
    overdue, url = figure(response, "cases", "with a step overdue")
    assert url == "/breaches/cases/?state=overdue"
    listed = client.get(url)
    assert listed.context["page"].paginator.count == int(overdue)
    for status in ("Reported: to be triaged", "Under the Behaviour Policy"):
        value, url = figure(response, "cases", status)
        assert client.get(url).context["page"].paginator.count == int(value), status
    value, url = figure(response, "policies", "reviews overdue")
    assert url == "/policies/reviews/#overdue"
    schedule = client.get("/policies/reviews/")
    assert len(schedule.context["overdue"]) == int(value) >= 1  # the 2018 Use of Social Media Policy
    assert figure(response, "policies", "with the governors")[0] == "0"


def test_a_submitted_revision_is_waiting_for_the_governors_decision(school, login, social_media):
    import datetime

    from policies import services

    version = services.version_draft(
        actor=school["head"], policy=social_media, reviewed_on=datetime.date(2026, 11, 20)
    )
    services.version_submit(actor=school["head"], version=version)
    assert figure(login("head").get("/"), "policies", "with the governors")[0] == "1"
    response = login("chair").get("/")
    value, url = figure(response, "policies", "waiting for your decision")
    assert value == "1" and url == "/policies/reviews/#with-governors"
    schedule = login("chair").get("/policies/reviews/").content.decode()
    assert f'href="/policies/versions/{version.pk}/decide/"' in schedule


def test_governors_see_only_anonymised_counts_with_small_figures_suppressed(school, login):
    response = login("governor").get("/")
    assert response.context["completion"] is None
    assert "cases" not in [panel.id for panel in response.context["panels"]]
    reported, url = figure(response, "concerns-summary", "reported")
    assert reported == "fewer than 5" and url == "/breaches/summary/"
    page = text_of(response)
    assert "R0000" not in page  # no case reference
    grow_school(school, 0, 25)  # five more reports: no longer a small figure
    assert figure(login("governor").get("/"), "concerns-summary", "reported")[0].isdigit()


def test_the_dsl_sees_cases_and_the_office_sees_people_to_invite(school, login):
    dsl = login("dsl").get("/")
    assert dsl.context["completion"] is None  # the dashboard is not the DSL's
    assert [p.id for p in dsl.context["panels"]] == ["cases", "yours"]
    office = login("admin")
    response = office.get("/")
    value, url = figure(response, "people", "not invited yet")
    assert url == "/people/?status=current&invitation=not_invited"
    assert office.get(url).context["page"].paginator.count == int(value)
    assert response.context["completion"]


@pytest.mark.parametrize("username", ["pupil7", "pupil10", "teacher", "supply"])
def test_staff_visitors_and_pupils_see_what_they_have_to_sign_and_their_reports(school, login, username):
    client = login(username)
    response = client.get("/")
    assert response.context["completion"] is None
    assert [p.id for p in response.context["panels"]] == ["yours"]
    value, url = figure(response, "yours", "agreement to sign")
    assert value == "1" and url == "/agreements/"
    _, url = figure(response, "yours", "of your reports still open")
    assert client.get(url).status_code == 200


def test_a_pupil_sees_no_hash_and_no_review_schedule(school, login):
    response = login("pupil7")
    page = response.get("/").content.decode()
    assert not re.search(r"\b[0-9a-f]{64}\b", page)
    assert "/policies/reviews/" not in page and "review" not in text_of(response.get("/")).lower()


def test_a_report_made_shows_as_open_on_the_reporters_home(school, login):
    case_services.report_concern(
        actor=school["pupil10"], category=Category.BULLYING, concerns=Concerns.UNKNOWN,
        what_happened="Someone keeps messaging me.",
    )  # fmt: skip
    assert figure(login("pupil10").get("/"), "yours", "of your reports still open")[0] == "1"


def test_the_trust_administrator_sees_each_schools_groups(school, login):
    response = login("trustadmin").get("/")
    bars = response.context["completion"]
    assert bars and {bar.school for bar in bars} == {"Glenwood School"}
    assert "Glenwood School: Year 7 · KS3" in text_of(response)  # the table names the school
