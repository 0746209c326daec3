"""Reading a school's MIS export: decode the file, find its columns and check every row.

Nothing here touches the database. `people.import_plan` matches the rows with the school's people
and says what applying the file would do; `people.services.import_apply` does it.
"""

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from glenwood import limits
from glenwood.services import ServiceError
from glenwood.spreadsheets import spreadsheet_safe

from .models import ImportKind, Role, VisitorKind

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

COLUMN_LABELS = {
    "first_name": "first name",
    "preferred_first_name": "preferred first name",
    "last_name": "last name",
    "preferred_last_name": "preferred last name",
    "email": "email",
    "role": "role",
    "job_title": "job title",
    "staff_code": "staff code",
    "year_group": "year group",
    "tutor_group": "tutor group",
    "admission_number": "admission number",
    "upn": "UPN",
    "start_date": "start date",
    "leaving_date": "leaving date",
    "date_of_birth": "date of birth",
    "visitor_kind": "visitor type",
    "access_expires_on": "access expires on",
}
_NAMES = ["first_name", "preferred_first_name", "last_name", "preferred_last_name", "email"]
_DATES = ["start_date", "leaving_date"]
# The columns each kind of import reads, and those it cannot do without.
KIND_COLUMNS = {
    ImportKind.PUPILS: [*_NAMES, "year_group", "tutor_group", "admission_number", "upn", *_DATES,
                        "date_of_birth"],
    ImportKind.STAFF: [*_NAMES, "role", "job_title", "staff_code", *_DATES, "date_of_birth", "visitor_kind",
                       "access_expires_on"],
    ImportKind.EVERYONE: list(COLUMN_LABELS),
}  # fmt: skip
REQUIRED_COLUMNS = {
    ImportKind.PUPILS: ["first_name", "last_name", "year_group"],
    ImportKind.STAFF: ["first_name", "last_name", "email"],
    ImportKind.EVERYONE: ["first_name", "last_name", "email", "role"],
}

# Column headings as MIS exports write them (SIMS, Arbor, Bromcom, ScholarPack, Integris) and as
# spreadsheets do, once lower-cased with the words joined by "_". Any other heading goes to the
# matching step, where the school says what it holds; that answer is kept for its next export.
COLUMN_ALIASES = {
    "first_name": ["first_name", "firstname", "forename", "legal_forename", "legal_first_name", "given_name",
                   "first", "forenames", "legal_forenames"],
    "preferred_first_name": ["preferred_forename", "preferred_first_name", "preferred_name", "known_as",
                             "chosen_forename", "chosen_name"],
    "last_name": ["last_name", "lastname", "surname", "legal_surname", "legal_last_name", "family_name",
                  "last"],
    "preferred_last_name": ["preferred_surname", "preferred_last_name", "chosen_surname"],
    "email": ["email", "email_address", "e_mail", "e_mail_address", "school_email", "work_email",
              "work_email_address", "school_email_address", "primary_email", "main_email", "pupil_email",
              "student_email", "email_work", "email_primary"],
    "role": ["role", "type", "person_type", "category", "staff_type", "staff_category", "staff_role"],
    "job_title": ["job_title", "job_role", "post", "post_title", "position"],
    "staff_code": ["staff_code", "teacher_code", "staff_initials", "initials", "code"],
    "year_group": ["year_group", "yeargroup", "year", "nc_year", "national_curriculum_year", "curriculum_year",
                   "nc_year_group", "year_group_name", "nc_year_actual"],
    "tutor_group": ["tutor_group", "reg_group", "registration_group", "reg", "form", "form_group", "tutor",
                    "class", "reg_form", "registration_form", "form_class", "tutor_group_name",
                    "registration_class"],
    "admission_number": ["admission_number", "admission_no", "adno", "adm_no", "admission", "admission_num",
                         "adm_number", "pupil_no", "student_no"],
    "upn": ["upn", "unique_pupil_number"],
    "start_date": ["start_date", "date_of_admission", "admission_date", "date_started", "started",
                   "date_of_entry", "entry_date", "employment_start_date", "contract_start_date",
                   "date_of_joining", "start_date_of_employment"],
    "leaving_date": ["leaving_date", "date_of_leaving", "leave_date", "left", "date_left", "end_date",
                     "employment_end_date", "contract_end_date", "leaving", "end_date_of_employment"],
    "date_of_birth": ["date_of_birth", "dob", "d_o_b", "birth_date", "birthdate",
                      "legal_date_of_birth"],
    "visitor_kind": ["visitor_kind", "visitor_type", "kind_of_visitor"],
    "access_expires_on": ["access_expires_on", "access_expires", "account_expires", "expires_on",
                          "expiry_date", "access_expiry"],
}  # fmt: skip
_HEADING_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}

