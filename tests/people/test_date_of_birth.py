"""A person's date of birth: child-protection records are kept until a pupil's date of birth plus
25 years, so the office enters it (by the MIS import or on the edit form), checked and audited."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEntry
from people.models import ImportBatch, ImportMapping, Person
from people.services import import_plan_for
from tests.people.test_import_views import _apply

TODAY = timezone.localdate


def _years_ago(years, days=0):
    return TODAY() - relativedelta(years=years) - datetime.timedelta(days=days)


@pytest.fixture
def office(demo, login):
    return login("admin")


def _upload(client, text, kind="pupils"):
    data = text.encode()
    return client.post(
        "/people/import/",
        {"kind": kind, "file": SimpleUploadedFile("pupils.csv", data, content_type="text/csv")},
        follow=True,
    )


def test_a_pupil_import_with_a_dob_column_sets_it_and_the_audit_log_keeps_no_date(demo, office):
    born = _years_ago(12)
    _upload(office, f"Forename,Surname,Year,Adno,DOB\nJamie,Cole,7,07003,{born:%d/%m/%Y}\n")
    batch = ImportBatch.objects.get()
    assert "Date of birth" in office.get(f"/people/import/{batch.pk}/").content.decode()
    _apply(office, batch)
    pupil = Person.objects.get(username="y7pupil3")
    assert pupil.date_of_birth == born
    entry = AuditEntry.objects.for_record(pupil).get(action="person.updated")
    assert entry.detail["changes"]["date_of_birth"] == ["(blank)", "(set)"]
    assert born.isoformat() not in str(entry.detail) and f"{born:%d/%m/%Y}" not in str(entry.detail)


@pytest.mark.parametrize(
    "born,message",
    [
        (TODAY() + datetime.timedelta(days=1), "in the future"),
        (_years_ago(4), "a pupil here is 9 to 21"),  # 2021 typed for 2012
        (_years_ago(60), "a pupil here is 9 to 21"),
    ],
)
def test_an_impossible_date_of_birth_leaves_the_row_out(demo, office, born, message):
    _upload(office, f"Forename,Surname,Year,Adno,DOB\nJamie,Cole,7,07003,{born:%Y-%m-%d}\n")
    plan = import_plan_for(ImportBatch.objects.get())
    assert [row.number for row in plan.rows_with_errors] == [2]
    assert any(message in e for e in plan.rows_with_errors[0].errors)


def test_a_heading_the_portal_does_not_know_is_matched_to_the_date_of_birth_once(demo, office):
    born = _years_ago(13)
    text = f"Forename,Surname,Year,Adno,Birthday\nJamie,Cole,7,07003,{born:%d/%m/%Y}\n"
    _upload(office, text)
    batch = ImportBatch.objects.get()
    page = office.get(f"/people/import/{batch.pk}/columns/").content.decode()
    assert "“Birthday” holds" in page and 'value="date_of_birth"' in page
    office.post(f"/people/import/{batch.pk}/columns/", {"column_0": "date_of_birth"})
    assert ImportMapping.objects.get(school=demo["glenwood"]).columns["birthday"] == "date_of_birth"
    batch.refresh_from_db()
    _apply(office, batch)
    assert Person.objects.get(username="y7pupil3").date_of_birth == born


def test_the_office_enters_it_on_the_edit_form_audited_without_the_date(demo, office):
    teacher = demo["teacher"]
    born = datetime.date(1985, 4, 2)
    response = office.post(
        f"/people/{teacher.pk}/edit/", {"roles": ["staff"], "date_of_birth": born.isoformat()}, follow=True
    )
    assert "details saved" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.date_of_birth == born
    entry = AuditEntry.objects.for_record(teacher).get(action="person.updated")
    assert entry.actor == demo["admin"] and entry.detail == {"date_of_birth": ["(blank)", "(set)"]}


@pytest.mark.parametrize(
    "username,roles,born,message",
    [
        ("teacher", ["staff"], TODAY() + datetime.timedelta(days=3), "The date of birth is in the future."),
        ("teacher", ["staff"], _years_ago(8), "someone working at the school is 16 to 100"),
        ("pupil7", ["pupil"], _years_ago(30), "a pupil here is 9 to 21"),
    ],
)
def test_the_edit_form_refuses_an_impossible_one(demo, office, username, roles, born, message):
    person = Person.objects.get(username=username)
    form = {"roles": roles, "date_of_birth": born.isoformat()}
    if "pupil" in roles:
        form["year_group"] = str(person.year_group)
    response = office.post(f"/people/{person.pk}/edit/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.date_of_birth is None
    assert not AuditEntry.objects.for_record(person).exists()


def test_a_teacher_cannot_enter_anyones_date_of_birth(demo, login):
    pupil = demo["pupil7"]
    response = login("teacher").post(
        f"/people/{pupil.pk}/edit/", {"roles": ["pupil"], "year_group": "7", "date_of_birth": "2014-01-01"}
    )
    assert response.status_code in (403, 404)
    pupil.refresh_from_db()
    assert pupil.date_of_birth is None


def test_the_persons_page_shows_it(demo, office):
    Person.objects.filter(pk=demo["pupil7"].pk).update(date_of_birth=datetime.date(2014, 3, 14))
    page = office.get(f"/people/{demo['pupil7'].pk}/").content.decode()
    assert 'id="date-of-birth">14 March 2014<' in page
