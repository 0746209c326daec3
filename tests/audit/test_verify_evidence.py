"""verify_evidence finds what raw SQL did with the triggers dropped, and names the first broken entry."""

import pytest
from django.core.management import CommandError, call_command

from agreements.models import Signature
from audit.models import AuditEntry
from audit.verify import verify_evidence
from breaches.models import CaseEntry
from tests.audit.evidence_records import every_record, raw
from tests.audit.tamper import triggers_dropped


@pytest.fixture
def records(demo):
    return every_record(demo)


def creating_entry(record):
    return (
        AuditEntry.objects.filter(evidence__has_key=f"{record._meta.label_lower}:{record.pk}")
        .order_by("id")
        .first()
    )


def test_untouched_evidence_passes(records):
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]
    assert report.entries_checked > 50 and report.records_checked > 20


def test_a_changed_signature_is_found_at_the_entry_that_recorded_it(records):
    signature = Signature.objects.get(pk=records["agreements_signature"])
    with triggers_dropped():
        raw(
            'UPDATE "agreements_signature" SET "signed_at" = %s WHERE id = %s',
            ["2026-09-01 08:00:00", signature.pk],
        )
    report = verify_evidence()
    first = report.first_broken
    assert first.entry_id == creating_entry(signature).pk
    assert f"signature {signature.pk} it recorded has been changed" in first.message
    assert "agreement.signed" in report.describe(first)


def test_a_changed_audit_entry_is_found_and_named(records):
    entries = list(
        AuditEntry.objects.filter(school__isnull=False).order_by("id").values_list("pk", flat=True)
    )
    middle = entries[len(entries) // 2]
    with triggers_dropped():
        raw('UPDATE "audit_auditentry" SET "action" = %s WHERE id = %s', ["nothing.happened", middle])
    report = verify_evidence()
    assert report.first_broken.entry_id == middle
    assert "content has been changed" in report.first_broken.message


def test_a_deleted_chronology_entry_is_found_at_the_entry_that_created_it(records):
    entry = CaseEntry.objects.filter(attachments__isnull=True, referral__isnull=True).order_by("id").first()
    creator = creating_entry(entry)
    with triggers_dropped():
        raw('DELETE FROM "breaches_caseentry" WHERE id = %s', [entry.pk])
    report = verify_evidence()
    assert report.first_broken.entry_id == creator.pk
    assert f"chronology entry {entry.pk} it recorded is missing" in report.first_broken.message


def test_a_removed_audit_entry_breaks_the_chain_at_the_next(records):
    entries = list(AuditEntry.objects.filter(action="agreement.signed").order_by("id"))
    chain = list(
        AuditEntry.objects.filter(school=entries[0].school).order_by("id").values_list("pk", flat=True)
    )
    removed = chain[chain.index(entries[0].pk)]
    following = chain[chain.index(removed) + 1]
    with triggers_dropped():
        raw('DELETE FROM "audit_auditentry" WHERE id = %s', [removed])
    report = verify_evidence()
    broken = {p.entry_id for p in report.problems}
    assert following in broken
    assert "does not follow the entry before it" in str(
        next(p for p in report.problems if p.entry_id == following)
    )


def test_a_record_written_behind_the_portals_back_has_no_creating_entry(records, demo):
    from breaches.models import Case

    case = Case.objects.get(pk=records["breaches_case"])
    CaseEntry.objects.create(
        case=case, author=demo["head"], kind="note", text="Added by SQL", status_after=case.status
    )
    report = verify_evidence()
    assert not report.passed
    assert any("has no audit entry that created it" in p.message for p in report.problems)


def test_the_command_names_the_first_broken_entry(records, capsys):
    signature = Signature.objects.get(pk=records["agreements_signature"])
    with triggers_dropped():
        raw(
            'UPDATE "agreements_signature" SET "typed_name" = %s WHERE id = %s',
            ["Someone Else", signature.pk],
        )
    with pytest.raises(CommandError, match="failed its check"):
        call_command("verify_evidence")
    assert f"First broken: Audit entry {creating_entry(signature).pk}:" in capsys.readouterr().out


def test_the_command_passes_quietly_on_good_evidence(records, capsys):
    call_command("verify_evidence")
    assert "All evidence is intact" in capsys.readouterr().out


def test_records_from_before_the_chain_are_adopted_once_then_protected(records, demo, capsys):
    from audit.models import AuditEntry

    signature = Signature.objects.get(pk=records["agreements_signature"])
    # As on a portal upgraded from before the chain: the records are there, no entry fingerprints them.
    with triggers_dropped():
        raw('DELETE FROM "audit_auditentry"')
        raw('DELETE FROM "audit_auditchainhead"')
    assert any("no audit entry that created it" in p.message for p in verify_evidence().problems)

    call_command("verify_evidence", "--adopt-existing")
    assert "All evidence is intact" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="evidence.adopted").exists()
    with triggers_dropped():
        raw('UPDATE "agreements_signature" SET "typed_name" = %s WHERE id = %s', ["Forged", signature.pk])
    assert not verify_evidence().passed
