"""One record of every permanent kind, each made through the portal's own services."""

import datetime

from django.db import connection
from django.utils import timezone

from agreements.certificates import certificate_for
from agreements.models import Agreement, AgreementKind, AuthMethod
from agreements.obligations import outstanding
from agreements.services import Evidence, decline_record, signature_record
from audit.models import AuditEntry
from breaches import services as breaches
from breaches.choices import Agency, Track
from policies.models import ApprovalDecision, Policy
from tests.breaches.files import png

# table -> a text column a tamperer would rewrite
TEXT_COLUMNS = {
    "agreements_signature": "typed_name",
    "agreements_decline": "reason",
    "agreements_signaturecertificate": "code",
    "breaches_case": "what_happened",
    "breaches_caseentry": "text",
    "breaches_attachment": "original_name",
    "breaches_referral": "reference",
    "breaches_monitoringflag": "device",
    "policies_approvaldecision": "comment",
    "policies_policyversion": "body",
    "audit_auditentry": "action",
}


def every_record(demo) -> dict:
    """{table: primary key} for one row of each permanent table."""
    staff = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    version = staff.policy.current_version
    evidence = Evidence(ip_address="192.0.2.10", user_agent="pytest", session_hash="0" * 64,
                        auth_method=AuthMethod.PASSWORD)  # fmt: skip
    signature = signature_record(
        signer=demo["teacher"], agreement=staff, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name=demo["teacher"].get_full_name(), evidence=evidence,
    )  # fmt: skip
    decliner = outstanding(staff).exclude(pk=demo["teacher"].pk).first()
    decline = decline_record(
        person=decliner, agreement=staff, version=version, shown_sha256=version.sha256,
        reason="I want to discuss clause 4 first.",
    )  # fmt: skip
    certificate = certificate_for(signature, actor=demo["teacher"])
    flag = breaches.record_flag(
        actor=demo["dsl"], captured_at=timezone.now() - datetime.timedelta(hours=1), device="ICT2-PC14",
        account="Y10PUPIL3", matched_phrase="meet me after school", screenshot=png("capture.png"),
    )  # fmt: skip
    case = flag.case
    breaches.triage_report(
        actor=demo["dsl"],
        case=case,
        accept=True,
        track=Track.SAFEGUARDING,
        change_reason="A pupil arranging to meet someone: a safeguarding matter.",
    )
    referral = breaches.make_referral(
        actor=demo["dsl"], case=case, agency=Agency.SOCIAL_CARE, referred_on=timezone.localdate(),
        reference="CSC-1234",
    )  # fmt: skip
    social = Policy.objects.get(school=demo["glenwood"], title="Use of Social Media Policy")
    return {
        "agreements_signature": signature.pk,
        "agreements_decline": decline.pk,
        "agreements_signaturecertificate": certificate.pk,
        "breaches_case": case.pk,
        "breaches_caseentry": referral.entry_id,
        "breaches_attachment": flag.screenshot_id,
        "breaches_referral": referral.pk,
        "breaches_monitoringflag": flag.pk,
        "policies_approvaldecision": ApprovalDecision.objects.filter(version=social.current_version)
        .first()
        .pk,
        "policies_policyversion": social.current_version_id,
        "audit_auditentry": AuditEntry.objects.order_by("id").first().pk,
    }


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def read(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        row = cursor.fetchone()
    return row[0] if row else None
