"""Real MIS exports as schools download them: a SIMS pupil list and an Arbor staff list.

Each goes through what the office sees: the headings SIMS and Arbor write are recognised, the ones
they do not are matched once and remembered, rows that cannot be imported are told apart from rows
worth a look, the good rows apply and the others download as a CSV to correct.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from people.models import ImportBatch, ImportMapping, ImportStatus, Person

DEMO = Path(__file__).resolve().parents[2] / "people" / "demo"
SIMS = DEMO / "sims-pupils-sample.csv"
ARBOR = DEMO / "arbor-staff-sample.csv"


@pytest.fixture
def office(demo, login):
    return login("admin")


def upload(client, path_or_bytes, kind, name=None):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    name = name or (path_or_bytes.name if isinstance(path_or_bytes, Path) else "export.csv")
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post("/people/import/", {"kind": kind, "file": file}, follow=True)


def match_columns(client, response, choices):
    """Fill the matching step: each unrecognised heading -> a portal column ("" ignores it)."""
    page = response.content.decode()
    fields = dict(re.findall(r'<label\s+for="id_(column_\d+)"[^>]*>\s*“([^”]+)” holds', page))
    assert set(fields.values()) == set(choices), fields
    data = {field: choices[heading] for field, heading in fields.items()}
    return client.post(response.redirect_chain[-1][0], data, follow=True)


def apply(client, batch):
    page = client.get(f"/people/import/{batch.pk}/").content.decode()
    sha = re.search(r'name="plan_sha256" value="([0-9a-f]{64})"', page).group(1)
    return client.post(f"/people/import/{batch.pk}/apply/", {"plan_sha256": sha}, follow=True)


def section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def rejected_rows(client, batch):
    response = client.get(f"/people/import/{batch.pk}/rows-to-correct.csv")
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_sims_pupil_export(demo, office):
    response = upload(office, SIMS, "pupils")
    batch = ImportBatch.objects.get()
    # SIMS's own headings (its DOB too) are recognised; only the two the portal has no use for, or does
    # not know, are asked about.
    assert response.redirect_chain[-1][0] == f"/people/import/{batch.pk}/columns/"
    assert batch.status == ImportStatus.MAPPING
    page = match_columns(office, response, {"Gender": "", "Pupil Email Address": "email"}).content.decode()
    assert ImportMapping.objects.get(school=demo["glenwood"], kind="pupils").columns == {
        "gender": "", "pupil_email_address": "email",
    }  # fmt: skip

    errors, warnings = section(page, "errors-heading"), section(page, "warnings-heading")
    assert "Cannot be imported (2)" in errors
    assert "Petra Novak" in errors and "“Year 14” is not a year group" in errors
    assert "Kian Lewis" in errors and "A pupil needs a UPN or an admission number" in errors
    assert "Imported, but worth a look (4)" in warnings
    assert re.search(r"Dan Adeyemi.*wrong check letter", warnings, re.S)
    assert re.search(r"Ayesha Khan.*No agreement covers Year 12", warnings, re.S)
    assert re.search(r"Tom Harrington.*No agreement covers Year 13", warnings, re.S)
    assert re.search(r"Ruby Turner.*Left on 18 July 2025: kept as a leaver", warnings, re.S)
    assert "Columns not used: Gender." in page

    before = Person.objects.count()
    page = apply(office, batch).content.decode()
    assert "Import applied: 7 added, 3 updated (of whom 1 leaving), 0 unchanged. 2 rows left out." in page
    assert Person.objects.count() == before + 7
    chi = Person.objects.get(admission_number="07011")
    # The preferred name is the one shown; names are stored exactly as written.
    assert (chi.first_name, chi.last_name, chi.year_group, chi.tutor_group) == ("Chi", "Okonkwo", 7, "7W")
    assert chi.email == "cokonkwo@glenwood.example" and chi.roles == {"pupil"}
    assert str(chi.date_of_birth) == "2014-11-21"
    assert Person.objects.get(admission_number="07012").last_name == "Wiśniewska"
    assert Person.objects.get(admission_number="07013").first_name == "Seán"
    assert Person.objects.get(admission_number="12001").last_name == "Khan"
    assert Person.objects.get(admission_number="09015").upn == "A850203418022"
    assert Person.objects.get(username="y7pupil1").upn == "B850203419012"
    assert str(Person.objects.get(username="y11pupil8").leaving_date) == "2025-07-18"
    assert not Person.objects.filter(last_name__in=["Novak", "Lewis"]).exists()

    rows = rejected_rows(office, batch)
    assert [(r["Legal Forename"], r["NC Year"]) for r in rows] == [("Petra", "Year 14"), ("Kian", "8")]
    assert "is not a year group" in rows[0]["Problems"]

    # Corrected and uploaded again: the saved matching means no questions this time.
    fixed = SIMS.read_text().replace("Year 14", "10").encode()
    response = upload(office, fixed, "pupils", name="sims-fixed.csv")
    second = ImportBatch.objects.latest("pk")
    assert response.redirect_chain == [(f"/people/import/{second.pk}/", 302)]
    assert "1 new" in response.content.decode()
    assert AuditEntry.objects.filter(action="import_mapping.saved").count() == 1


def test_arbor_staff_export(demo, office):
    response = upload(office, ARBOR, "staff")
    batch = ImportBatch.objects.get()
    page = match_columns(office, response, {"Title": ""}).content.decode()

    errors, warnings = section(page, "errors-heading"), section(page, "warnings-heading")
    assert "Cannot be imported (2)" in errors
    assert "Owen Price" in errors and "An email address is needed" in errors
    assert "Fatima Rahman" in errors and "“fatima.rahman@glenwood” is not an email address" in errors
    assert "Imported, but worth a look (1)" in warnings
    assert re.search(r"Janet Hollis.*Left on 31 August 2025: added as a leaver", warnings, re.S)

    page = apply(office, batch).content.decode()
    assert "Import applied: 6 added, 2 updated (of whom 1 leaving), 0 unchanged. 2 rows left out." in page
    ben = Person.objects.get(email="ben.adebayo@glenwood.example")
    assert (ben.first_name, ben.staff_code, ben.job_title, ben.roles) == (
        "Ben",
        "BAD",
        "Teacher of Maths",
        {"staff"},
    )
    charlotte = Person.objects.get(email="charlotte.dubois@glenwood.example")
    assert charlotte.roles == {"staff"} and charlotte.job_title == "SEN Teaching Assistant"
    assert Person.objects.get(email="marcus.greene@glenwood.example").roles == {"staff"}
    lucy = Person.objects.get(email="lucy.barnes@glenwood.example")
    assert lucy.roles == {"visitor"} and lucy.visitor_kind == "supply"
    assert Person.objects.get(email="ravi.kapoor@glenwood.example").visitor_kind == "trainee"
    assert Person.objects.get(username="teacher").staff_code == "TQU"

    rows = rejected_rows(office, batch)
    assert [r["Legal Last Name"] for r in rows] == ["Price", "Rahman"]

    # The next staff export goes straight to the check; a pupil export still asks its own questions.
    assert upload(office, ARBOR, "staff").redirect_chain[-1][0].endswith(f"/{batch.pk + 1}/")
    assert upload(office, SIMS, "pupils").redirect_chain[-1][0].endswith("/columns/")


def test_a_name_typed_as_a_formula_is_kept_as_given_and_exported_as_text(demo, office):
    data = (
        b"Legal Forename,Legal Surname,NC Year,Adno\r\n"
        b'"=HYPERLINK(""http://evil.example"")",Smith,7,07077\r\n'
        b"+Jo,Bell,Year 15,07078\r\n"
    )
    upload(office, data, "pupils")
    batch = ImportBatch.objects.get()
    apply(office, batch)
    assert Person.objects.get(admission_number="07077").first_name == '=HYPERLINK("http://evil.example")'
    raw = office.get(f"/people/import/{batch.pk}/rows-to-correct.csv").content.decode()
    assert raw.splitlines()[1].startswith("'+Jo,Bell,Year 15")


def test_a_pupil_list_needs_no_role_column_but_a_staff_list_refuses_pupils(demo, office):
    page = upload(office, b"Forename,Surname,Year,Adno\r\nJo,Bell,7,07100\r\n", "pupils").content.decode()
    assert "1 new" in page
    page = upload(
        office, b"Forename,Surname,Email,Role\r\nJo,Bell,jo.bell@glenwood.example,Student\r\n", "staff"
    ).content.decode()
    assert "This is a staff import: pupils go in a pupil import." in page


def test_matching_that_still_lacks_a_needed_column_says_so(demo, office):
    response = upload(office, b"Given,Family,NC Year,Adno\r\nJo,Bell,7,07100\r\n", "pupils")
    page = match_columns(office, response, {"Given": "first_name", "Family": ""}).content.decode()
    assert "The file still has no column for the last name: choose which heading holds it." in page
    assert not ImportMapping.objects.exists()
    page = match_columns(office, response, {"Given": "first_name", "Family": "last_name"}).content.decode()
    assert "1 new" in page


@pytest.mark.parametrize(
    "mis,kind,headings",
    [
        ("SIMS", "pupils", "Legal Surname,Legal Forename,Preferred Forename,Adno,UPN,NC Year,Reg Group,Date of Leaving"),
        ("Arbor", "staff", "Legal First Name,Preferred First Name,Legal Last Name,Staff Code,Work Email,Role,Employment End Date"),
        ("Bromcom", "pupils", "Legal First Name,Preferred First Name,Legal Last Name,Year Group,Tutor Group,UPN,Admission Number,Leaving Date,Email Address"),
        ("ScholarPack", "pupils", "Forename,Surname,Year,Class,UPN,Admission No"),
        ("Integris", "pupils", "Legal Forename,Legal Surname,Preferred Surname,NC Year,Registration Group,Admission Number,UPN,Date of Leaving"),
        ("SIMS staff", "staff", "Legal Forename,Preferred Forename,Legal Surname,Staff Code,Work Email Address,Staff Role"),
    ],
)  # fmt: skip
def test_each_mis_writes_headings_the_portal_knows(mis, kind, headings):
    from people.imports import read_header

    header = read_header(headings + "\n", kind)
    assert header.unrecognised == [] and header.missing == [], mis
