"""The nightly check: a failure emails the headteachers and trust administrators and puts a banner on
their home pages until one of them acknowledges it, on the record."""

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from audit import tasks
from audit.models import AuditEntry, EvidenceCheck
from tests.audit.evidence_records import every_record, raw
from tests.audit.tamper import triggers_dropped
from tests.permissions import LOGIN, assert_answers, expect

EVERYONE = ["head", "deputy", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "pupil7",
            "hillside-head"]  # fmt: skip


@pytest.fixture
def tampered(demo):
    records = every_record(demo)
    with triggers_dropped():
        raw('UPDATE "agreements_signature" SET "typed_name" = %s WHERE id = %s',
            ["Someone Else", records["agreements_signature"]])  # fmt: skip
    return records


def test_the_job_is_in_beats_schedule(db):
    job = PeriodicTask.objects.get(task="audit.tasks.check_evidence")
    assert (job.crontab.hour, job.crontab.minute) == ("2", "30")


def test_a_passing_night_sends_nothing(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_evidence()
    check = EvidenceCheck.objects.get()
    assert check.passed and mail.outbox == []
    assert AuditEntry.objects.filter(action="evidence.checked").exists()


def test_a_failing_night_emails_heads_and_trust_admins_and_shows_a_banner(
    tampered, demo, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_evidence()
    check = EvidenceCheck.objects.get()
    assert not check.passed and "agreement.signed" in check.first_broken
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([demo["head"].email, demo["trustadmin"].email, demo["hillside-head"].email])
    assert check.first_broken in mail.outbox[0].body and "evidence" in mail.outbox[0].subject

    client = login("head")
    page = client.get("/").content.decode()
    assert 'id="evidence-banner"' in page and "First broken" in page
    assert 'id="evidence-banner"' not in login("teacher").get("/").content.decode()

    # Acknowledging needs a word on what is being done; then the banner goes, for everyone.
    client = login("head")
    client.post(f"/audit/evidence/{check.pk}/acknowledge/", {"note": ""})
    assert 'id="evidence-banner"' in client.get("/").content.decode()
    response = client.post(
        f"/audit/evidence/{check.pk}/acknowledge/", {"note": "IT asked who ran SQL.", "next": "/"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert 'id="evidence-banner"' not in client.get("/").content.decode()
    assert 'id="evidence-banner"' not in login("trustadmin").get("/").content.decode()
    entry = AuditEntry.objects.get(action="evidence.check_acknowledged")
    assert entry.actor == demo["head"] and entry.detail == {"note": "IT asked who ran SQL."}


def test_the_evidence_page_lists_the_problems_for_the_trust_administrator(tampered, login):
    tasks.check_evidence()
    page = login("trustadmin").get("/audit/evidence/").content.decode()
    assert 'id="first-broken"' in page and "has been changed since" in page


def test_only_the_trust_administrator_runs_a_check_on_demand(demo, login, django_capture_on_commit_callbacks):
    login("head").post("/audit/evidence/")
    assert not EvidenceCheck.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert login("trustadmin").post("/audit/evidence/").status_code == 302
    assert EvidenceCheck.objects.get().passed


def test_who_may_see_and_acknowledge(client, tampered):
    tasks.check_evidence()
    check = EvidenceCheck.objects.get()
    page = expect(EVERYONE, 403, head=200, trustadmin=200, hillside_head=200)
    assert_answers(client, "/audit/evidence/", page, anonymous=LOGIN)
    refused = expect(EVERYONE, 403, head=None, trustadmin=None, hillside_head=None)
    assert_answers(client, f"/audit/evidence/{check.pk}/acknowledge/", refused, method="post",
                   data={"note": "not mine"})  # fmt: skip
    check.refresh_from_db()
    assert check.acknowledged_at is None
