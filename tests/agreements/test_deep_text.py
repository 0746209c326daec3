"""A published agreement saved before nesting was limited (2,000 nested quotes) still gets its
evidence PDFs, printed with the nesting flattened and noted on the certificate, and exports finish."""

import pytest
from django.db import connection

from agreements import exports
from agreements.certificates import certificate_for
from agreements.models import Export, ExportGroup, ExportStatus
from agreements.services import Evidence, signature_record
from policies import services as policy_services
from tests.agreements.evidence_helpers import pdf_text
from tests.audit.tamper import triggers_dropped

DEPTH = 2000
LEGACY_BODY = "> " * DEPTH + "Keep your password secret."
# What Markdown and nh3 stored for it before the limits: two thousand nested quotes.
LEGACY_HTML = "<blockquote>" * DEPTH + "<p>Keep your password secret.</p>" + "</blockquote>" * DEPTH


@pytest.fixture
def deep_version(demo, staff_aua, publish_new_version, monkeypatch):
    with monkeypatch.context() as before_the_limits:
        before_the_limits.setattr(policy_services, "markdown_problems", lambda text: [])
        version = publish_new_version(staff_aua, LEGACY_BODY)
    # Published text is locked against the ORM and by the database's triggers, as it should be: this
    # is the data as it stood before either, put back as a database owner could.
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE policies_policyversion SET body_html = %s WHERE id = %s", [LEGACY_HTML, version.pk]
        )
    version.refresh_from_db()
    return version


@pytest.fixture
def deep_signature(demo, staff_aua, deep_version):
    teacher = demo["teacher"]
    return signature_record(
        signer=teacher, agreement=staff_aua, version=deep_version, shown_sha256=deep_version.sha256,
        consent_given=True, typed_name=teacher.get_full_name(),
        evidence=Evidence(ip_address="127.0.0.1", user_agent="test", session_hash="x", auth_method="password"),
    )  # fmt: skip


def test_a_deep_published_versions_evidence_pdf_is_made_and_says_it_was_flattened(demo, deep_signature):
    certificate = certificate_for(deep_signature, actor=demo["head"])
    with certificate.pdf.open("rb") as f:
        text = pdf_text(f.read())
    assert "Keep your password secret." in text
    assert "printed in this document with the deeper levels flattened" in text
    assert "This is the hash of the agreement text in this document." in text


def test_a_deep_versions_evidence_pdf_downloads(demo, login, deep_signature):
    response = login("teacher").get(f"/agreements/signatures/{deep_signature.pk}/evidence.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(
        b"%PDF"
    )


def test_an_export_including_a_deep_version_completes(
    demo, staff_aua, deep_version, deep_signature, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(
            actor=demo["admin"], agreement=staff_aua, version=deep_version, group=ExportGroup.EVERYONE
        )
    export = Export.objects.get(pk=export.pk)
    assert export.status == ExportStatus.DONE and export.done == export.total == 1