# What people write in the role column, lower-cased: the role and, for visitors, what kind.
ROLE_WORDS = {
    "staff": (Role.STAFF, ""),
    "member of staff": (Role.STAFF, ""),
    "teacher": (Role.STAFF, ""),
    "teaching staff": (Role.STAFF, ""),
    "support staff": (Role.STAFF, ""),
    "employee": (Role.STAFF, ""),
    "pupil": (Role.PUPIL, ""),
    "student": (Role.PUPIL, ""),  # MIS exports call secondary pupils "students"
    "learner": (Role.PUPIL, ""),
    "visitor": (Role.VISITOR, ""),
    "supply": (Role.VISITOR, VisitorKind.SUPPLY),
    "supply staff": (Role.VISITOR, VisitorKind.SUPPLY),
    "supply teacher": (Role.VISITOR, VisitorKind.SUPPLY),
    "trainee": (Role.VISITOR, VisitorKind.TRAINEE),
    "trainee teacher": (Role.VISITOR, VisitorKind.TRAINEE),
    "student teacher": (Role.VISITOR, VisitorKind.TRAINEE),
    "teaching practice student": (Role.VISITOR, VisitorKind.TRAINEE),
    "external": (Role.VISITOR, VisitorKind.EXTERNAL),
    "external staff": (Role.VISITOR, VisitorKind.EXTERNAL),
    "governor": (Role.GOVERNOR, ""),
}
VISITOR_KIND_WORDS = {
    **{word: kind for word, (role, kind) in ROLE_WORDS.items() if kind},
    "other": VisitorKind.OTHER,
    "other visitor": VisitorKind.OTHER,
    "careers adviser": VisitorKind.EXTERNAL,
}

# The DfE's 23 check letters: A to Z without I, O and S.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


PROBLEMS_HEADING = "Problems"


class ImportFileError(ServiceError):
    """The file as a whole cannot be used; the message names the problem and what to do about it."""


@dataclass
class ImportRow:
    """One data row: its values as the portal stores them, and what is wrong with it."""

    number: int  # as a spreadsheet numbers it: the headings are row 1
    cells: list[str] = field(default_factory=list)  # exactly as in the file, for the rejected-rows CSV
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # the row cannot be imported
    warnings: list[str] = field(default_factory=list)  # it can, but someone should look
    unreadable: set[str] = field(default_factory=set)  # columns whose cell could not be read

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class Header:
    headings: list[str]  # as written in the file
    positions: dict[str, int]  # the portal's column -> its place in the file
    ignored: list[str]  # headings the school chose to ignore, or that this kind of import does not read
    unrecognised: list[str]  # headings neither the portal nor the school's saved matching knows
    missing: list[str]  # columns this kind of import needs and the file does not have


@dataclass
class ImportTable:
    headings: list[str]
    columns: list[str]  # the portal's names for the columns found
    ignored: list[str]  # headings the import does not use
    rows: list[ImportRow]


