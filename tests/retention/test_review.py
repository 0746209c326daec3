"""The review queue: nothing goes without a person's confirmation, holds block, tombstones keep the chain."""

import datetime

import pytest

from agreements.models import Signature, SignatureCertificate
from audit.lawful import TOMBSTONE
from audit.models import AuditEntry
from audit.verify import verify_evidence
from breaches import services as breaches
from breaches.choices import Category, Concerns
from breaches.models import Attachment, Case, CaseEntry, MonitoringFlag
from glenwood.services import NotAllowed, ServiceError
from people.models import ImportBatch, Person
from retention import services
from retention.models import LegalHold, ReviewItem, ReviewStatus
from tests.breaches.files import png
from tests.retention.helpers import at, closed_case, key, listed_on, sign

D = datetime.date


@pytest.fixture
def left_signature(demo):
    """The teacher signed in 2027 with a sealed certificate, left that summer; due in 2033."""
    from agreements.certificates import certificate_for

    with at(D(2027, 1, 10)):
        signature = sign(demo["teacher"], demo["glenwood"])
        certificate_for(signature, actor=demo["teacher"])
    Person.objects.filter(pk=demo["teacher"].pk).update(leaving_date=D(2027, 7, 31))
    assert key(signature) in listed_on(D(2033, 8, 1))
    return signature


def _item(record):
    return ReviewItem.objects.get(record_type=record._meta.label_lower, record_id=str(record.pk))


def test_listing_deletes_nothing(left_signature):
    assert Signature.objects.filter(pk=left_signature.pk).exists()
    assert _item(left_signature).status == ReviewStatus.WAITING


def test_an_administrator_confirms_and_the_tombstone_keeps_the_chain_verifiable(
    left_signature, demo, django_capture_on_commit_callbacks
):
    certificate = SignatureCertificate.objects.get(signature=left_signature)
    pdf_name = certificate.pdf.name
    storage = certificate.pdf.storage
    assert storage.exists(pdf_name)
    name = demo["teacher"].get_full_name()

    with at(D(2033, 8, 2)), django_capture_on_commit_callbacks(execute=True):
        services.review_confirm(actor=demo["admin"], item=_item(left_signature))

    assert not Signature.objects.filter(pk=left_signature.pk).exists()
    assert not SignatureCertificate.objects.filter(pk=certificate.pk).exists()
    assert not storage.exists(pdf_name), "the sealed PDF is removed from storage"
    tombstones = AuditEntry.objects.filter(action=TOMBSTONE)
    assert {t.record_type for t in tombstones} == {"agreements.signature", "agreements.signaturecertificate"}
    for tombstone in tombstones:
        assert name not in tombstone.record_label and name not in str(tombstone.detail)
    assert _item(left_signature).status == ReviewStatus.DELETED
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]


def test_a_batch_confirmation_does_each_and_says_which_were_refused(left_signature, demo):
    with at(D(2027, 2, 1)):
        batch = ImportBatch.objects.create(school=demo["glenwood"], uploaded_by=demo["admin"], filename="mis.csv",
                                           csv_text="Surname\nCole\n", sha256="0" * 64, summary={"rows": 1})  # fmt: skip
    listed_on(D(2033, 8, 1))
    services.hold_place(actor=demo["head"], record=left_signature, reason="Employment tribunal claim ET/1234")
    result = services.review_confirm_batch(
        actor=demo["trustadmin"], items=[_item(left_signature), _item(batch)]
    )
    assert result["done"] == [_item(batch).pk]
    assert "legal hold" in result["refused"][_item(left_signature).pk]
    batch.refresh_from_db()
    assert batch.csv_text == "" and batch.summary == {"rows": 1}
    assert _item(batch).status == ReviewStatus.ANONYMISED


def test_a_legal_hold_blocks_deletion_until_it_is_lifted(left_signature, demo):
    hold = services.hold_place(actor=demo["dsl"], record=demo["teacher"], reason="Litigation: claim 2033/17")
    with pytest.raises(ServiceError, match="legal hold"):
        services.review_confirm(actor=demo["admin"], item=_item(left_signature))
    assert Signature.objects.filter(pk=left_signature.pk).exists()

    services.hold_lift(actor=demo["dsl"], hold=hold, reason="Claim withdrawn.")
    services.review_confirm(actor=demo["admin"], item=_item(left_signature))
    assert not Signature.objects.filter(pk=left_signature.pk).exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="retention.hold").values_list("action", flat=True)
    )
    assert sorted(actions) == ["retention.hold_lifted", "retention.hold_placed"]
    assert LegalHold.objects.get().lifted_by == demo["dsl"]


