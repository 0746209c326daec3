"""The people directory as the school office uses it: search, filters, a person's page, editing."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from people import services
from people.models import Person, Role, RoleAssignment
from people.seed import DEMO_PASSWORD

TODAY = timezone.localdate


def _pk(username):
    return Person.objects.get(username=username).pk


@pytest.fixture
def office(demo, login):
    return login("admin")


def test_search_by_name_email_upn_and_admission_number(demo, office):
    Person.objects.filter(username="y8pupil2").update(upn="B801200005001")
    assert "Cole, Jamie" in office.get("/people/?q=jamie cole").content.decode()
    assert "Quinn, Tara" in office.get("/people/?q=teacher@glenwood").content.decode()
    page = office.get("/people/?q=B801200005001").content.decode()
    assert f'href="/people/{_pk("y8pupil2")}/"' in page and "1 person" in page
    page = office.get("/people/?q=07003").content.decode()
    assert f'href="/people/{_pk("y7pupil3")}/"' in page and "1 person" in page


def test_filters_by_role_year_and_status(demo, office):
    page = office.get("/people/?role=governor").content.decode()
    assert "Hale, Robert" in page and "Quinn, Tara" not in page
    page = office.get("/people/?year_group=10").content.decode()
    assert "Reed, Alex" in page and "Cole, Jamie" not in page
    Person.objects.filter(username="y11pupil8").update(leaving_date=TODAY() - datetime.timedelta(days=30))
    Person.objects.filter(username="supply").update(access_expires_on=TODAY() - datetime.timedelta(days=1))
    Person.objects.filter(username="trainee").update(access_expires_on=TODAY() + datetime.timedelta(days=60))
    leavers = office.get("/people/?status=leavers").content.decode()
    assert "Turner, Ruby" in leavers and "1 person" in leavers and "Left " in leavers
    expired = office.get("/people/?status=expired").content.decode()
    assert "Rowe, Sam" in expired and "Nolan, Tess" not in expired and "Account expired" in expired
    current = office.get("/people/?status=current").content.decode()
    assert "Turner, Ruby" not in current and "Rowe, Sam" not in current and "Nolan, Tess" in current
    everyone = office.get("/people/?q=nolan").content.decode()
    assert (TODAY() + datetime.timedelta(days=60)).strftime("%-d %b %Y") in everyone  # expires on
    assert office.get("/people/?status=nonsense&year_group=99&page=abc").status_code == 200


def test_pages_of_fifty(demo, office):
    total = Person.objects.filter(school=demo["glenwood"]).count()
    assert total > 50
    page = office.get("/people/?page=2").content.decode()
    assert "Page 2 of 2" in page and f"{total} people" in page


def test_trust_admin_sees_every_school_and_a_school_filter(demo, login):
    page = login("trustadmin").get("/people/?q=aziz").content.decode()
    assert "Aziz, Imran" in page and "Hillside Academy" in page
    page = login("trustadmin").get(f"/people/?school={demo['hillside'].pk}").content.decode()
    assert "Aziz, Imran" in page and "Marsh, Helen" not in page
    page = login("admin").get("/people/?q=aziz").content.decode()
    assert "No one matches." in page and 'name="school"' not in page


# The list's queries, plus the look's audit entry (the school, the chain head locked, the entry,
# the head moved on; a savepoint each way under the test's transaction).
LIST_BUDGET = 10 + 6  # the invitations prefetch, and the look written to the audit log


def test_list_queries_do_not_grow_with_the_school(demo, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_BUDGET):
        office.get("/people/")
    glenwood = demo["glenwood"]
    people = Person.objects.bulk_create(
        [
            Person(school=glenwood, username=f"extra{i}", first_name="Extra", last_name=f"{i:03d}")
            for i in range(60)
        ]
    )
    RoleAssignment.objects.bulk_create([RoleAssignment(person=p, role=Role.STAFF) for p in people])
    with django_assert_max_num_queries(LIST_BUDGET):
        office.get("/people/")


def test_person_page_shows_details_and_changes(demo, office):
    services.person_update(actor=demo["admin"], person=demo["pupil7"], tutor_group="7G")
    page = office.get(f"/people/{demo['pupil7'].pk}/").content.decode()
    assert "Jamie Cole" in page and "Year 7 (signs: KS3 pupil agreement)" in page and "7G" in page
    assert "Changed school details: Tutor group: (blank) → 7G" in page and "Priya Shah" in page


def test_office_edits_a_pupil_and_the_change_is_audited(demo, office):
    pupil = demo["pupil7"]
    response = office.post(
        f"/people/{pupil.pk}/edit/",
        {"roles": ["pupil"], "year_group": "8", "tutor_group": " 8L ", "leaving_date": "2027-07-23"},
        follow=True,
    )
    assert "Jamie Cole’s details saved." in response.content.decode()
    pupil.refresh_from_db()
    assert (pupil.year_group, pupil.tutor_group, str(pupil.leaving_date)) == (8, "8L", "2027-07-23")
    entry = AuditEntry.objects.for_record(pupil).get(action="person.updated")
    assert entry.actor == demo["admin"]
    assert entry.detail == {
        "year_group": [7, 8],
        "tutor_group": ["", "8L"],
        "leaving_date": [None, "2027-07-23"],
    }


def test_saving_without_changes_writes_no_audit_entry(demo, office):
    pupil = demo["pupil7"]
    office.post(f"/people/{pupil.pk}/edit/", {"roles": ["pupil"], "year_group": "7"})
    assert not AuditEntry.objects.for_record(pupil).exists()


@pytest.mark.parametrize(
    "username,form,field_error",
    [
        (
            "teacher",
            {"roles": ["staff"], "year_group": "9"},
            "Only pupils have a year group; leave it blank.",
        ),
        ("pupil7", {"roles": ["pupil"]}, "A pupil needs a year group (7 to 13)."),
        ("teacher", {"roles": ["staff"], "visitor_kind": "supply"}, "Only visitors have a visitor type"),
        ("teacher", {"roles": []}, "Give the person at least one role."),
        ("teacher", {"roles": ["staff", "trust_admin"]}, "Select a valid choice."),
    ],
)
def test_edit_form_explains_what_is_wrong(demo, office, username, form, field_error):
    response = office.post(f"/people/{_pk(username)}/edit/", form)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not AuditEntry.objects.filter(action="person.updated").exists()


def test_office_sets_a_supply_teachers_expiry_and_it_takes_effect(demo, office, client):
    last_day = TODAY() - datetime.timedelta(days=1)
    office.post(
        f"/people/{_pk('supply')}/edit/",
        {"roles": ["visitor"], "visitor_kind": "supply", "access_expires_on": last_day.isoformat()},
    )
    assert Person.objects.get(username="supply").access_expires_on == last_day
    client.logout()
    assert not client.login(username="supply", password=DEMO_PASSWORD)


def test_roles_change_but_only_a_trust_admin_touches_the_trust_role(demo, office, login):
    office.post(f"/people/{_pk('teacher')}/edit/", {"roles": ["staff", "governor"]})
    assert Person.objects.get(username="teacher").roles == {"staff", "governor"}
    # The office edits the trust administrator, who keeps the trust role they cannot see.
    office.post(f"/people/{_pk('trustadmin')}/edit/", {"roles": ["staff"]})
    assert Person.objects.get(username="trustadmin").roles == {"staff", "trust_admin"}
    login("trustadmin").post(f"/people/{_pk('teacher')}/edit/", {"roles": ["staff", "trust_admin"]})
    assert Person.objects.get(username="teacher").roles == {"staff", "trust_admin"}


def test_you_cannot_take_away_your_own_administrator_role(demo, office):
    response = office.post(f"/people/{_pk('admin')}/edit/", {"roles": ["staff"]})
    assert "You cannot take away your own administrator role" in response.content.decode()
    assert Person.objects.get(username="admin").roles == {"staff", "school_admin"}


def test_service_refuses_the_wrong_people(demo):
    from glenwood.services import NotAllowed

    with pytest.raises(NotAllowed):
        services.person_update(actor=demo["teacher"], person=demo["pupil7"], tutor_group="7G")
    with pytest.raises(NotAllowed):
        services.person_update(actor=demo["hillside-head"], person=demo["pupil7"], tutor_group="7G")
    with pytest.raises(NotAllowed):
        services.person_update(actor=demo["head"], person=demo["teacher"], roles={"staff", "trust_admin"})
