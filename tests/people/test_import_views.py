"""Importing people from an MIS export as a school administrator does it: check, then apply."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from people.models import ImportBatch, ImportStatus, Person
from people.services import import_plan_for

SAMPLE = Path(__file__).resolve().parents[2] / "people" / "demo" / "mis-export-sample.csv"


def _upload(client, data: bytes, name="mis-export.csv", kind="everyone"):
    return client.post(
        "/people/import/",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
        follow=True,
    )


def _apply(client, batch, follow=True):
    page = client.get(f"/people/import/{batch.pk}/").content.decode()
    shown = re.search(r'name="plan_sha256" value="([0-9a-f]{64})"', page)
    sha = shown.group(1) if shown else import_plan_for(batch).sha256
    return client.post(f"/people/import/{batch.pk}/apply/", {"plan_sha256": sha}, follow=follow)


@pytest.fixture
def admin(demo, login):
    return login("admin")


def test_good_file_shows_its_changes_then_applies_them(demo, admin):
    before = Person.objects.count()
    response = _upload(admin, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    assert response.redirect_chain == [(f"/people/import/{batch.pk}/", 302)]
    page = response.content.decode()
    for text in ["6 new", "6 changed", "1 leaving", "2 unchanged", "Nadia Carter", "ncarter", "Tutor group",
                 "B850203419012", "Ruby Turner: left on 23 October 2026", "Apply these changes"]:  # fmt: skip
        assert text in page, text
    # The dry run changes nothing.
    assert Person.objects.count() == before and batch.status == ImportStatus.DRY_RUN
    assert Person.objects.get(username="y7pupil1").upn == ""
    assert AuditEntry.objects.filter(action="people_import.checked", record_id=str(batch.pk)).exists()

    response = _apply(admin, batch)
    assert "Import applied: 6 added, 6 updated (of whom 1 leaving), 2 unchanged." in response.content.decode()
    assert Person.objects.count() == before + 6
    nadia = Person.objects.get(username="ncarter")
    assert nadia.school == demo["glenwood"] and nadia.year_group == 7 and nadia.tutor_group == "7W"
    assert nadia.upn == "R850211519004" and nadia.roles == {"pupil"}
    assert not nadia.has_usable_password()
    hannah = Person.objects.get(username="hannah.moore")
    assert hannah.roles == {"visitor"} and hannah.visitor_kind == "trainee"
    assert str(hannah.access_expires_on) == "2027-03-26"
    finley = Person.objects.get(username="y7pupil1")
    assert (finley.upn, finley.tutor_group) == ("B850203419012", "7G")
    assert Person.objects.get(username="governor2").roles == {"staff", "governor"}
    assert str(Person.objects.get(username="supply").access_expires_on) == "2027-07-23"

    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.applied_by == demo["admin"]
    assert batch.summary["counts"]["new"] == 6
    applied = AuditEntry.objects.get(action="people_import.applied", record_id=str(batch.pk))
    assert applied.actor == demo["admin"] and applied.detail["new"] == 6
    assert AuditEntry.objects.filter(action="person.imported").count() == 6
    entry = AuditEntry.objects.for_record(finley).get(action="person.updated")
    assert entry.detail["import"] == batch.pk and entry.detail["changes"]["upn"] == ["", "B850203419012"]


def test_a_bad_row_is_left_out_and_the_good_rows_apply(demo, admin):
    data = (
        SAMPLE.read_bytes() + b"Mo,Shah,mo.shah@glenwood.example,Pupil,Year 14,14G,07099,,01/09/2026,,,\r\n"
    )
    before = Person.objects.count()
    page = _upload(admin, data).content.decode()
    assert "Cannot be imported (1)" in page
    assert "Row 16" in page and "Mo Shah" in page and "“Year 14” is not a year group" in page
    assert "Apply the good rows, leave out 1" in page
    batch = ImportBatch.objects.get()

    response = _apply(admin, batch)
    assert "Import applied: 6 added, 6 updated (of whom 1 leaving), 2 unchanged. 1 row left out." in (
        response.content.decode()
    )
    assert Person.objects.count() == before + 6
    assert not Person.objects.filter(last_name="Shah", first_name="Mo").exists()
    assert Person.objects.get(username="y7pupil1").upn == "B850203419012"
    rejected = admin.get(f"/people/import/{batch.pk}/rows-to-correct.csv").content.decode()
    assert rejected.splitlines()[1].startswith("Mo,Shah,mo.shah@glenwood.example,Pupil,Year 14")
    assert "is not a year group" in rejected.splitlines()[1]


def test_import_nothing_leaves_everyone_as_they_were(demo, admin):
    _upload(admin, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    response = admin.post(f"/people/import/{batch.pk}/discard/", follow=True)
    assert f"Nothing from {batch.filename} was imported." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED
    assert Person.objects.get(username="y7pupil1").upn == ""
    response = admin.post(f"/people/import/{batch.pk}/apply/", {"plan_sha256": "0" * 64}, follow=True)
    assert (
        "Nothing from this file was to be imported; upload it again to import it."
        in response.content.decode()
    )
    assert not Person.objects.filter(username="ncarter").exists()


@pytest.mark.parametrize(
    "row,message",
    [
        (",Shah,mo@glenwood.example,Staff,,,,,,,,", "The first name is missing."),
        ("Mo,Shah,mo@glenwood.example,Parent,,,,,,,,", "“Parent” is not a role the portal knows"),
        ("Mo,Shah,teacher@glenwood.example,Staff,,,,,,,,", "is also on row 9"),
        ("Mo,Shah,,Pupil,Y9,9G,07001,,,,,", "admission number 07001 is also on row 2"),
        ("Mo,Shah,head@glenwood.example,Pupil,Y9,9G,09099,,,,,", "already belongs to Helen Marsh (head)"),
        ("Mo,Shah,mo@glenwood.example,Staff,,,,,32/01/2026,,,", "The start date “32/01/2026” is not a date"),
        ("Mo,Shah,,Pupil,Y9,9G,09099,A801200005001,,,,", "has the wrong check letter"),
    ],
)
def test_each_kind_of_bad_row_is_explained(demo, admin, row, message):
    page = _upload(admin, SAMPLE.read_bytes() + row.encode() + b"\r\n").content.decode()
    assert "Row 16" in page
    assert message in page.replace("&#x27;", "'")


@pytest.mark.parametrize(
    "data,message",
    [
        (SAMPLE.read_text(encoding="utf-8-sig").encode("utf-16"), "This file is saved as UTF-16"),
        (
            SAMPLE.read_text(encoding="utf-8-sig").encode("latin-1"),
            "This file is not UTF-8 text: byte 0xEB on line 7",
        ),
        (b"Forename,Surname,Year\r\nJo,Bell,7\r\n", "The file has no email and role columns"),
        (b"", "The submitted file is empty."),
    ],
    ids=["utf-16", "latin-1", "missing columns", "empty"],
)
def test_unreadable_file_gets_a_clear_message_not_an_error(demo, admin, data, message):
    response = _upload(admin, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_too_large_a_file_is_refused_before_reading(demo, admin, monkeypatch):
    from people import forms

    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    response = _upload(admin, SAMPLE.read_bytes())
    assert "the largest the portal takes is" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_applying_twice_does_nothing_more(demo, admin):
    _upload(admin, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    page = admin.get(f"/people/import/{batch.pk}/").content.decode()
    sha = re.search(r'name="plan_sha256" value="([0-9a-f]{64})"', page).group(1)
    admin.post(f"/people/import/{batch.pk}/apply/", {"plan_sha256": sha})
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    response = admin.post(f"/people/import/{batch.pk}/apply/", {"plan_sha256": sha}, follow=True)
    assert response.status_code == 200
    assert "This file has already been imported; nothing more was changed." in response.content.decode()
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, entries)


def test_uploading_the_same_file_again_changes_nothing_and_says_so(demo, admin):
    _upload(admin, SAMPLE.read_bytes())
    _apply(admin, ImportBatch.objects.get())
    page = _upload(admin, SAMPLE.read_bytes()).content.decode()
    assert "This same file was already imported on" in page
    assert "0 new" in page and "0 changed" in page and "14 unchanged" in page


def test_apply_refuses_when_records_changed_since_the_check(demo, admin):
    _upload(admin, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    shown = import_plan_for(batch).sha256
    Person.objects.filter(username="y7pupil3").update(tutor_group="7W")  # someone else got there first
    response = admin.post(f"/people/import/{batch.pk}/apply/", {"plan_sha256": shown}, follow=True)
    assert "The school&#x27;s records have changed since this file was checked" in response.content.decode()
    assert not Person.objects.filter(username="ncarter").exists()


def test_leaver_is_kept_with_their_signatures_and_owes_nothing_more(demo, admin):
    from agreements.models import Agreement, Signature
    from agreements.obligations import outstanding
    from agreements.services import Evidence, signature_record

    pupil = Person.objects.get(username="y11pupil8")
    agreement = Agreement.objects.get(school=demo["glenwood"], kind="ks4")
    version = agreement.policy.current_version
    signature = signature_record(
        signer=pupil, agreement=agreement, version=version, shown_sha256=version.sha256, consent_given=True,
        typed_name=pupil.get_full_name(), witness=demo["teacher"], evidence=Evidence(None, "test", "", "password"),
    )  # fmt: skip
    other = Person.objects.get(username="y11pupil7")
    assert other in outstanding(agreement)
    assert Person.objects.current().filter(pk=pupil.pk).exists()
    _upload(admin, SAMPLE.read_bytes())
    _apply(admin, ImportBatch.objects.get())
    pupil.refresh_from_db()
    assert str(pupil.leaving_date) == "2026-10-23"
    assert not Person.objects.current().filter(pk=pupil.pk).exists()
    assert Person.objects.leavers().filter(pk=pupil.pk).exists()
    assert list(Signature.objects.filter(person=pupil)) == [signature]
    assert pupil not in outstanding(agreement)


def test_recent_imports_are_listed_and_the_sample_downloads(demo, admin):
    _upload(admin, SAMPLE.read_bytes(), name="autumn-census.csv")
    assert "autumn-census.csv" in admin.get("/people/import/").content.decode()
    response = admin.get("/people/import/sample.csv")
    assert response["Content-Disposition"] == 'attachment; filename="mis-export-sample.csv"'
    assert b"".join(response.streaming_content) == SAMPLE.read_bytes()


def test_upload_form_sends_the_file(demo, admin):
    assert 'enctype="multipart/form-data"' in admin.get("/people/import/").content.decode()


def test_import_batches_are_read_only_in_the_django_admin(demo, admin, login):
    _upload(admin, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    client = login("techadmin")
    page = client.get("/admin/people/importbatch/").content.decode()
    assert "mis-export.csv" in page and "Checked, not applied" in page
    assert client.get(f"/admin/people/importbatch/{batch.pk}/change/").status_code == 200
    assert client.get("/admin/people/importbatch/add/").status_code == 403
    assert client.post(f"/admin/people/importbatch/{batch.pk}/delete/").status_code == 403