def decode_upload(data: bytes) -> str:
    """The file's text, or an ImportFileError that says how to save the file properly."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the largest the portal takes is "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Export fewer columns, or split the file by role."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This is an Excel workbook, not a CSV file. In Excel choose File › Save As › "
            "CSV UTF-8 (Comma delimited), then upload that file."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise ImportFileError(
            "This file is saved as UTF-16 (Excel's “Unicode text”), not UTF-8. Save it again as "
            "CSV UTF-8 (Comma delimited) and upload that file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"This file is not UTF-8 text: byte 0x{data[exc.start]:02X} on line {line} is not valid "
            "UTF-8, so the file was probably saved as “CSV (Comma delimited)” in a Windows or Latin-1 "
            "encoding. Save it again as CSV UTF-8 (Comma delimited) and upload that file."
        ) from None


def heading_key(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", heading.strip().lower()).strip("_")


def labels(columns) -> str:
    names = [COLUMN_LABELS[c] for c in columns]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    # Most exports use commas; some European-locale spreadsheets write semicolons, some tabs.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    # Bounded at the door: rows (blank ones too), the size of each cell, NUL characters.
    return limits.csv_rows(io.StringIO(text, newline=""), max_rows=2 * MAX_ROWS, delimiter=delimiter)


def read_header(text: str, kind=ImportKind.EVERYONE, saved: dict | None = None) -> Header:
    """Find the columns by their headings: the school's saved matching first, then the names MIS use."""
    try:
        headings = next(_reader(text), [])
    except csv.Error as exc:
        raise ImportFileError(f"The file could not be read as CSV on its first line: {exc}.") from None
    except limits.ImportTooLarge as exc:
        raise ImportFileError(str(exc)) from None
    saved, readable = saved or {}, KIND_COLUMNS[kind]
    positions, ignored, unrecognised = {}, [], []
    for index, heading in enumerate(headings):
        key = heading_key(heading)
        if not key:
            continue
        column = saved[key] if key in saved else _HEADING_TO_COLUMN.get(key)
        if key == PROBLEMS_HEADING.lower():
            continue  # the portal's own note on a corrected file of rejected rows
        if key not in saved and column is None:
            unrecognised.append(heading.strip())
        elif not column or column not in readable:
            ignored.append(heading.strip())
        elif column in positions:
            raise ImportFileError(
                f"Two columns hold the {COLUMN_LABELS[column]}: “{headings[positions[column]].strip()}” and "
                f"“{heading.strip()}”. Delete one of them and upload the file again."
            )
        else:
            positions[column] = index
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in positions]
    return Header(headings, positions, ignored, unrecognised, missing)


def missing_columns_error(header: Header, kind) -> ImportFileError:
    missing = header.missing
    found = ", ".join(f"“{h.strip()}”" for h in header.headings[:15] if h.strip()) or "nothing"
    return ImportFileError(
        f"The file has no {labels(missing)} column{'s' if len(missing) > 1 else ''}. The first row must "
        f"name the columns ({labels(REQUIRED_COLUMNS[kind])} at least); this file's first row has {found}."
    )


def read_table(text: str, kind=ImportKind.EVERYONE, saved: dict | None = None) -> ImportTable:
    """Split the text into rows, find the columns by their headings and clean every row."""
    header = read_header(text, kind, saved)
    if header.missing:
        raise missing_columns_error(header, kind)
    reader = _reader(text)
    try:
        next(reader, None)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} people. Split it (for example staff in one "
                    "file and pupils in another) and import each part."
                )
            rows.append(clean_row(number, cells, header.positions, width=len(header.headings), kind=kind))
    except limits.ImportTooLarge as exc:
        raise ImportFileError(str(exc)) from None
    except csv.Error as exc:
        raise ImportFileError(f"The file could not be read as CSV: {exc}.") from None
    if not rows:
        raise ImportFileError("The file has column headings but no people.")
    ignored = header.ignored + header.unrecognised
    return ImportTable(header.headings, columns=list(header.positions), ignored=ignored, rows=rows)