def test_a_hold_needs_a_reason_and_only_one_stands_at_a_time(left_signature, demo):
    with pytest.raises(ServiceError, match="why"):
        services.hold_place(actor=demo["admin"], record=left_signature, reason=" ")
    services.hold_place(actor=demo["admin"], record=left_signature, reason="Appeal")
    with pytest.raises(ServiceError, match="already"):
        services.hold_place(actor=demo["admin"], record=left_signature, reason="Appeal again")


def test_only_administrators_confirm_deletions(left_signature, demo):
    for who in ("teacher", "dsl", "governor"):
        with pytest.raises(NotAllowed):
            services.review_confirm(actor=demo[who], item=_item(left_signature))


def test_a_record_reaching_review_asks_the_dsl_or_head_to_decide_and_say_why(demo):
    pupil = demo["pupil7"]
    Person.objects.filter(pk=pupil.pk).update(date_of_birth=D(2015, 3, 14))
    with at(D(2027, 2, 1)):
        case = closed_case(reporter=demo["teacher"], lead=demo["dsl"], concerns=Concerns.PUPIL, subject=pupil,
                           category=Category.EXPLOITATION)  # fmt: skip
    listed_on(D(2040, 3, 15))
    item = _item(case)
    with pytest.raises(ServiceError, match="DSL or headteacher"):
        services.review_confirm(actor=demo["admin"], item=item)
    with pytest.raises(NotAllowed):
        services.review_decide(actor=demo["admin"], item=item, delete=False, reason="Keep")
    with pytest.raises(ServiceError, match="why"):
        services.review_decide(actor=demo["dsl"], item=item, delete=False, reason="")

    with at(D(2040, 3, 20)):
        services.review_decide(actor=demo["dsl"], item=item, delete=False,
                               reason="A sibling's case is open: kept for another year.")  # fmt: skip
    item.refresh_from_db()
    assert item.status == ReviewStatus.KEPT and item.decided_by == demo["dsl"]
    assert Case.objects.filter(pk=case.pk).exists()
    assert AuditEntry.objects.filter(action="retention.kept", record_id=str(item.pk)).exists()
    # Not asked again next month; asked again a year on.
    assert key(case) not in listed_on(D(2040, 4, 1))
    assert key(case) in listed_on(D(2041, 3, 21))


def test_a_monitoring_flag_case_goes_whole_with_its_screenshot_and_the_chain_still_verifies(
    demo, django_capture_on_commit_callbacks
):
    with at(D(2027, 2, 1)):
        flag = breaches.record_flag(actor=demo["dsl"], captured_at=datetime.datetime(2027, 2, 1, 9, tzinfo=datetime.UTC),
                                    device="ICT2-PC14", account="Y10PUPIL3", matched_phrase="kill myself",
                                    screenshot=png("capture.png"))  # fmt: skip
        breaches.triage_report(
            actor=demo["dsl"], case=flag.case, accept=False, reason="A song lyric, checked."
        )
    screenshot = Attachment.objects.get(case=flag.case)
    storage, name = screenshot.file.storage, screenshot.file.name
    listed_on(D(2027, 8, 3))
    with django_capture_on_commit_callbacks(execute=True):
        services.review_confirm(actor=demo["admin"], item=_item(flag.case))

    assert not Case.objects.filter(pk=flag.case_id).exists()
    assert not MonitoringFlag.objects.filter(pk=flag.pk).exists()
    assert not CaseEntry.objects.filter(case_id=flag.case_id).exists()
    assert not storage.exists(name)
    tombstones = AuditEntry.objects.filter(action=TOMBSTONE)
    assert "kill myself" not in str(list(tombstones.values_list("record_label", "detail")))
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]


def test_audit_entries_can_be_kept_not_deleted(demo):
    with at(D(2027, 6, 1)):
        sign(demo["teacher"], demo["glenwood"])
    listed_on(D(2035, 1, 1))
    item = ReviewItem.objects.get(record_type="audit.year", record_id=f"{demo['glenwood'].pk}:2027")
    with pytest.raises(ServiceError, match="kept, not deleted"):
        services.review_decide(actor=demo["head"], item=item, delete=True, reason="Old")


