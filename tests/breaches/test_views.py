"""The pages as people use them: reporting with evidence, receipts, cases, the evidence pack."""

import io
import re

import pytest
from django.test.client import encode_multipart
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from breaches import services
from breaches.choices import Status
from breaches.models import Attachment, Case

from .conftest import friend_request_report, investigating, outcome_given, person
from .files import PHP, SVG_WITH_SCRIPT, image_bytes, png, upload

REPORT = {
    "concerns": "staff",
    "category": "friend_request",
    "what_happened": "Mr Jones accepted a friend request from Alex; I saw it on Alex's phone.",
    "happened_on": "2026-11-18",
    "happened_time": "16:30",
    "where": "Instagram",
    "policy_clause": "",
}


def page(response):
    return response.content.decode()


@pytest.fixture
def teacher(demo, login, agreements):
    return login("teacher")


def test_the_report_form_is_full_for_staff_and_simple_for_pupils(demo, login):
    staff_page = page(login("teacher").get("/breaches/report/"))
    assert "Whom does it concern?" in staff_page and "Which part of a policy" in staff_page
    assert "26. Staff members must decline" in staff_page
    pupil_page = page(login("pupil7").get("/breaches/report/"))
    assert "Tell us what happened" in pupil_page and "Whom does it concern?" not in pupil_page
    assert 'enctype="multipart/form-data"' in pupil_page


