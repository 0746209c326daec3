"""The retention pages as the people who use them."""

import datetime
import io
import zipfile

from audit.models import AuditEntry
from people.models import Person
from retention.models import LegalHold, RetentionRule, ReviewItem, ReviewStatus, SubjectAccessRequest
from tests.retention.helpers import Concerns, at, closed_case, listed_on, sign

D = datetime.date


def test_the_trust_administrator_adjusts_a_rule_and_the_change_is_audited(demo, login):
    client = login("trustadmin")
    rule = RetentionRule.objects.get(kind="import_file")
    page = client.get("/retention/schedule/")
    assert rule.source in page.content.decode()
    data = {f"rule-{rule.pk}-{k}": v for k, v in {
        "counted_from": rule.counted_from, "years": 0, "months": 0, "days": 14, "pension_age": "",
        "action": rule.action, "source": rule.source, "notes": rule.notes}.items()}  # fmt: skip
    assert client.post(f"/retention/schedule/{rule.pk}/", data).status_code == 302
    rule.refresh_from_db()
    assert rule.days == 14 and rule.changed_by == demo["trustadmin"]
    entry = AuditEntry.objects.get(action="retention.rule_changed")
    assert entry.detail["before"] == {"days": 28} and entry.detail["after"] == {"days": 14}


def test_a_rule_without_a_source_is_refused_with_a_message(demo, login):
    client = login("trustadmin")
    rule = RetentionRule.objects.get(kind="import_file")
    data = {f"rule-{rule.pk}-{k}": v for k, v in {
        "counted_from": rule.counted_from, "years": 0, "months": 0, "days": 1, "action": rule.action,
        "source": ""}.items()}  # fmt: skip
    page = client.post(f"/retention/schedule/{rule.pk}/", data, follow=True)
    assert "Source" in page.content.decode() and "required" in page.content.decode()
    rule.refresh_from_db()
    assert rule.days == 28


def test_the_dsl_keeps_a_child_protection_record_from_the_queue_page(demo, login):
    Person.objects.filter(pk=demo["pupil7"].pk).update(date_of_birth=D(2001, 1, 1))
    with at(D(2026, 1, 10)):
        closed_case(reporter=demo["teacher"], lead=demo["dsl"], concerns=Concerns.PUPIL, subject=demo["pupil7"],
                    category="exploitation")  # fmt: skip
    listed_on(D(2026, 11, 1))
    item = ReviewItem.objects.get(record_type="breaches.case")
    client = login("dsl")
    assert "Keep" in client.get("/retention/queue/").content.decode()
    client.post(f"/retention/queue/{item.pk}/decide/", {"decision": "keep", "reason": ""})
    item.refresh_from_db()
    assert item.status == ReviewStatus.WAITING, "no reason, no decision"
    client.post(
        f"/retention/queue/{item.pk}/decide/", {"decision": "keep", "reason": "Police enquiry ongoing."}
    )
    item.refresh_from_db()
    assert item.status == ReviewStatus.KEPT and item.decision_reason == "Police enquiry ongoing."


def test_an_administrator_confirms_a_batch_from_the_queue_page(
    demo, login, django_capture_on_commit_callbacks
):
    with at(D(2026, 1, 10)):
        signature = sign(demo["teacher"], demo["glenwood"])
    Person.objects.filter(pk=demo["teacher"].pk).update(leaving_date=D(2026, 1, 31))
    listed_on(D(2032, 2, 1))
    item = ReviewItem.objects.get(record_type="agreements.signature", record_id=str(signature.pk))
    with django_capture_on_commit_callbacks(execute=True):
        login("admin").post("/retention/queue/confirm/", {"item": [item.pk]})
    item.refresh_from_db()
    assert item.status == ReviewStatus.DELETED and item.decided_by == demo["admin"]


def test_a_hold_is_placed_and_lifted_from_the_holds_page(demo, login):
    client = login("head")
    client.post("/retention/holds/", {"record_type": "people.person", "record_id": demo["teacher"].pk,
                                      "reason": "Employment tribunal"})  # fmt: skip
    hold = LegalHold.objects.get()
    assert hold.is_active and hold.record_label == f"Person {demo['teacher'].pk}"
    client.post(f"/retention/holds/{hold.pk}/lift/", {"reason": "Settled."})
    hold.refresh_from_db()
    assert not hold.is_active and hold.lift_reason == "Settled."


def test_an_administrator_requests_an_export_sees_progress_and_downloads_it(
    demo, login, django_capture_on_commit_callbacks
):
    client = login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/retention/access/", {"person": demo["teacher"].pk, "requested_on": "2026-11-20"}
        )
    made = SubjectAccessRequest.objects.get()
    assert response.url == f"/retention/access/{made.pk}/"
    page = client.get(response.url).content.decode()
    assert "20 December 2026" in page and "Download the ZIP" in page
    download = client.get(f"/retention/access/{made.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "record.json" in archive.namelist()
    assert AuditEntry.objects.filter(
        action="retention.subject_access_downloaded", actor=demo["admin"]
    ).exists()


def test_a_request_dated_in_the_future_is_refused_with_a_message(demo, login):
    page = login("admin").post(
        "/retention/access/", {"person": demo["teacher"].pk, "requested_on": "2099-01-01"}
    )
    assert page.status_code == 200 and "cannot be in the future" in page.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_the_home_page_asks_the_dsl_to_review_and_the_administrator_to_confirm(demo, login):
    Person.objects.filter(pk=demo["pupil7"].pk).update(date_of_birth=D(2001, 1, 1))
    with at(D(2026, 1, 10)):
        closed_case(reporter=demo["teacher"], lead=demo["dsl"], concerns=Concerns.PUPIL, subject=demo["pupil7"],
                    category="exploitation")  # fmt: skip
        sign(demo["teacher"], demo["glenwood"])
    listed_on(D(2026, 11, 1))
    dsl = [i.title for i in login("dsl").get("/").context["items"]]
    assert "Review 1 record past their retention date" in dsl
    teacher = [i.title for i in login("teacher").get("/").context["items"]]
    assert not any("retention" in t for t in teacher)
