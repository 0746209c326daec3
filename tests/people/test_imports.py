"""Reading an MIS export: encodings, columns, friendly values, UPN check letters, matching."""

import datetime

import pytest

from people import imports
from people.import_plan import plan_import
from people.imports import ImportFileError, decode_upload, read_table, upn_check_letter, upn_problem

HEADER = "first_name,last_name,email,role,year_group,admission_number,upn,start_date,leaving_date\n"


def _row(text):
    """Errors and values of a one-row file."""
    return read_table(HEADER + text + "\n").rows[0]


# The DfE's worked example and numbers whose check letters were worked out by hand.
@pytest.mark.parametrize("upn", ["B801200005001", "Y850432126001", "J85043212600A"])
def test_valid_upns_pass(upn):
    assert upn_problem(upn) is None
    assert upn_check_letter(upn[1:]) == upn[0]


@pytest.mark.parametrize(
    "upn,problem",
    [
        ("A801200005001", "wrong check letter"),
        ("B801200005002", "wrong check letter"),  # a mistyped digit
        ("B80120000500", "has 12 characters"),
        ("B8012000050011", "has 14 characters"),
        ("B80120000X001", "a letter followed by 12 digits"),
        ("880120000500I", "a letter followed by 12 digits"),
    ],
)
def test_invalid_upns_say_why(upn, problem):
    assert problem in upn_problem(upn)


def test_wrong_check_letter_is_a_warning_not_an_error():
    # The MIS holds the UPN as typed, so the pupil is imported and found by it; the office checks it.
    row = _row("Jo,Bell,,pupil,7,,A801200005001,,")
    assert row.errors == []
    assert any("wrong check letter" in w for w in row.warnings)
    assert row.values["upn"] == "A801200005001"


@pytest.mark.parametrize("raw", ["Year 7", "year 7", "Y7", "y7", "Yr 7", "7", "07", " Year7 "])
def test_year_group_written_several_ways(raw):
    row = _row(f"Jo,Bell,,Pupil,{raw},7001,,,")
    assert row.errors == [] and row.values["year_group"] == 7


@pytest.mark.parametrize("raw", ["Year 14", "6", "Reception", "Year seven", "7A"])
def test_bad_year_group(raw):
    row = _row(f"Jo,Bell,,Pupil,{raw},7001,,,")
    assert any("is not a year group" in e for e in row.errors)


def test_year_group_is_for_pupils_only():
    row = _row("Jo,Bell,jo@x.example,Staff,Year 9,,,,")
    assert "Only pupils have a year group; leave it blank for staff, visitors and governors." in row.errors
    assert "A pupil needs a year group (7 to 13)." in _row("Jo,Bell,,Pupil,,7001,,,").errors


@pytest.mark.parametrize(
    "raw,roles,kind",
    [
        ("Staff", {"staff"}, None),
        ("STAFF", {"staff"}, None),
        ("Teachers", {"staff"}, None),
        ("Governor", {"governor"}, None),
        ("Supply teacher", {"visitor"}, "supply"),
        ("Trainee", {"visitor"}, "trainee"),
        ("Staff; Governor", {"staff", "governor"}, None),
    ],
)
def test_friendly_roles(raw, roles, kind):
    row = _row(f"Jo,Bell,jo@x.example,{raw},,,,,")
    assert row.errors == []
    assert row.values["roles"] == roles
    assert row.values.get("visitor_kind") == (kind or "")


def test_student_means_pupil():
    assert _row("Jo,Bell,,Student,Year 7,7001,,,").values["roles"] == {"pupil"}


def test_unknown_role():
    row = _row("Jo,Bell,jo@x.example,Parent,,,,,")
    assert "“Parent” is not a role the portal knows: use staff, pupil, visitor or governor." in row.errors


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2027-08-31", datetime.date(2027, 8, 31)),
        ("31/08/2027", datetime.date(2027, 8, 31)),
        ("1/9/2026", datetime.date(2026, 9, 1)),
        ("31.08.2027", datetime.date(2027, 8, 31)),
        ("31/08/2027 00:00", datetime.date(2027, 8, 31)),
    ],
)
def test_dates_iso_or_uk(raw, expected):
    row = _row(f"Jo,Bell,jo@x.example,staff,,,,{raw},")
    assert row.errors == [] and row.values["start_date"] == expected


@pytest.mark.parametrize("raw", ["31/02/2027", "08/31/2027x", "next Tuesday", "2027-13-01", "31/08/27"])
def test_bad_dates(raw):
    row = _row(f"Jo,Bell,jo@x.example,staff,,,,{raw},")
    assert any(f"The start date “{raw}” is not a date" in e for e in row.errors)


def test_missing_name_and_leaving_before_start():
    row = _row("  ,Bell,jo@x.example,staff,,,,01/09/2026,31/08/2026")
    assert "The first name is missing." in row.errors
    assert "The leaving date is before the start date." in row.errors


