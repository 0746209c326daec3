"""The agreement in force at the incident, and what governors see (suppressed small counts)."""

import datetime
import re
import zoneinfo

import time_machine
from django.utils import timezone

from agreements.models import Agreement, AgreementKind
from breaches import services
from breaches.choices import AppealResult, Category, Concerns, Outcome, Track
from breaches.models import Case

from .conftest import friend_request_report, outcome_given, person, sign

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def test_the_case_cites_the_agreement_signed_before_the_incident_not_after(demo, login):
    staff13 = person(demo, "staff13")  # not signed by the demo
    staff = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    governors = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.GOVERNOR)
    in_force = sign(staff, staff13, when=at(2026, 9, 3, 9, 15))
    sign(governors, staff13, when=at(2026, 11, 25, 12, 0))  # signed a week after the incident
    with time_machine.travel(at(2026, 11, 26, 9, 0)):
        case = friend_request_report(
            demo, subject_person=staff13, happened_on=datetime.date(2026, 11, 18),
            happened_time=datetime.time(16, 30),
        )  # fmt: skip
    assert case.signature == in_force
    page = login("head").get(f"/breaches/cases/{case.pk}/").content.decode()
    assert "Staff Acceptable Use Agreement" in page and "signed 3 September 2026" in page


def test_with_nothing_signed_before_the_incident_the_case_says_so_plainly(demo, login):
    teacher = person(demo, "staff14")
    staff = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    sign(staff, teacher, when=at(2026, 11, 20, 8, 0))  # only after the incident
    with time_machine.travel(at(2026, 11, 26, 9, 0)):
        case = friend_request_report(
            demo, subject_person=teacher, happened_on=datetime.date(2026, 11, 18), happened_time=None
        )
    assert case.signature is None
    wording = (
        f"No agreement signed before the incident: {teacher} had not signed an Acceptable Use Agreement "
        "before 18 November 2026."
    )
    assert wording in login("head").get(f"/breaches/cases/{case.pk}/").content.decode()
    # The evidence pack reads the same context (its rendering is the evidence-seal branch's).
    chronology = login("head").get(f"/breaches/cases/{case.pk}/chronology/").content.decode()
    assert "No agreement signed before the incident" in chronology


def _counts(client):
    page = client.get("/breaches/summary/").content.decode()
    table = page[page.index('id="by-category"') : page.index("</table>", page.index('id="by-category"'))]
    return page, table


def test_governors_see_fewer_than_5_for_any_count_from_1_to_4(demo, login):
    for i in range(3):
        services.report_concern(
            actor=demo["teacher"], category=Category.BULLYING, concerns=Concerns.PUPIL,
            subject_person=demo["pupil7"], what_happened=f"Bullying {i}",
        )  # fmt: skip
    for i in range(5):
        services.report_concern(
            actor=demo["teacher"], category=Category.IT_MISUSE, concerns=Concerns.PUPIL,
            subject_person=demo["pupil10"], what_happened=f"Misuse {i}",
        )  # fmt: skip
    page, table = _counts(login("governor"))
    bullying = re.search(r"Bullying or cyberbullying</th><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>", table)
    assert bullying.groups() == ("fewer than 5", "fewer than 5")
    misuse = re.search(r"Misuse of IT</th><td[^>]*>([^<]+)</td>", table)
    assert misuse.group(1) == "5"
    assert "Reports made since" in page and ": 8." in page
    assert ">3<" not in table


def test_governors_see_outcomes_after_appeal(demo, agreements, login):
    case = outcome_given(demo, friend_request_report(demo), Outcome.FINAL_WARNING)
    services.lodge_appeal(actor=person(demo, "staff02"), case=case, grounds="Too harsh.")
    services.arrange_appeal(
        actor=demo["head"],
        case=case,
        appeal_panel=[demo["governor2"]],
        appeal_hearing_on=timezone.localdate(),
    )
    services.decide_appeal(
        actor=demo["governor2"], case=case, result=AppealResult.UPHELD, outcome_after_appeal=Outcome.FIRST_WARNING,
        reasons="A first matter.",
    )  # fmt: skip
    page = login("chair").get("/breaches/summary/").content.decode()
    outcomes = page[page.index('id="outcomes"') :]
    assert "First written warning" in outcomes and "Final written warning" not in outcomes
    assert Case.objects.get(pk=case.pk).track == Track.DISCIPLINARY
