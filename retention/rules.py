"""When each kind of record reaches its retention date.

One function per kind of record: given the rule and today, the records whose date has come, each
with that date and its school. Nothing here changes anything; the monthly job lists what these find.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .models import RecordKind

# The period after a "keep" decision before the same record is put to review again.
REVIEW_AGAIN_AFTER = relativedelta(years=1)


@dataclass(frozen=True)
class Due:
    record: object
    due_on: datetime.date
    school_id: int
    record_type: str = ""
    record_id: str = ""
    label: str = ""

    @property
    def key(self):
        return (self.record_type or self.record._meta.label_lower, self.record_id or str(self.record.pk))


def after(rule, start: datetime.date) -> datetime.date:
    return start + relativedelta(years=rule.years, months=rule.months, days=rule.days)


def _day(moment) -> datetime.date:
    return timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment


def _left(kind_model, rule, today):
    rows = kind_model.objects.filter(person__leaving_date__lte=today).select_related("person")
    for record in rows:
        due_on = after(rule, record.person.leaving_date)
        if due_on <= today:
            yield Due(record, due_on, record.school_id)


def signatures(rule, today):
    from agreements.models import Signature

    yield from _left(Signature, rule, today)


def declines(rule, today):
    from agreements.models import Decline

    yield from _left(Decline, rule, today)


def _closed_cases(**filters):
    from breaches.choices import Status
    from breaches.models import Case

    return Case.objects.filter(status=Status.CLOSED, **filters).select_related("subject_person")


def child_protection_start(case) -> datetime.date | None:
    """The pupil's date of birth; without one, their leaving date (later, so the record is kept longer)."""
    person = case.subject_person
    if person is None:
        return None
    return person.date_of_birth or person.leaving_date


def child_protection(rule, today):
    from breaches.choices import Concerns, Track

    for case in _closed_cases(track=Track.SAFEGUARDING, concerns=Concerns.PUPIL):
        start = child_protection_start(case)
        if start and (due_on := after(rule, start)) <= today:
            yield Due(case, due_on, case.school_id)


def is_low_level_concern(case) -> bool:
    """Kept in the confidential low-level record (its own track), or judged below the harm threshold."""
    from breaches.choices import ConcernLevel, Track

    return case.track == Track.LOW_LEVEL or case.concern_level == ConcernLevel.LOW_LEVEL


def found_malicious_or_false(case) -> bool:
    """KCSIE Part 4: the lead recorded, as the case closed, that the allegation was malicious or false."""
    from breaches.choices import REMOVED_OUTCOMES

    return case.allegation_outcome in REMOVED_OUTCOMES


def allegation_due(rule, case) -> datetime.date:
    """Normal pension age or 10 years from the allegation, whichever is later; at once if malicious or false."""
    if found_malicious_or_false(case):
        return _day(case.closed_at)
    due_on = after(rule, _day(case.reported_at))
    born = case.subject_person.date_of_birth if case.subject_person else None
    if born and rule.pension_age:
        due_on = max(due_on, born + relativedelta(years=rule.pension_age))
    return due_on


def staff_allegations(rule, today):
    from breaches.choices import Concerns

    for case in _closed_cases(concerns=Concerns.STAFF):
        if is_low_level_concern(case):
            continue
        if (due_on := allegation_due(rule, case)) <= today:
            yield Due(case, due_on, case.school_id)


def low_level_concerns(rule, today):
    from breaches.choices import Concerns

    for case in _closed_cases(concerns=Concerns.STAFF, subject_person__leaving_date__lte=today):
        if is_low_level_concern(case) and (due_on := after(rule, case.subject_person.leaving_date)) <= today:
            yield Due(case, due_on, case.school_id)


def monitoring_flags(rule, today):
    """Flags whose case was closed with nothing done: no referral, finding, outcome or sanction."""
    from breaches.models import MonitoringFlag, Referral

    flags = MonitoringFlag.objects.filter(
        case__status="closed", case__finding="", case__outcome="", case__sanction="",
        case__safeguarding_outcome="",
    ).exclude(Exists(Referral.objects.filter(case=OuterRef("case")))).select_related("case")  # fmt: skip
    for flag in flags:
        if (due_on := after(rule, _day(flag.case.closed_at))) <= today:
            yield Due(flag.case, due_on, flag.school_id)


def import_files(rule, today):
    from people.models import ImportBatch

    for batch in ImportBatch.objects.exclude(csv_text=""):
        if (due_on := after(rule, _day(batch.uploaded_at))) <= today:
            yield Due(batch, due_on, batch.school_id)


class AuditYear:
    """A school's audit entries of one calendar year: reviewed together, never one by one."""

    def __init__(self, school_id, year):
        self.school_id, self.year = school_id, year

    def __str__(self):
        return f"Audit entries of {self.year}"


def audit_entries(rule, today):
    from audit.models import AuditEntry

    years = (
        AuditEntry.objects.exclude(school=None)
        .annotate(year=ExtractYear("at"))
        .values_list("school_id", "year")
        .order_by()
        .distinct()
    )
    for school_id, year in years:
        # A year's entries reach their date when its last day does.
        due_on = after(rule, datetime.date(year, 12, 31))
        if due_on <= today:
            yield Due(
                AuditYear(school_id, year), due_on, school_id, record_type="audit.year",
                record_id=f"{school_id}:{year}", label=f"Audit entries of {year}",
            )  # fmt: skip


FINDERS = {
    RecordKind.SIGNATURE: signatures,
    RecordKind.DECLINE: declines,
    RecordKind.CHILD_PROTECTION: child_protection,
    RecordKind.STAFF_ALLEGATION: staff_allegations,
    RecordKind.LOW_LEVEL_CONCERN: low_level_concerns,
    RecordKind.MONITORING_FLAG: monitoring_flags,
    RecordKind.IMPORT_FILE: import_files,
    RecordKind.AUDIT_ENTRY: audit_entries,
}