def test_headings_as_an_mis_writes_them():
    text = (
        "Legal Surname;Legal Forename;Year;Reg;Adno;UPN;Date of Admission;Type;E-mail Address\n"
        "Bell;Jo;Year 8;8L;8001;B801200005001;01/09/2025;Student;\n"
    )
    table = read_table(text)
    row = table.rows[0]
    assert row.errors == []
    assert row.values["first_name"] == "Jo" and row.values["tutor_group"] == "8L"
    assert row.values["admission_number"] == "8001" and row.values["year_group"] == 8


def test_extra_columns_are_named_not_used():
    table = read_table("First name,Last name,Email,Role,Ethnicity\nJo,Bell,jo@x.example,Staff,\n")
    assert table.ignored == ["Ethnicity"]


def test_missing_columns_name_what_is_missing():
    with pytest.raises(ImportFileError) as error:
        read_table("Forename,Surname,Year\nJo,Bell,7\n")
    assert "The file has no email and role columns" in str(error.value)
    assert "“Forename”, “Surname”, “Year”" in str(error.value)


def test_two_columns_for_one_detail():
    with pytest.raises(ImportFileError, match="Two columns hold the first name"):
        read_table("Forename,Legal Forename,Surname,Email,Role\n")


def test_utf8_with_a_byte_order_mark_is_read():
    assert decode_upload("\ufeffFirst name\nZoë".encode()) == "First name\nZoë"


def test_utf16_is_refused_with_what_to_do():
    with pytest.raises(ImportFileError, match="saved as UTF-16"):
        decode_upload("First name,Last name\nZoë,Ahmed\n".encode("utf-16"))


def test_latin1_is_refused_naming_the_line():
    with pytest.raises(ImportFileError) as error:
        decode_upload("First name,Last name\nZoë,Ahmed\n".encode("latin-1"))
    assert "not UTF-8 text: byte 0xEB on line 2" in str(error.value)


def test_excel_workbook_is_refused():
    with pytest.raises(ImportFileError, match="Excel workbook"):
        decode_upload(b"PK\x03\x04rest of a zip file")


def test_size_and_row_limits(monkeypatch):
    with pytest.raises(ImportFileError, match="the largest the portal takes is 2 MB"):
        decode_upload(b"x" * (imports.MAX_UPLOAD_BYTES + 1))
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="more than 2 people"):
        read_table("first_name,last_name,email,role\n" + "Jo,Bell,jo@x.example,staff\n" * 3)


def test_repeats_within_the_file_are_errors_on_every_row(demo):
    text = (
        "first_name,last_name,email,role,year_group,admission_number\n"
        "Jo,Bell,jo@x.example,staff,,\n"
        "Jo,Bell,JO@x.example,staff,,\n"
        "Al,Ray,,pupil,7,7050\n"
        "Al,Ray,,pupil,7,007050\n"
    )
    rows = plan_import(text, demo["glenwood"]).rows
    assert "The email jo@x.example is also on row 3." in rows[0].errors
    assert "The email jo@x.example is also on row 2." in rows[1].errors
    assert any("admission number 7050 is also on row 5" in e for e in rows[2].errors)


def test_email_of_another_person_is_a_clash(demo):
    text = "first_name,last_name,email,role,year_group,admission_number\nNew,Pupil,teacher@glenwood.example,pupil,7,7099\n"
    (row,) = plan_import(text, demo["glenwood"]).rows
    assert "The email teacher@glenwood.example already belongs to Tara Quinn (teacher)" in row.errors[0]
    text = "first_name,last_name,email,role\nOwen,Fry,hillside-teacher@hillside.example,staff\n"
    (row,) = plan_import(text, demo["glenwood"]).rows
    assert "already used by an account at another school" in row.errors[0]


def test_pupils_matched_by_upn_then_admission_number_ignoring_lost_zeros(demo):
    text = (
        "first_name,last_name,email,role,year_group,admission_number\n"
        "Finley,Jenkins,y7pupil1@glenwood.example,pupil,8,7001\n"  # Excel dropped the leading zero
    )
    (row,) = plan_import(text, demo["glenwood"]).rows
    assert row.person.username == "y7pupil1"
    assert row.change_list == [("Year group", "Year 7", "Year 8")]


def test_pupil_without_numbers_yet_is_found_by_email(demo):
    text = "first_name,last_name,email,role,year_group,upn\nJamie,Cole,pupil7@glenwood.example,pupil,7,B801200005001\n"
    (row,) = plan_import(text, demo["glenwood"]).rows
    assert row.person.username == "pupil7" and row.action == "changed"


def test_leadership_roles_are_not_the_imports_to_change(demo):
    (row,) = plan_import(
        "first_name,last_name,email,role\nHelen,Marsh,head@glenwood.example,Staff\n", demo["glenwood"]
    ).rows
    assert row.action == "unchanged"


def test_usernames_for_new_people_are_unique(demo):
    text = (
        "first_name,last_name,email,role,year_group,admission_number\n"
        "Tara,Quinn,teacher@elsewhere-glenwood.example,staff,,\n"  # local part "teacher" is taken
        "Zoë,Ahmed,,pupil,7,7090\n"
        "Zoe,Ahmed,,pupil,7,7091\n"
    )
    rows = plan_import(text, demo["glenwood"]).rows
    assert [r.username for r in rows] == ["teacher2", "zoe.ahmed", "zoe.ahmed2"]
