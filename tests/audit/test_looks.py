"""Every look at sensitive data leaves a trace, and so does every refused attempt."""

import pytest

from agreements.models import Signature
from audit.models import AuditEntry
from audit.verify import verify_evidence
from tests.audit.evidence_records import every_record


@pytest.fixture
def records(demo):
    return every_record(demo)


def last(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


def test_the_case_list_is_a_look(records, demo, login):
    assert login("head").get("/breaches/cases/?status=reported").status_code == 200
    entry = last("cases.listed")
    assert entry.actor == demo["head"] and entry.detail["query"] == "status=reported"


def test_signatures_in_the_admin_are_looks(records, demo, login):
    """Case files are not in the admin at all (tests/test_admin_content.py); what is, is a look."""
    client = login("techadmin")
    assert client.get("/admin/agreements/signature/").status_code == 200
    assert last("admin.listed").detail["model"] == "agreements.signature"
    signature = Signature.objects.get(pk=records["agreements_signature"])
    assert client.get(f"/admin/agreements/signature/{signature.pk}/change/").status_code == 200
    entry = last("admin.viewed")
    assert (entry.record_type, entry.record_id, entry.actor) == (
        "agreements.signature",
        str(signature.pk),
        demo["techadmin"],
    )


def test_a_signature_receipt_and_its_pdf_are_looks(records, demo, login):
    signature = Signature.objects.get(pk=records["agreements_signature"])
    client = login("head")
    assert client.get(f"/agreements/signatures/{signature.pk}/").status_code == 200
    assert last("signature.viewed").actor == demo["head"]
    response = client.get(f"/agreements/signatures/{signature.pk}/evidence.pdf")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert last("signature.pdf_downloaded").record_id == str(signature.pk)


def test_the_dashboard_csv_is_a_look(records, demo, login):
    response = login("head").get("/agreements/dashboard.csv")
    assert response.status_code == 200
    assert last("dashboard.csv_downloaded").actor == demo["head"]


def test_people_pages_are_looks_and_the_history_shows_changes_only(records, demo, login):
    client = login("head")
    assert client.get("/people/?q=Reed").status_code == 200
    assert last("people.listed").detail["query"] == "q=Reed"
    teacher = demo["teacher"]
    assert client.get(f"/people/{teacher.pk}/").status_code == 200
    page = client.get(f"/people/{teacher.pk}/")
    assert AuditEntry.objects.filter(action="person.viewed", record_id=str(teacher.pk)).count() == 2
    assert "person.viewed" not in page.content.decode()


def test_refused_attempts_on_a_case_a_signature_and_a_person_are_on_the_record(records, demo, login):
    client = login("pupil7")
    case, signature, person = records["breaches_case"], records["agreements_signature"], demo["head"].pk
    for url, kind, pk in [
        (f"/breaches/cases/{case}/", "breaches.case", case),
        (f"/agreements/signatures/{signature}/", "agreements.signature", signature),
        (f"/people/{person}/", "people.person", person),
        ("/breaches/cases/999999/", "breaches.case", 999999),
    ]:
        status = client.get(url).status_code
        assert status in (403, 404), url
        entry = last("access.refused")
        assert (entry.actor, entry.record_type, entry.record_id, entry.detail["status"]) == (
            demo["pupil7"], kind, str(pk), status,
        ), url  # fmt: skip


def test_the_looks_keep_the_chain_whole(records, login):
    client = login("head")
    client.get("/breaches/cases/")
    client.get(f"/agreements/signatures/{records['agreements_signature']}/")
    login("pupil7").get(f"/breaches/cases/{records['breaches_case']}/")
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]
