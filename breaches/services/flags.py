"""Monitoring flags (Securus captures): one at a time from a form, or many from a CSV or JSON export.

A flag on a pupil's account becomes a safeguarding concern for the DSL; one on any other account a
possible breach for the headteacher. An import is all or nothing: every row is checked first, and
a single bad row means nothing is saved; rows already recorded are skipped, so a file can be re-run.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from glenwood import limits
from glenwood.services import NotAllowed, ServiceError
from people.models import Person

from .. import permissions
from ..choices import EntryKind, Source, category_from_monitoring
from ..deadlines import triage_due_on
from ..evidence import signature_for, suggest_clause
from ..models import Case, MonitoringFlag
from ..uploads import UploadRefused, check_upload
from .common import add_entry, audit, keep
from .reporting import child_protection_suspected, concerns_for, is_headteacher, suggest_track

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
COLUMNS = ["time", "device", "location", "account", "phrase", "category", "screenshot"]
REQUIRED = ["time", "device", "account", "phrase"]
# The names monitoring exports use for the same things.
ALIASES = {
    "captured at": "time", "captured_at": "time", "date": "time", "datetime": "time", "timestamp": "time",
    "pc": "device", "computer": "device", "device name": "device", "machine": "device",
    "room": "location", "user": "account", "username": "account", "user account": "account",
    "matched phrase": "phrase", "matched_phrase": "phrase", "word": "phrase", "match": "phrase",
    "library": "category", "keyword category": "category", "violation type": "category", "type": "category",
    "capture": "screenshot", "image": "screenshot", "screenshot file": "screenshot",
}  # fmt: skip
TIME_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]


class ImportRefused(ServiceError):
    """The file was not imported; `errors` says what to fix, row by row."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(
            f"Nothing was imported: {len(errors)} problem{'s' if len(errors) != 1 else ''} to fix."
        )


@dataclass
class Capture:
    """One checked row, ready to save."""

    row: str
    captured_at: datetime.datetime
    device: str
    location: str
    account: str
    phrase: str
    person: Person
    source_category: str = ""
    screenshot: object = None


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # rows already recorded


def parse_time(value: str) -> datetime.datetime:
    value = (value or "").strip()
    parsed = None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for fmt in TIME_FORMATS:
            try:
                parsed = datetime.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueError(f"“{value}” is not a time; use 2026-11-20 14:03 or 20/11/2026 14:03")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now() + datetime.timedelta(minutes=5):
        raise ValueError(f"{value} is in the future")
    return parsed


def _person_for(school, account):
    return Person.objects.filter(school=school, username__iexact=account.strip()).first()


def _capture(school, row, values) -> Capture:
    """Check one row; ValueError says what is wrong with it."""
    missing = [c for c in REQUIRED if not str(values.get(c) or "").strip()]
    if missing:
        raise ValueError(f"no {', '.join(missing)}")
    account = str(values["account"]).strip()
    person = _person_for(school, account)
    if person is None:
        raise ValueError(f"nobody at {school} has the account “{account}”")
    text = {k: str(values.get(k) or "").strip() for k in ("device", "location", "phrase", "category")}
    if len(text["device"]) > 120 or len(text["location"]) > 120 or len(text["phrase"]) > 200:
        raise ValueError("device, location or phrase is too long")
    if len(text["category"]) > 100:
        raise ValueError("the category is too long")
    # The account is kept as the school spells it, so the same capture is recognised when re-imported.
    return Capture(
        row=row, captured_at=parse_time(str(values["time"])), device=text["device"], location=text["location"],
        account=person.username, phrase=text["phrase"], person=person, source_category=text["category"],
    )  # fmt: skip


def record_flag(
    *, actor, captured_at, device, location="", account, matched_phrase, source_category="", screenshot=None
):
    """One capture typed in from the monitoring console."""
    if not permissions.may_record_flags(actor):
        raise NotAllowed("Only the headteacher or a DSL records monitoring flags.")
    try:
        capture = _capture(
            actor.school, "form",
            {"time": captured_at.isoformat() if captured_at else "", "device": device,
             "location": location, "account": account, "phrase": matched_phrase, "category": source_category},
        )  # fmt: skip
    except ValueError as exc:
        raise ServiceError(str(exc)[:1].upper() + str(exc)[1:] + ".") from exc
    capture.screenshot = check_upload(screenshot) if screenshot else None
    existing = _existing(actor.school, capture)
    if existing:
        raise ServiceError(f"This capture is already recorded, as report {existing.case.reference}.")
    with transaction.atomic():
        return _save(actor, capture, imported_from="")


def import_flags(*, actor, data_file, screenshots=()) -> ImportResult:
    if not permissions.may_record_flags(actor):
        raise NotAllowed("Only the headteacher or a DSL imports monitoring flags.")
    school = actor.school
    rows = _read_rows(data_file)
    errors, shots = [], {}
    for shot in screenshots or []:
        try:
            shots[shot.name] = check_upload(shot)
        except UploadRefused as exc:
            errors.append(f"Screenshot {exc}")
    captures = []
    for row, values in rows:
        try:
            capture = _capture(school, row, values)
            name = str(values.get("screenshot") or "").strip()
            if name:
                if name not in shots:
                    raise ValueError(f"the screenshot “{name}” was not among the files chosen")
                capture.screenshot = shots[name]
            captures.append(capture)
        except ValueError as exc:
            errors.append(f"{row}: {exc}.")
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    name = getattr(data_file, "name", "")[:255]
    try:
        with transaction.atomic():
            for capture in captures:
                if _existing(school, capture):
                    result.skipped.append(capture.row)
                    continue
                result.created.append(_save(actor, capture, imported_from=name))
            audit_import(actor, school, name, result)
    except IntegrityError as exc:
        # Someone imported the same captures at the same moment: theirs stands, ours is undone.
        raise ImportRefused(["These captures were being imported by someone else; try again."]) from exc
    return result