def clean_row(number, cells, positions, width, kind=ImportKind.EVERYONE) -> ImportRow:
    """Turn one row's cells into the values the portal stores, collecting every problem."""
    row = ImportRow(number, cells=list(cells))
    values, errors = row.values, row.errors

    def cell(column):
        index = positions.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    if any(c.strip() for c in cells[width:]):
        errors.append("This row has more cells than the file has columns; look for a stray comma.")
    for column, label in (("first_name", "first name"), ("last_name", "last name")):
        # The name the person goes by when the MIS has one, else the legal name; as written, never re-cased.
        values[column] = " ".join((cell(f"preferred_{column}") or cell(column)).split())
        if not values[column]:
            errors.append(f"The {label} is missing.")
        elif len(values[column]) > 150:
            errors.append(f"The {label} is longer than 150 characters.")

    values["email"] = cell("email").lower()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(f"“{cell('email')}” is not an email address.")

    if kind == ImportKind.PUPILS:
        roles, kind_of_visitor = frozenset({Role.PUPIL}), ""
    elif kind == ImportKind.STAFF:
        roles, kind_of_visitor = _parse_staff_role(
            cell("role"), values, errors, has_job_title="job_title" in positions
        )
    else:
        roles, kind_of_visitor = _parse_roles(cell("role"), errors)
    values["roles"] = roles
    is_pupil, is_visitor = Role.PUPIL in roles, Role.VISITOR in roles
    if roles and not is_pupil and not values["email"]:
        errors.append("An email address is needed for staff, visitors and governors.")

    year = _parse_year_group(cell("year_group"), errors)
    if cell("year_group") and year is None:
        row.unreadable.add("year_group")
    if is_pupil and not cell("year_group"):
        errors.append("A pupil needs a year group (7 to 13).")
    elif year is not None and roles and not is_pupil:
        errors.append("Only pupils have a year group; leave it blank for staff, visitors and governors.")
    if "year_group" in positions or not is_pupil:
        # Someone who is no longer a pupil has no year group, whether or not the file says so.
        values["year_group"] = year if is_pupil else None

    for column, limit in (("tutor_group", 20), ("job_title", 120), ("staff_code", 10)):
        if column in positions:
            values[column] = cell(column)
            if len(values[column]) > limit:
                errors.append(f"The {COLUMN_LABELS[column]} is longer than {limit} characters.")

    _clean_pupil_numbers(cell, positions, is_pupil, bool(roles), values, row)

    if "visitor_kind" in positions and cell("visitor_kind"):
        word = " ".join(cell("visitor_kind").lower().split())
        kind_of_visitor = VISITOR_KIND_WORDS.get(word) or VISITOR_KIND_WORDS.get(word.removesuffix("s"))
        if kind_of_visitor is None:
            row.unreadable.add("visitor_kind")
            errors.append(
                f"“{cell('visitor_kind')}” is not a visitor type: use supply, trainee, external or other."
            )
        elif roles and not is_visitor:
            errors.append("Only visitors have a visitor type; leave it blank for this person.")
    if kind_of_visitor and is_visitor:
        values["visitor_kind"] = kind_of_visitor
    elif (roles and not is_visitor) or "visitor_kind" in positions:
        values["visitor_kind"] = ""

    for column in ("start_date", "leaving_date", "date_of_birth", "access_expires_on"):
        if column in positions:
            values[column] = _parse_date(cell(column), COLUMN_LABELS[column], errors)
            if cell(column) and values[column] is None:
                row.unreadable.add(column)
    start, leaving = values.get("start_date"), values.get("leaving_date")
    if start and leaving and leaving < start:
        errors.append("The leaving date is before the start date.")
    return row


def _clean_pupil_numbers(cell, positions, is_pupil, has_role, values, row):
    values, errors = row.values, row.errors
    upn = re.sub(r"\s+", "", cell("upn")).upper()
    admission = cell("admission_number")
    if has_role and not is_pupil and (upn or admission):
        errors.append("Only pupils have a UPN or admission number; leave them blank for this person.")
    if upn:
        problem = upn_problem(upn)
        if problem and "check letter" in problem:
            # The MIS accepted it, so the pupil can be found by it; someone should still check it.
            row.warnings.append(problem)
        elif problem:
            errors.append(problem)
    if len(admission) > 20:
        errors.append("The admission number is longer than 20 characters.")
    if is_pupil and not upn and not admission:
        errors.append("A pupil needs a UPN or an admission number, so that the next import finds them.")
    if "upn" in positions:
        values["upn"] = upn
    if "admission_number" in positions:
        values["admission_number"] = admission


