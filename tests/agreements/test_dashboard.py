"""The compliance dashboard: right numbers, filters, CSV, and a query count that does not grow."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.models import AuthMethod, Signature
from agreements.obligations import outstanding
from agreements.summary import summary_changed
from people.models import Person, Role, RoleAssignment


def add_people(school, count, prefix):
    """Pupils spread over Years 7-11 and a few staff, created in bulk; every fifth one has signed nothing."""
    people = Person.objects.bulk_create(
        Person(
            username=f"{prefix}{i}",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            school=school,
            year_group=None if i % 10 == 0 else 7 + i % 5,
        )
        for i in range(count)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=p, role=Role.STAFF if p.year_group is None else Role.PUPIL) for p in people
    )
    return people


def dashboard_queries(client, url="/agreements/dashboard/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            body = b"".join(response.streaming_content).decode()
        else:
            body = response.content.decode()
    assert response.status_code == 200
    return len(ctx.captured_queries), body


@pytest.mark.parametrize(
    "url,expect",
    [
        ("/agreements/dashboard/?agreement={ks3}", "{outstanding} not signed"),
        ("/agreements/dashboard/?agreement={ks3}&status=all&year=7", "people"),
        ("/agreements/dashboard.csv?agreement={ks3}", "Last1975"),
    ],
)
def test_same_queries_for_20_and_2000_people(demo, login, ks3_aua, url, expect):
    client = login("admin")
    url = url.format(ks3=ks3_aua.pk)
    school = demo["glenwood"]
    add_people(school, 20, "few")
    # Recounting the school's held counts (after a change) and reading them (after none) each cost
    # the same at 20 people as at 2,000. Bulk-made people send no save signal: mark the counts behind
    # as the import's saves do.
    summary_changed(school.pk)
    few_recount, _ = dashboard_queries(client, url)
    few, _ = dashboard_queries(client, url)
    add_people(school, 1980, "many")
    summary_changed(school.pk)
    many_recount, _ = dashboard_queries(client, url)
    many, body = dashboard_queries(client, url)
    assert (many_recount, many) == (few_recount, few)
    # The 2,000 are really counted and listed, not cut off.
    assert expect.format(outstanding=outstanding(ks3_aua).count()) in body
    assert outstanding(ks3_aua).count() > 1000


def test_numbers_by_group(demo, login, staff_aua):
    page = login("head").get("/agreements/dashboard/").content.decode()
    # Demo: 25 staff-role people; head, deputy, dsl, admin and staff01-12 signed; staff20 declined.
    staff_card = page.split("Staff Acceptable Use Agreement</a>")[1].split("</section>")[0]
    assert "16 of 25 signed · 9 not signed, of whom 1 declined" in staff_card
    ks3_card = page.split("KS3 Pupil Acceptable Use Agreement</a>")[1].split("</section>")[0]
    assert (
        '<th scope="row" class="text-nowrap">Year 7</th><td>9</td><td>5</td><td>4</td><td>0</td>' in ks3_card
    )
    assert 'aria-valuenow="56"' in ks3_card  # the bar for Year 7: 5 of 9


def test_outstanding_list_says_for_how_long_and_declines_show_reasons(demo, login, staff_aua):
    client = login("admin")
    page = client.get(f"/agreements/dashboard/?agreement={staff_aua.pk}&status=outstanding").content.decode()
    people = page.split('id="people"')[1]
    assert "Quinn, Tara" in people and "Marsh, Helen" not in people
    page = client.get(f"/agreements/dashboard/?agreement={staff_aua.pk}&status=declined").content.decode()
    assert "union representative" in page.split('id="people"')[1]


def test_signing_moves_a_person_off_the_outstanding_list(demo, login, staff_aua):
    client = login("admin")
    url = f"/agreements/dashboard/?agreement={staff_aua.pk}&q=Quinn"
    assert "Quinn, Tara" in client.get(url).content.decode().split('id="people"')[1]
    version = staff_aua.policy.current_version
    services.signature_record(
        signer=demo["teacher"], agreement=staff_aua, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name="Tara Quinn",
        evidence=services.Evidence("127.0.0.1", "test", "", AuthMethod.PASSWORD),
    )  # fmt: skip
    assert "Quinn, Tara" not in client.get(url).content.decode().split('id="people"')[1]
    assert Signature.objects.filter(person=demo["teacher"]).count() == 1


def test_csv_export_lists_the_filtered_people(demo, login, staff_aua):
    response = login("admin").get(f"/agreements/dashboard.csv?agreement={staff_aua.pk}&status=outstanding")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["Status"] for r in rows} == {"outstanding", "declined"}
    assert any(r["Last name"] == "Quinn" and int(r["Days outstanding"]) >= 0 for r in rows)
    assert not any(r["Last name"] == "Marsh" for r in rows)


def test_trust_admin_sees_every_school_and_others_are_refused(demo, login):
    assert login("trustadmin").get("/agreements/dashboard/").status_code == 200
    for username in ("teacher", "governor", "pupil7", "dsl"):
        assert login(username).get("/agreements/dashboard/").status_code == 403
        assert login(username).get("/agreements/dashboard.csv").status_code == 403


def test_hillside_head_does_not_see_glenwood(demo, login, staff_aua):
    page = login("hillside-head").get("/agreements/dashboard/").content.decode()
    assert "Staff Acceptable Use Agreement" not in page
    response = login("hillside-head").get(f"/agreements/dashboard.csv?agreement={staff_aua.pk}")
    assert "Quinn" not in b"".join(response.streaming_content).decode()


def test_csv_cells_are_never_run_as_spreadsheet_formulas(demo, login, staff_aua):
    version = staff_aua.policy.current_version
    services.decline_record(
        person=demo["teacher"], agreement=staff_aua, version=version, shown_sha256=version.sha256,
        reason='=HYPERLINK("http://evil.example","Click")',
    )  # fmt: skip
    response = login("admin").get(f"/agreements/dashboard.csv?agreement={staff_aua.pk}&status=declined")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    reasons = [r["Decline reason"] for r in rows if r["Last name"] == "Quinn"]
    assert reasons == ['\'=HYPERLINK("http://evil.example","Click")']
