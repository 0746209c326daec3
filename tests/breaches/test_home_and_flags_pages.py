"""Home-page items, the navigation each role sees, and the monitoring-flag pages."""

import pytest
from django.utils import timezone

from breaches import services
from breaches.choices import Category, Concerns
from breaches.models import Case

from .conftest import hearing_arranged, investigating, outcome_given, person
from .files import PHP, png, upload


def nav_labels(client):
    return [label for label, _ in client.get("/").context["nav"]]


@pytest.mark.parametrize(
    "username,has_cases,has_summary",
    [("head", True, False), ("deputy", True, False), ("dsl", True, False), ("teacher", False, False),
     ("pupil7", False, False), ("governor", False, True), ("chair", True, True), ("supply", False, False)],
)  # fmt: skip
def test_every_signed_in_person_may_report_and_leads_see_cases(demo, login, username, has_cases, has_summary):
    labels = nav_labels(login(username))
    assert "Report a concern" in labels
    assert ("Cases" in labels) is has_cases
    assert ("Concerns summary" in labels) is has_summary


def attention(client):
    return [(i.title, i.note) for i in client.get("/").context["items"]]


def test_a_backlog_of_reports_names_the_first_ten_and_counts_the_rest(demo, login):
    for n in range(12):
        services.report_concern(
            actor=demo["teacher"], category=Category.RADICALISATION, concerns=Concerns.PUPIL,
            subject_person=demo["pupil10"], what_happened=f"Concern number {n}.",
        )  # fmt: skip
    items = attention(login("head"))
    assert len([t for t, _ in items if t.startswith("Triage report")]) == 10
    assert ("2 more reports to triage", "On the case list") in items
    more = next(i for i in login("head").get("/").context["items"] if i.title == "2 more reports to triage")
    assert more.url == "/breaches/cases/?status=reported"


def test_reports_to_triage_go_to_the_head_and_safeguarding_to_the_dsl(demo, login, report):
    concern = services.report_concern(
        actor=demo["teacher"], category=Category.RADICALISATION, concerns=Concerns.PUPIL,
        subject_person=demo["pupil10"], what_happened="Extremist videos shared in form time.",
    )  # fmt: skip
    head = [t for t, _ in attention(login("head"))]  # the head is a DSL too in the demo school
    assert f"Triage report {report.reference}" in head and f"Triage report {concern.reference}" in head
    dsl = [t for t, _ in attention(login("dsl"))]
    assert f"Triage report {concern.reference}" in dsl and f"Triage report {report.reference}" not in dsl
    assert not [t for t, _ in attention(login("teacher")) if "report" in t.lower()]


def test_the_investigator_the_panel_and_the_person_concerned_are_told_what_is_theirs(demo, login, report):
    investigating(demo, report)
    assert f"Investigate case {report.reference}" in [t for t, _ in attention(login("deputy"))]
    assert attention(login("staff02"))[0][0] == "A report concerning you"


def test_the_person_concerned_is_told_of_their_appeal_window(demo, login, report):
    outcome_given(demo, report)
    title, note = attention(login("staff02"))[0]
    assert title == "A report concerning you" and note.startswith("You may appeal until")


def test_the_panel_is_told_of_the_hearing(demo, login, report):
    hearing_arranged(demo, report)
    assert f"Hearing panel for case {report.reference}" in [t for t, _ in attention(login("staff01"))]


def test_the_dsl_records_a_flag_from_the_form(demo, login):
    client = login("dsl")
    response = client.post(
        "/breaches/flags/new/",
        {"captured_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "account": "y9pupil2",
         "device": "LIB-PC03", "location": "Library", "matched_phrase": "run away",
         "source_category": "Self-harm", "screenshot": png()},
        follow=True,
    )  # fmt: skip
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/breaches/cases/{case.pk}/"
    assert "Flag recorded as report" in response.content.decode()
    assert case.track == "safeguarding" and case.attachments.count() == 1
    assert (case.category, case.flag.source_category) == ("self_harm", "Self-harm")


def test_a_refused_screenshot_keeps_the_flag_form_filled(demo, login):
    response = login("dsl").post(
        "/breaches/flags/new/",
        {"captured_at": "2026-11-19T10:02", "account": "y9pupil2", "device": "LIB-PC03",
         "matched_phrase": "run away", "screenshot": upload("cap.png", PHP)},
    )  # fmt: skip
    page = response.content.decode()
    assert "“cap.png” was refused" in page and 'value="LIB-PC03"' in page
    assert not Case.objects.exists()


def test_an_import_with_a_bad_row_lists_every_problem_and_saves_nothing(demo, login):
    data = "time,device,account,phrase\n2026-11-19 10:02,PC1,pupil7,word\n2026-11-19 10:03,PC1,ghost,word\n"
    response = login("head").post(
        "/breaches/flags/import/", {"data_file": upload("export.csv", data.encode(), "text/csv")}
    )
    page = response.content.decode()
    assert "Nothing was imported: 1 problem to fix." in page
    assert "Row 3: nobody at Glenwood School has the account “ghost”." in page
    assert not Case.objects.exists()
    good = upload(
        "export.csv", data.splitlines(keepends=True)[0].encode() + data.splitlines(keepends=True)[1].encode()
    )
    response = login("head").post("/breaches/flags/import/", {"data_file": good}, follow=True)
    assert "1 flag(s) imported" in response.content.decode() and Case.objects.count() == 1
    assert person(demo, "pupil7") == Case.objects.get().subject_person