def _parse_roles(raw: str, errors: list[str]) -> tuple[frozenset, str]:
    words = [w.strip() for w in re.split(r"[;,]", raw) if w.strip()]
    if not words:
        errors.append("The role is missing: use staff, pupil, visitor or governor.")
    roles, kinds = set(), []
    for word in words:
        key = " ".join(word.lower().split())
        found = ROLE_WORDS.get(key) or ROLE_WORDS.get(key.removesuffix("s"))
        if found is None:
            errors.append(f"“{word}” is not a role the portal knows: use staff, pupil, visitor or governor.")
            continue
        roles.add(found[0])
        if found[1]:
            kinds.append(found[1])
    return frozenset(roles), kinds[0] if kinds else ""


def _parse_staff_role(raw: str, values: dict, errors: list[str], *, has_job_title) -> tuple[frozenset, str]:
    """In a staff export the role column is often the job ("Teaching Assistant"): anyone it does not
    name as a visitor or governor is staff, and the words become their job title."""
    if not raw:
        return frozenset({Role.STAFF}), ""
    found_errors = []
    roles, kind = _parse_roles(raw, found_errors)
    if Role.PUPIL in roles:
        errors.append("This is a staff import: pupils go in a pupil import.")
        return frozenset(), ""
    if found_errors:
        if not has_job_title:
            values["job_title"] = " ".join(raw.split())[:120]
        return frozenset({Role.STAFF}), ""
    return roles, kind


_YEAR = re.compile(r"(?:y|yr|year)?\s*0?(\d{1,2})")


def _parse_year_group(raw: str, errors: list[str]) -> int | None:
    """ "Year 7", "Y7", "Yr 7", "07" and "7" all mean Year 7."""
    if not raw:
        return None
    match = _YEAR.fullmatch(raw.strip().lower())
    year = int(match.group(1)) if match else None
    if year is None or not 7 <= year <= 13:
        errors.append(f"“{raw}” is not a year group: use 7 to 13 (for example Year 7 or Y7).")
        return None
    return year


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_MIDNIGHT = re.compile(r"\s+0?0:00(?::00)?$")  # spreadsheets add a time to dates they export


def _parse_date(raw: str, label: str, errors: list[str]) -> datetime.date | None:
    if not raw:
        return None
    text = _MIDNIGHT.sub("", raw.strip())
    try:
        if match := _ISO_DATE.fullmatch(text):
            return datetime.date(*(int(part) for part in match.groups()))
        if match := _UK_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    errors.append(f"The {label} “{raw}” is not a date: write it as 31/08/2027 or 2027-08-31.")
    return None


def rejected_rows_csv(text: str, problems: dict[int, list[str]]) -> str:
    """The rows that were not imported, exactly as in the file, with what to correct in a last column.

    Every cell is made spreadsheet-safe: a name typed as "=HYPERLINK(...)" opens as text, not a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    for number, cells in enumerate(_reader(text), start=1):
        if number == 1:
            writer.writerow([spreadsheet_safe(c) for c in cells] + [PROBLEMS_HEADING])
        elif number in problems:
            writer.writerow(
                [spreadsheet_safe(c) for c in cells] + [spreadsheet_safe(" ".join(problems[number]))]
            )
    return out.getvalue()


def upn_check_letter(digits: str) -> str:
    """The DfE check letter for the 12 characters after it: weights 2 to 13, modulus 23."""
    total = sum(
        weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
        for weight, char in enumerate(digits, start=2)
    )
    return UPN_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """What is wrong with a UPN, or None. Temporary UPNs (a letter in place of the last digit) pass."""
    if len(upn) != 13:
        return f"The UPN “{upn}” has {len(upn)} characters; a UPN has 13, a letter and 12 digits."
    if not re.fullmatch(rf"[A-Z]\d{{11}}[0-9{UPN_LETTERS}]", upn):
        return f"The UPN “{upn}” should be a letter followed by 12 digits."
    if upn[0] != upn_check_letter(upn[1:]):
        return f"The UPN “{upn}” has the wrong check letter for its digits; one of them is probably mistyped."
    return None
