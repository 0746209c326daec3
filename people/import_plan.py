"""What applying an MIS export would do to a school's people: who is new, what changes, who leaves.

`plan_import` reads the database and never writes to it. The dry-run page shows its plan; the
apply service makes the same plan again inside its transaction and carries it out only if it is
still the plan the person was shown (the plan's SHA-256).

Matching: pupils by UPN, then admission number (leading zeros ignored, as spreadsheets drop them),
then by email if the pupil with that email has neither number yet (their first import); everyone
else by email. All within the school.
"""

import datetime
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .imports import COLUMN_LABELS, MAX_ROWS, ImportRow, read_table
from .models import ImportKind, Person, Role, VisitorKind
from .rules import IMPORTED_ROLES, field_problems
from .year_groups import agreement_for_year, year_agreements

FIELD_LABELS = {key: label[0].upper() + label[1:] for key, label in COLUMN_LABELS.items()} | {
    "roles": "Roles"
}
MAX_ERRORS_KEPT = MAX_ROWS  # all of them: the rows left out are downloaded from this list


@dataclass
class RowPlan:
    row: ImportRow
    person: Person | None = None  # the existing person this row is about, if any
    changes: dict = field(default_factory=dict)  # field -> (old, new)
    username: str = ""  # for a new person

    @property
    def number(self) -> int:
        return self.row.number

    @property
    def values(self) -> dict:
        return self.row.values

    @property
    def errors(self) -> list[str]:
        return self.row.errors

    @property
    def warnings(self) -> list[str]:
        return self.row.warnings

    @property
    def name(self) -> str:
        return self.row.name or "(no name)"

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        if self.person is None:
            return "new"
        return "changed" if self.changes else "unchanged"

    @property
    def leaving_date(self) -> datetime.date | None:
        return self.values.get("leaving_date")

    @property
    def is_leaver(self) -> bool:
        """This import gives the person a leaving date (or a new one)."""
        if self.person is None:
            return self.leaving_date is not None
        return "leaving_date" in self.changes and self.leaving_date is not None

    @property
    def has_left(self) -> bool:
        return self.leaving_date is not None and self.leaving_date <= timezone.localdate()

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        return [(FIELD_LABELS[k], display(k, old), display(k, new)) for k, (old, new) in self.changes.items()]

    @property
    def details(self) -> list[tuple[str, str]]:
        """A new person's values, for the dry-run page."""
        skip = {"first_name", "last_name"}
        return [(FIELD_LABELS[k], display(k, v)) for k, v in self.values.items() if k not in skip and v]


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    columns: list[str]
    ignored_columns: list[str]
    headings: list[str] = field(default_factory=list)

    def _with(self, action):
        return [row for row in self.rows if row.action == action]

    @cached_property
    def rows_with_errors(self):
        return self._with("error")

    @cached_property
    def new(self):
        return self._with("new")

    @cached_property
    def changed(self):
        return self._with("changed")

    @cached_property
    def unchanged(self):
        return self._with("unchanged")

    @cached_property
    def leavers(self):
        return [row for row in self.rows if row.action in ("new", "changed") and row.is_leaver]

    @cached_property
    def rows_with_warnings(self):
        return [row for row in self.rows if row.warnings and not row.errors]

    @property
    def can_apply(self) -> bool:
        """Something to do: the good rows go in and the rows with errors are left out."""
        return bool(self.new or self.changed)

    @cached_property
    def counts(self) -> dict:
        return {
            "rows": len(self.rows),
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "leavers": len(self.leavers),
            "errors": len(self.rows_with_errors),
            "warnings": len(self.rows_with_warnings),
        }

    @cached_property
    def sha256(self) -> str:
        """A fingerprint of everything applying would do, to tell whether it is what was shown."""
        data = [
            [row.number, row.action, row.person.pk if row.person else None, row.username,
             {k: [plain_value(old), plain_value(new)] for k, (old, new) in row.changes.items()},
             {k: plain_value(v) for k, v in row.values.items()}, row.errors, row.warnings]
            for row in self.rows
        ]  # fmt: skip
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def summary(self) -> dict:
        return {
            "counts": self.counts,
            "plan_sha256": self.sha256,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "errors": [
                {"row": row.number, "name": row.name, "errors": row.errors}
                for row in self.rows_with_errors[:MAX_ERRORS_KEPT]
            ],
            "warnings": [
                {"row": row.number, "name": row.name, "warnings": row.warnings}
                for row in self.rows_with_warnings[:MAX_ERRORS_KEPT]
            ],
            "rejected_rows": [row.number for row in self.rows_with_errors],
        }


def display(key, value) -> str:
    if value is None or value == "" or value == frozenset():
        return "(blank)"
    if isinstance(value, datetime.date):
        return format_date(value, "j M Y")
    if key == "roles":
        return ", ".join(Role(r).label for r in Role.values if r in value)
    if key == "year_group":
        return f"Year {value}"
    if key == "visitor_kind":
        return VisitorKind(value).label
    return str(value)


def plain_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def admission_key(number: str) -> str:
    return (number.lstrip("0") or "0") if number else ""


def imported_roles(person) -> frozenset:
    """The roles an import manages that the person holds (prefetched role assignments)."""
    return frozenset(a.role for a in person.role_assignments.all() if a.role in IMPORTED_ROLES)


class _Index:
    """The school's people by email, UPN and admission number; lists, since old data may repeat."""

    def __init__(self, people):
        self.email, self.upn, self.admission = {}, {}, {}
        for person in people:
            for index, key in (
                (self.email, person.email.lower()),
                (self.upn, person.upn.upper()),
                (self.admission, admission_key(person.admission_number)),
            ):
                if key:
                    index.setdefault(key, []).append(person)