def audit_import(actor, school, name, result):
    if result.created:
        audit_record(
            actor=actor, action="flags.imported", record=result.created[0], school=school,
            detail={"file": name, "created": len(result.created), "skipped": len(result.skipped)},
        )  # fmt: skip


def _existing(school, capture):
    same = {"account": capture.account, "captured_at": capture.captured_at, "matched_phrase": capture.phrase}
    return MonitoringFlag.objects.filter(school=school, **same).select_related("case").first()


def _read_rows(data_file) -> list[tuple[str, dict]]:
    if data_file.size > MAX_IMPORT_BYTES:
        raise ImportRefused([f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it."])
    data_file.seek(0)
    try:
        text = data_file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(["The file is not text in UTF-8: export it as CSV (UTF-8) or JSON."]) from exc
    try:
        rows = _json_rows(text) if text.lstrip()[:1] in ("[", "{") else _csv_rows(text)
    except limits.ImportTooLarge as exc:
        raise ImportRefused([str(exc)]) from None
    except csv.Error as exc:
        raise ImportRefused([f"The CSV cannot be read: {exc}."]) from None
    if not rows:
        raise ImportRefused(["The file has no captures in it."])
    if len(rows) > MAX_ROWS:
        raise ImportRefused([f"The file has {len(rows)} captures; import at most {MAX_ROWS} at a time."])
    return rows


def _column(name) -> str:
    name = str(name or "").strip().lower()
    return ALIASES.get(name, name)


def _csv_rows(text):
    reader = limits.csv_rows(io.StringIO(text, newline=""), max_rows=2 * MAX_ROWS)
    header = [_column(h) for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(
            [f"The file has no column for {', '.join(missing)}. Expected the columns: {', '.join(COLUMNS)}."]
        )
    return [
        (f"Row {n}", dict(zip(header, cells, strict=False)))
        for n, cells in enumerate(reader, start=2)
        if any(c.strip() for c in cells)
    ]


def _json_rows(text):
    try:
        data = limits.load_json(text, max_depth=4)  # {"flags": [{"time": ...}]} is three deep
    except json.JSONDecodeError as exc:
        raise ImportRefused([f"The JSON cannot be read: {exc.msg} (line {exc.lineno})."]) from exc
    if isinstance(data, dict):
        data = data.get("flags", data.get("captures"))
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportRefused(['The JSON must be a list of captures, or {"flags": [...]}.'])
    if len(data) > MAX_ROWS:
        raise ImportRefused([f"The file has {len(data)} captures; import at most {MAX_ROWS} at a time."])
    rows = []
    for n, item in enumerate(data, start=1):
        values = {_column(k): v for k, v in item.items()}
        for key, value in values.items():
            if isinstance(value, list | dict):
                raise ImportRefused(
                    [f"Capture {n}: the {limits.describe(key)} is a list or object, not a value."]
                )
            limits.check_cell(str(value), f"Capture {n}, {limits.describe(key)}")
        rows.append((f"Capture {n}", values))
    return rows


def _save(actor, capture, *, imported_from) -> MonitoringFlag:
    """The case a capture becomes, its first chronology entry with the screenshot, and the flag."""
    person = capture.person
    concerns = concerns_for(person)
    signature = signature_for(person, before=capture.captured_at)
    when = timezone.localtime(capture.captured_at)
    place = ", ".join(p for p in (capture.device, capture.location) if p)
    category = category_from_monitoring(capture.source_category)
    named = f" ({capture.source_category})" if capture.source_category else ""
    case = Case.objects.create(
        school=actor.school,
        led_by_chair=is_headteacher(person),
        child_protection=child_protection_suspected(category=category, concerns=concerns),
        track=suggest_track(category=category, concerns=concerns, source=Source.MONITORING),
        source=Source.MONITORING,
        category=category,
        concerns=concerns,
        subject_person=person,
        what_happened=(
            f"The monitoring service flagged “{capture.phrase}”{named} on the account {capture.account}, "
            f"on {place}, at {when:%H:%M on %-d %B %Y}."
        ),
        happened_on=when.date(),
        happened_time=when.time().replace(microsecond=0),
        where=place,
        signature=signature,
        agreement_clause=suggest_clause(signature.version.body, category) if signature else None,
        reported_by=actor,
        step_due_on=triage_due_on(timezone.localdate()),
    )
    checked = [capture.screenshot] if capture.screenshot else []
    entry = add_entry(case, actor=actor, kind=EntryKind.FLAGGED, text=case.what_happened, checked=checked)
    flag = keep(case, MonitoringFlag.objects.create(
        school=actor.school, case=case, captured_at=capture.captured_at, device=capture.device,
        location=capture.location, account=capture.account, person=person, matched_phrase=capture.phrase,
        source_category=capture.source_category, screenshot=entry.attachments.first(), imported_from=imported_from, recorded_by=actor,
    ))  # fmt: skip
    audit(
        actor, "case.reported", case, source=Source.MONITORING, track=case.track, flag=flag.pk,
        led_by_chair=case.led_by_chair,
    )  # fmt: skip
    return flag
