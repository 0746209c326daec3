"""Records made through the portal's own services at a chosen moment, and the queue as it stands."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from agreements.models import Agreement, AgreementKind, AuthMethod
from agreements.services import Evidence, decline_record, signature_record
from breaches import services as breaches
from breaches.choices import Category, Concerns
from retention.models import ReviewItem, ReviewStatus
from retention.services import review_list

LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date, hour=12):
    """Freeze the clock at midday on `day`, school time."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False
    )


def listed_on(day: datetime.date) -> set:
    """Run the monthly job on `day` and return what waits in the queue."""
    with at(day):
        review_list()
    return set(ReviewItem.objects.filter(status=ReviewStatus.WAITING).values_list("record_type", "record_id"))


def key(record):
    return (record._meta.label_lower, str(record.pk))


def sign(person, school):
    agreement = Agreement.objects.get(school=school, kind=AgreementKind.STAFF)
    version = agreement.policy.current_version
    evidence = Evidence(ip_address="192.0.2.10", user_agent="pytest", session_hash="0" * 64,
                        auth_method=AuthMethod.PASSWORD)  # fmt: skip
    return signature_record(
        signer=person, agreement=agreement, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name=person.get_full_name(), evidence=evidence,
    )  # fmt: skip


def decline(school):
    """Someone who still owes the staff agreement declines it."""
    from agreements.obligations import outstanding

    agreement = Agreement.objects.get(school=school, kind=AgreementKind.STAFF)
    person = outstanding(agreement).first()
    version = agreement.policy.current_version
    return decline_record(person=person, agreement=agreement, version=version, shown_sha256=version.sha256,
                          reason="I want to discuss clause 4 first.")  # fmt: skip


def closed_case(*, reporter, lead, concerns, subject, category=Category.OTHER, what="Something happened."):
    """A report closed at triage with no further action."""
    case = breaches.report_concern(
        actor=reporter, category=category, what_happened=what, concerns=concerns, subject_person=subject
    )
    breaches.triage_report(actor=lead, case=case, accept=False, reason="Nothing further needed.")
    case.refresh_from_db()
    return case


__all__ = ["Concerns", "at", "closed_case", "decline", "key", "listed_on", "sign"]