def plan_import(text: str, school, kind=ImportKind.EVERYONE, saved: dict | None = None) -> ImportPlan:
    table = read_table(text, kind, saved)
    rows = [RowPlan(row) for row in table.rows]
    _flag_repeats_within_file(rows)
    index = _Index(Person.objects.filter(school=school).prefetch_related("role_assignments"))
    emails = {row.values["email"] for row in rows if row.values["email"]}
    elsewhere = set(
        Person.objects.exclude(school=school)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    for row in rows:
        _match(row, index, elsewhere)
    _warn(rows, year_agreements(school.pk))
    _choose_usernames(rows)
    return ImportPlan(
        rows=rows, columns=table.columns, ignored_columns=table.ignored, headings=table.headings
    )


def _warn(rows, by_year):
    """What can be imported but deserves a look: a leaver added or marked today, a year no agreement covers."""
    today = timezone.localdate()
    for row in rows:
        if row.errors:
            continue
        leaving = row.leaving_date
        if leaving and leaving <= today and (row.person is None or "leaving_date" in row.changes):
            row.warnings.append(
                f"Left on {format_date(leaving, 'j F Y')}: {'added' if row.person is None else 'kept'} as a "
                "leaver, who owes nothing."
            )
        year = row.values.get("year_group")
        has_left = leaving is not None and leaving <= today
        if (
            Role.PUPIL in row.values["roles"]
            and year
            and not has_left
            and not agreement_for_year(by_year, year)
        ):
            row.warnings.append(
                f"No agreement covers Year {year}, so this pupil will owe nothing: choose one on the "
                "Year groups page."
            )


def _flag_repeats_within_file(rows):
    for key, label in (("email", "email"), ("upn", "UPN"), ("admission_number", "admission number")):
        seen = {}
        for row in rows:
            value = row.values.get(key, "")
            if value:
                seen.setdefault(admission_key(value) if key == "admission_number" else value, []).append(row)
        for repeated in (group for group in seen.values() if len(group) > 1):
            for row in repeated:
                others = [str(r.number) for r in repeated if r is not row]
                row.errors.append(
                    f"The {label} {row.values[key]} is also on row{'s' if len(others) > 1 else ''} "
                    f"{', '.join(others)}."
                )


def _match(row, index, elsewhere):
    values = row.values
    if not values["roles"]:
        return  # an unknown role: no way to tell how to find the person
    email, upn = values["email"], values.get("upn", "")
    admission = admission_key(values.get("admission_number", ""))
    if Role.PUPIL in values["roles"]:
        found = (upn and index.upn.get(upn)) or (admission and index.admission.get(admission)) or []
        if not found and email:
            found = [
                p
                for p in index.email.get(email, [])
                if Role.PUPIL in imported_roles(p) and not p.upn and not p.admission_number
            ]
    else:
        found = index.email.get(email, []) if email else []
    if len(found) > 1:
        names = ", ".join(f"{p} ({p.username})" for p in found)
        row.errors.append(
            f"More than one person at the school matches this row: {names}. Correct them first."
        )
        return
    row.person = person = found[0] if found else None

    for key, label, owners in (
        ("email", "email", index.email.get(email)),
        ("upn", "UPN", index.upn.get(upn)),
        ("admission_number", "admission number", index.admission.get(admission)),
    ):
        others = [p for p in owners or [] if p != person]
        if values.get(key) and others:
            row.errors.append(
                f"The {label} {values[key]} already belongs to {others[0]} ({others[0].username}), "
                "who is not the person on this row."
            )
    if email in elsewhere:
        row.errors.append(
            f"The email {email} is already used by an account at another school; ask a trust administrator."
        )
    if person is not None:
        row.changes = _changes(person, values)
    _check_final_state(row)


def _changes(person, values) -> dict:
    changes = {}
    for key, new in values.items():
        old = imported_roles(person) if key == "roles" else getattr(person, key)
        if key == "email":
            # A pupil's blank email in the MIS leaves the one the portal holds.
            same = not new or old.lower() == new
        elif key == "admission_number":
            same = admission_key(old) == admission_key(new)
        else:
            same = old == new
        if not same:
            changes[key] = (old, new)
    return changes


def _check_final_state(row):
    """The person as they would be after the import must follow the same rules as the edit form."""
    person, values = row.person, row.values

    def final(key, default=None):
        if key in values:
            return values[key]
        return getattr(person, key) if person is not None else default

    problems = field_problems(
        roles=values["roles"],
        year_group=final("year_group"),
        visitor_kind=final("visitor_kind", ""),
        start_date=final("start_date"),
        leaving_date=final("leaving_date"),
        date_of_birth=values.get(
            "date_of_birth"
        ),  # only one the file gives: an old one is not its row's fault
    )
    for name, message in problems.items():
        # A cell that could not be read has already been explained; do not explain it twice.
        if name not in row.row.unreadable and message not in row.errors:
            row.errors.append(message)


def _choose_usernames(rows):
    new = [row for row in rows if row.action == "new"]
    if not new:
        return
    taken = {name.lower() for name in Person.objects.values_list("username", flat=True)}
    for row in new:
        base = _username_base(row.values)
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate.lower())
        row.username = candidate


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _username_base(values) -> str:
    """From the email's local part, else first.last; only the characters Django usernames allow."""
    if values["email"]:
        base = re.sub(r"[^a-z0-9._-]+", "", _ascii(values["email"].split("@")[0]))
    else:
        parts = (re.sub(r"[^a-z0-9]+", "", _ascii(values[k])) for k in ("first_name", "last_name"))
        base = ".".join(p for p in parts if p)
    return (base or "person")[:140]
