"""Each rule of the schedule, with the clock frozen a day before and a day after the record's date."""

import datetime

import pytest

from breaches.choices import Category, Concerns
from people.models import ImportBatch, Person
from retention.models import RecordKind, RetentionRule
from tests.retention.helpers import at, closed_case, decline, key, listed_on, sign

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def rules(db):
    return {r.kind: r for r in RetentionRule.objects.all()}


def test_the_schedule_is_seeded_with_every_kind_and_its_source(rules):
    assert set(rules) == set(RecordKind.values)
    assert all(r.source for r in rules.values())
    assert (
        "IRMS" in rules["child_protection"].source
        and "Keeping Children Safe" in rules["staff_allegation"].source
    )
    assert rules["child_protection"].years == 25 and rules["staff_allegation"].pension_age == 67


def _leaves(person, day):
    Person.objects.filter(pk=person.pk).update(leaving_date=day)


def test_a_signature_is_listed_six_years_after_its_signer_left(demo, rules):
    with at(D(2027, 1, 10)):
        signature = sign(demo["teacher"], demo["glenwood"])
    _leaves(demo["teacher"], D(2027, 7, 31))
    due = D(2033, 7, 31)
    assert key(signature) not in listed_on(due - DAY)
    assert key(signature) in listed_on(due + DAY)


def test_a_decline_is_listed_six_years_after_the_person_left(demo, rules):
    with at(D(2027, 1, 10)):
        declined = decline(demo["glenwood"])
    _leaves(declined.person, D(2027, 3, 1))
    due = D(2033, 3, 1)
    assert key(declined) not in listed_on(due - DAY)
    assert key(declined) in listed_on(due + DAY)


def test_a_child_protection_record_is_reviewed_25_years_after_the_pupils_birth(demo, rules):
    pupil = demo["pupil7"]
    Person.objects.filter(pk=pupil.pk).update(date_of_birth=D(2015, 3, 14))
    with at(D(2027, 2, 1)):
        case = closed_case(reporter=demo["teacher"], lead=demo["dsl"], concerns=Concerns.PUPIL,
                           subject=pupil, category=Category.EXPLOITATION)  # fmt: skip
    assert case.track == "safeguarding"
    due = D(2040, 3, 14)
    assert key(case) not in listed_on(due - DAY)
    assert key(case) in listed_on(due + DAY)


def test_without_a_date_of_birth_the_leaving_date_counts_instead(demo, rules):
    pupil = demo["pupil10"]
    _leaves(pupil, D(2028, 7, 20))
    with at(D(2027, 2, 1)):
        case = closed_case(reporter=demo["teacher"], lead=demo["dsl"], concerns=Concerns.PUPIL,
                           subject=pupil, category=Category.MISSING)  # fmt: skip
    due = D(2053, 7, 20)
    assert key(case) not in listed_on(due - DAY)
    assert key(case) in listed_on(due + DAY)


def test_an_allegation_about_staff_is_kept_ten_years_when_that_is_longer(demo, rules):
    teacher = demo["teacher"]
    Person.objects.filter(pk=teacher.pk).update(date_of_birth=D(1990, 5, 1))  # pension age in 2057
    with at(D(2027, 2, 1)):
        case = closed_case(reporter=demo["head"], lead=demo["head"], concerns=Concerns.STAFF, subject=teacher,
                           category=Category.PUPIL_CONTACT)  # fmt: skip
    rules["staff_allegation"].pension_age = 30  # 2020: earlier than ten years from the allegation
    rules["staff_allegation"].save()
    due = D(2037, 2, 1)
    assert key(case) not in listed_on(due - DAY)
    assert key(case) in listed_on(due + DAY)


def test_an_allegation_about_staff_is_kept_to_pension_age_when_that_is_longer(demo, rules):
    teacher = demo["teacher"]
    Person.objects.filter(pk=teacher.pk).update(date_of_birth=D(1975, 5, 1))
    with at(D(2027, 2, 1)):
        case = closed_case(reporter=demo["head"], lead=demo["head"], concerns=Concerns.STAFF, subject=teacher,
                           category=Category.PUPIL_CONTACT)  # fmt: skip
    due = D(2042, 5, 1)  # 67th birthday, after 2037
    assert key(case) not in listed_on(due - DAY)
    assert key(case) in listed_on(due + DAY)


def test_a_monitoring_flag_that_led_to_nothing_is_listed_six_months_after_closing(demo, rules):
    from breaches import services as breaches

    with at(D(2027, 2, 1)):
        flag = breaches.record_flag(actor=demo["dsl"], captured_at=datetime.datetime(2027, 2, 1, 9, tzinfo=datetime.UTC),
                                    device="ICT2-PC14", account="Y10PUPIL3", matched_phrase="kill myself")  # fmt: skip
    with at(D(2027, 2, 3)):
        breaches.triage_report(
            actor=demo["dsl"], case=flag.case, accept=False, reason="A song lyric, checked."
        )
    due = D(2027, 8, 3)
    assert key(flag.case) not in listed_on(due - DAY)
    assert key(flag.case) in listed_on(due + DAY)