def test_a_held_record_is_not_listed_until_its_hold_is_lifted(demo):
    with at(D(2027, 1, 10)):
        signature = sign(demo["teacher"], demo["glenwood"])
    Person.objects.filter(pk=demo["teacher"].pk).update(leaving_date=D(2027, 7, 31))
    hold = services.hold_place(actor=demo["admin"], record=signature, reason="Appeal to the tribunal")
    assert key(signature) not in listed_on(D(2033, 8, 1))
    services.hold_lift(actor=demo["admin"], hold=hold, reason="Appeal decided.")
    assert key(signature) in listed_on(D(2033, 9, 1))


def test_a_malicious_allegation_is_removed_on_review_letters_and_all_and_the_chain_verifies(demo):
    """Through the hearing (letters written), no action, then closed as malicious: the head confirms
    its removal on review, and every record of it goes with a tombstone that names nobody."""
    from breaches.choices import AllegationOutcome, Outcome
    from breaches.models import Letter
    from tests.breaches.conftest import friend_request_report, outcome_given, person

    with at(D(2027, 2, 1)):
        case = friend_request_report(demo)
        assert case.signature is not None
        outcome_given(demo, case, outcome=Outcome.NO_ACTION)
    with at(D(2027, 3, 1)):
        breaches.close_case(actor=demo["head"], case=case, reason="Shown to be made up.",
                            allegation_outcome=AllegationOutcome.MALICIOUS)  # fmt: skip
    assert Letter.objects.filter(case=case).exists()
    listed_on(D(2027, 3, 2))
    item = _item(case)
    assert item.needs_review
    with pytest.raises(NotAllowed):
        services.review_decide(actor=person(demo, "staff02"), item=item, delete=True, reason="Mine.")
    services.review_decide(actor=demo["head"], item=item, delete=True,
                           reason="KCSIE Part 4: found malicious, removed.")  # fmt: skip

    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Letter.objects.filter(case_id=case.pk).exists()
    assert not CaseEntry.objects.filter(case_id=case.pk).exists()
    item.refresh_from_db()
    assert item.status == ReviewStatus.DELETED and item.decided_by == demo["head"]
    tombstones = str(list(AuditEntry.objects.filter(action=TOMBSTONE).values_list("record_label", "detail")))
    assert "Jones" not in tombstones and "friend request" not in tombstones
    report = verify_evidence()
    assert report.passed, [report.describe(p) for p in report.problems]


def test_the_head_never_decides_on_an_allegation_about_themselves(demo):
    from breaches.choices import AllegationOutcome, ConcernLevel, Finding, Track
    from tests.breaches.conftest import person

    with at(D(2027, 2, 1)):
        case = breaches.report_concern(
            actor=demo["teacher"], category=Category.INAPPROPRIATE_CONTACT, concerns=Concerns.STAFF,
            subject_person=demo["head"], what_happened="Messages to a Year 9 pupil late at night.",
        )  # fmt: skip
        breaches.triage_report(actor=demo["chair"], case=case, accept=True, track=Track.DISCIPLINARY,
                               concern_level=ConcernLevel.ALLEGATION, allegation="Late messages.")  # fmt: skip
        breaches.assign_investigator(actor=demo["chair"], case=case, investigator=person(demo, "deputy"))
        breaches.record_finding(actor=person(demo, "deputy"), case=case, finding=Finding.NO_CASE,
                                summary="The phone records show no messages.")  # fmt: skip
        breaches.close_case(actor=demo["chair"], case=case, reason="Disproved.",
                            allegation_outcome=AllegationOutcome.FALSE)  # fmt: skip
    listed_on(D(2027, 2, 2))
    item = _item(case)
    with pytest.raises(NotAllowed, match="about themselves"):
        services.review_decide(actor=demo["head"], item=item, delete=True, reason="False, removed.")
    assert Case.objects.filter(pk=case.pk).exists()
    services.review_decide(actor=demo["dsl"], item=item, delete=True, reason="KCSIE Part 4: false, removed.")
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_kind_whose_rule_went_missing_gets_its_default_back_and_is_still_listed(demo):
    from retention.models import RetentionRule

    with at(D(2027, 1, 10)):
        signature = sign(demo["teacher"], demo["glenwood"])
    Person.objects.filter(pk=demo["teacher"].pk).update(leaving_date=D(2027, 7, 31))
    RetentionRule.objects.filter(kind="signature").delete()  # a database restored from an old backup
    assert key(signature) in listed_on(D(2033, 8, 1))
    assert RetentionRule.objects.filter(kind="signature").exists()