def test_refused_files_are_named_and_the_rest_of_the_report_is_kept(demo, teacher, settings):
    settings.BREACH_UPLOAD_MAX_BYTES = 200 * 1024
    staff02 = person(demo, "staff02")
    files = [
        png("instagram.png"),
        upload("shell.png", PHP, "image/png"),
        upload("big.png", image_bytes() + b"\0" * (300 * 1024), "image/png"),
        upload("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        upload("C:passwd.png", image_bytes(), "image/png"),
    ]
    response = teacher.post(
        "/breaches/report/", {**REPORT, "subject_person": staff02.pk, "evidence": files}, follow=True
    )
    text = page(response)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/breaches/reports/{case.pk}/"
    assert f"Its reference is {case.reference}" in text
    assert (
        "“shell.png” was refused: only images (PNG, JPEG, GIF or WebP) and PDF documents are accepted" in text
    )
    assert re.search(r"“big.png” was refused: it is 30\d\.\d KB and the limit is 200\.0 KB\.", text)
    assert "“drawing.svg” was refused: only images" in text
    assert "“C:passwd.png” was refused: its name includes a folder path" in text
    assert text.count("You can send another file below.") == 4
    # The report itself, and the one good file, are kept.
    assert case.what_happened == REPORT["what_happened"] and case.subject_person == staff02
    # Oliver Jones signed his agreement today, after the incident: it was not in force then.
    assert case.when == "18 November 2026 at 16:30" and case.signature is None
    assert [a.original_name for a in Attachment.objects.all()] == ["instagram.png"]


def test_a_path_sent_as_the_file_name_never_reaches_storage(demo, teacher):
    body = encode_multipart("BoUnDaRy", {**REPORT, "concerns": "unknown", "evidence": png()})
    body = body.replace(b'filename="screenshot.png"', b'filename="../../etc/cron.d/evil.png"')
    teacher.post("/breaches/report/", body, content_type="multipart/form-data; boundary=BoUnDaRy")
    attachment = Attachment.objects.get()
    # Django's parser keeps only the last part of the name; we store under a generated one.
    assert attachment.original_name == "evil.png"
    assert re.fullmatch(r"evidence/\d+/[0-9a-f]{32}\.png", attachment.file.name)


def test_a_form_with_errors_keeps_what_was_typed(demo, teacher):
    response = teacher.post("/breaches/report/", {**REPORT, "evidence": [png()]})  # no person chosen
    text = page(response)
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Choose the person" in text and REPORT["what_happened"].replace("'", "&#x27;") in text
    assert "choose your files again" in text


def test_a_pupil_reports_through_the_simpler_form(demo, login):
    client = login("pupil7")
    client.post(
        "/breaches/report/",
        {"category": "harassment", "what_happened": "People are posting mean things about me.", "who": "year 8s",
         "happened_on": "2026-11-18", "where": "Snapchat", "evidence": [png()]},
    )  # fmt: skip
    case = Case.objects.get()
    assert (
        case.track == "safeguarding"
        and case.subject_description == "year 8s"
        and case.when == "18 November 2026"
    )


def test_the_reporter_sees_the_receipt_and_status_never_the_notes(demo, login, report):
    investigating(demo, report)
    services.add_case_note(actor=demo["deputy"], case=report, text="SECRET interview notes")
    client = login("teacher")
    receipt = page(client.get(f"/breaches/reports/{report.pk}/"))
    assert "Being dealt with" in receipt and report.reference in receipt
    assert f'action="/breaches/reports/{report.pk}/evidence/"' in receipt
    assert "SECRET" not in receipt and "David Okafor" not in receipt and "Oliver" not in receipt
    assert client.get(f"/breaches/cases/{report.pk}/").status_code == 404
    assert client.get(f"/breaches/cases/{report.pk}/chronology/").status_code == 404


def test_the_reporter_can_send_more_evidence(demo, login, report):
    client = login("teacher")
    response = client.post(
        f"/breaches/reports/{report.pk}/evidence/", {"documents": [png("second.png")]}, follow=True
    )
    assert "your files were added" in page(response)
    assert Attachment.objects.get().entry.kind == "evidence"
    response = client.post(f"/breaches/reports/{report.pk}/evidence/", {"documents": [upload("x.png", PHP)]})
    assert "“x.png” was refused" in page(response) and Attachment.objects.count() == 1


def test_an_investigator_sees_their_case_and_not_another(demo, login, agreements):
    theirs = investigating(demo, friend_request_report(demo), investigator="staff01")
    other = investigating(
        demo, friend_request_report(demo, what_happened="Another matter"), investigator="staff03"
    )
    client = login("staff01")
    assert client.get(f"/breaches/cases/{theirs.pk}/").status_code == 200
    assert client.get(f"/breaches/cases/{other.pk}/").status_code == 404
    listing = page(client.get("/breaches/cases/"))
    assert theirs.reference in listing and other.reference not in listing


def test_the_person_concerned_sees_the_allegation_and_the_outcome_only(demo, login, report):
    services.add_case_note(actor=demo["head"], case=report, text="SECRET")
    client = login("staff02")
    assert client.get(f"/breaches/concerning-me/{report.pk}/").status_code == 404  # not yet accepted
    outcome_given(demo, report)
    services.add_case_note(actor=demo["head"], case=report, text="SECRET after the outcome")
    text = page(client.get(f"/breaches/concerning-me/{report.pk}/"))
    assert "accepted a friend request from a Year 10 pupil" in text and "First written warning" in text
    assert "Alex in Year 10 showed me" not in text  # the reporter's own words stay confidential
    assert "You may appeal until" in text and "Clause 6 of the Staff Acceptable Use Agreement" in text
    assert "SECRET" not in text and "Tara Quinn" not in text  # neither the notes nor who reported it
    assert client.get(f"/breaches/cases/{report.pk}/").status_code == 404
    response = client.post(f"/breaches/concerning-me/{report.pk}/", {"grounds": "Too harsh."}, follow=True)
    assert "Your appeal has been lodged" in page(response)
    assert Case.objects.get(pk=report.pk).status == Status.APPEAL_LODGED


def test_a_governor_sees_counts_and_no_names(demo, login, report):
    outcome_given(demo, report)  # the panel has one governor ("governor"); governor3 is not on it
    text = page(login("governor3").get("/breaches/summary/"))
    assert "A friend request from a pupil" in text and "First written warning" in text
    for secret in ("Oliver", "Jones", "Tara", "Quinn", report.reference, "Instagram", "Alex"):
        assert secret not in text, secret
    assert login("governor3").get(f"/breaches/cases/{report.pk}/").status_code == 404
    assert login("governor").get(f"/breaches/cases/{report.pk}/").status_code == 200  # on the panel


def test_every_view_of_a_case_is_in_the_audit_log(demo, login, report):
    services.add_case_note(actor=demo["head"], case=report, text="note", documents=[png("proof.png")])
    attachment = Attachment.objects.get()
    client = login("head")
    for url in (f"/breaches/cases/{report.pk}/", f"/breaches/cases/{report.pk}/chronology/",
                f"/breaches/cases/{report.pk}/evidence-pack.pdf", f"/breaches/documents/{attachment.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    login("teacher").get(f"/breaches/reports/{report.pk}/")
    viewed = AuditEntry.objects.for_record(report).filter(
        action__in=["case.viewed", "case.document_downloaded"]
    )
    assert [(e.actor.username, e.action, e.detail.get("page")) for e in viewed.order_by("id")] == [
        ("head", "case.viewed", "case"),
        ("head", "case.viewed", "chronology"),
        ("head", "case.viewed", "evidence pack (panel)"),
        ("head", "case.document_downloaded", None),
        ("teacher", "case.viewed", "receipt"),
    ]


def test_documents_are_served_only_to_those_on_the_case_with_a_safe_name(demo, login, report):
    services.add_case_note(actor=demo["head"], case=report, text="x", documents=[png('my "proof"; x.png')])
    attachment = Attachment.objects.get()
    response = login("head").get(f"/breaches/documents/{attachment.pk}/")
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="my_proof_x.png"'
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    for outsider in ("teacher", "staff02", "governor", "trustadmin", "hillside-head"):
        assert login(outsider).get(f"/breaches/documents/{attachment.pk}/").status_code == 404, outsider


def test_the_evidence_pack_is_a_real_pdf_with_the_clause_and_the_signer(demo, login, report, agreements):
    outcome_given(demo, report)
    response = login("head").get(f"/breaches/cases/{report.pk}/evidence-pack.pdf")
    pdf = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "I will decline any friend request from a current or former pupil" in text  # agreement clause 6
    assert "Staff members must decline 'friend requests' from the pupils" in text  # policy clause 26
    signed_on = timezone.localtime(agreements["staff02"].signed_at)
    assert "Oliver Jones" in text and f"{signed_on:%-d %B %Y}" in text
    assert "First written warning" in text


def test_the_head_walks_a_case_through_its_steps_in_the_browser_forms(demo, login, report):
    client = login("head")
    detail = page(client.get(f"/breaches/cases/{report.pk}/"))
    assert "Triage the report" in detail and "Clause 6 of the Staff Acceptable Use Agreement" in detail
    response = client.post(
        f"/breaches/cases/{report.pk}/triage/",
        {"decision": "accept", "track": "disciplinary", "category": report.category,
         "concern_level": "conduct", "policy_clause": f"{report.policy_version_id}:26",
         "agreement_clause": "6", "note": "Taking this forward."},
        follow=True,
    )  # fmt: skip
    assert "Triage recorded." in page(response)
    response = client.post(
        f"/breaches/cases/{report.pk}/assign/", {"investigator": demo["deputy"].pk}, follow=True
    )
    assert "Investigating officer assigned." in page(response)
    report.refresh_from_db()
    assert report.status == Status.INVESTIGATING and report.investigator == demo["deputy"]
    assert client.get(f"/breaches/cases/{report.pk}/triage/").status_code == 403  # no longer open


def test_a_refused_document_on_a_step_keeps_the_typed_text(demo, login, report):
    client = login("head")
    response = client.post(
        f"/breaches/cases/{report.pk}/note/", {"text": "My careful note", "documents": [upload("a.png", PHP)]}
    )
    text = page(response)
    assert "“a.png” was refused" in text and "Nothing was saved" in text and "My careful note" in text
    assert report.entries.count() == 1


def test_cases_are_not_in_the_django_admin(demo, login, report):
    """Read in the portal only, under its need-to-know rules (tests/test_admin_content.py walks every page)."""
    client = login("techadmin")
    for model in ("case", "caseentry", "attachment", "referral", "monitoringflag"):
        assert client.get(f"/admin/breaches/{model}/").status_code == 404, model
    assert client.get(f"/admin/breaches/case/{report.pk}/change/").status_code == 404
    assert not AuditEntry.objects.for_record(report).filter(action="case.viewed").exists()


def test_too_many_files_are_refused_before_any_is_opened(demo, login):
    files = [png(f"shot{n}.png") for n in range(6)]
    response = login("pupil7").post(
        "/breaches/report/", {"category": "harassment", "what_happened": "Six files.", "evidence": files}
    )
    assert response.status_code == 200
    assert "You chose 6 files; attach at most 5 at a time" in response.content.decode()