def test_an_import_files_raw_text_is_listed_four_weeks_after_upload(demo, rules):
    with at(D(2027, 2, 1)):
        batch = ImportBatch.objects.create(school=demo["glenwood"], uploaded_by=demo["admin"], filename="mis.csv",
                                           csv_text="Surname,Forename\nCole,Jamie\n", sha256="0" * 64)  # fmt: skip
    due = D(2027, 3, 1)
    assert key(batch) not in listed_on(due - DAY)
    assert key(batch) in listed_on(due + DAY)


def test_a_years_audit_entries_reach_review_seven_years_after_the_year_ends(demo, rules):
    with at(D(2027, 6, 1)):
        sign(demo["teacher"], demo["glenwood"])
    year = ("audit.year", f"{demo['glenwood'].pk}:2027")
    due = D(2034, 12, 31)
    assert year not in listed_on(due - DAY)
    assert year in listed_on(due + DAY)


def test_a_low_level_concern_is_listed_when_the_person_it_concerns_leaves(demo, rules):
    from breaches import services as breaches
    from breaches.choices import Track

    teacher = demo["teacher"]
    with at(D(2027, 2, 1)):
        case = breaches.report_concern(actor=demo["dsl"], category=Category.OTHER, concerns=Concerns.STAFF,
                                       subject_person=teacher, what_happened="Sits with one pupil at lunch.")  # fmt: skip
        breaches.triage_report(actor=demo["head"], case=case, accept=True, track=Track.LOW_LEVEL)
        breaches.close_case(actor=demo["head"], case=case, reason="Spoken to; kept on the record.")
    _leaves(teacher, D(2029, 8, 31))
    assert rules["low_level_concern"].action == "delete"
    # Kept in full while they work here: the leaving day itself is the date.
    assert key(case) not in listed_on(D(2029, 8, 31) - DAY)
    assert key(case) in listed_on(D(2029, 8, 31) + DAY)


def test_a_low_level_concern_is_known_by_its_track_or_its_level(rules):
    """A case kept in the low-level record, or judged below the harm threshold at triage."""
    from types import SimpleNamespace

    from breaches.choices import ConcernLevel, Track
    from retention.rules import is_low_level_concern

    assert is_low_level_concern(SimpleNamespace(track=Track.LOW_LEVEL, concern_level=""))
    assert is_low_level_concern(
        SimpleNamespace(track=Track.DISCIPLINARY, concern_level=ConcernLevel.LOW_LEVEL)
    )
    assert not is_low_level_concern(
        SimpleNamespace(track=Track.DISCIPLINARY, concern_level=ConcernLevel.ALLEGATION)
    )


def _allegation_closed(demo, outcome, *, on):
    """An allegation about staff02, triaged as meeting the harm threshold, found no case to answer
    and closed on `on` with KCSIE's outcome."""
    from breaches import services as breaches
    from breaches.choices import ConcernLevel, Finding, Track
    from tests.breaches.conftest import friend_request_report, person

    with at(D(2027, 2, 1)):
        case = friend_request_report(demo)
        breaches.triage_report(actor=demo["head"], case=case, accept=True, track=Track.DISCIPLINARY,
                               concern_level=ConcernLevel.ALLEGATION, allegation="A friend request.")  # fmt: skip
        breaches.assign_investigator(actor=demo["head"], case=case, investigator=person(demo, "deputy"))
        breaches.record_finding(actor=person(demo, "deputy"), case=case, finding=Finding.NO_CASE,
                                summary="The account was not his.")  # fmt: skip
    with at(on):
        breaches.close_case(actor=demo["head"], case=case, reason="Disproved.", allegation_outcome=outcome)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("outcome", ["malicious", "false"])
def test_an_allegation_found_malicious_or_false_is_listed_for_removal_when_it_closes(
    demo, agreements, rules, outcome
):
    closed_on = D(2027, 3, 1)
    case = _allegation_closed(demo, outcome, on=closed_on)
    assert key(case) not in listed_on(closed_on - DAY)
    assert key(case) in listed_on(closed_on + DAY)


def test_an_unsubstantiated_allegation_is_kept_to_its_full_period(demo, agreements, rules):
    case = _allegation_closed(demo, "unsubstantiated", on=D(2027, 3, 1))
    assert key(case) not in listed_on(D(2027, 3, 2))
    assert key(case) not in listed_on(D(2037, 2, 1) - DAY)
    assert key(case) in listed_on(D(2037, 2, 1) + DAY)
