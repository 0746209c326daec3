"""The policy approval workflow: each step, each refusal, one audit entry per step."""

import datetime

import pytest

from audit.models import AuditEntry
from glenwood.services import NotAllowed, ServiceError
from policies import services
from policies.models import Decision, PolicyVersion, VersionIsLocked, VersionStatus

REVIEWED = datetime.date(2026, 11, 20)


def audit_count():
    return AuditEntry.objects.count()


@pytest.fixture
def draft(demo, social_media):
    return services.version_draft(
        actor=demo["head"], policy=social_media, reviewed_on=REVIEWED, change_summary="Annual review"
    )


def submit(demo, version):
    return services.version_submit(actor=demo["head"], version=version)


def approve(person, version, minute="FGB/2026/41"):
    version.refresh_from_db()
    return services.version_decide(
        actor=person, version=version, decision=Decision.APPROVE,
        shown_sha256=version.sha256, minute_reference=minute,
    )  # fmt: skip


def test_draft_starts_from_current_text_with_next_review_a_year_on(demo, social_media):
    before = audit_count()
    version = services.version_draft(actor=demo["head"], policy=social_media, reviewed_on=REVIEWED)
    assert version.status == VersionStatus.DRAFT
    assert version.number == 2 and version.label == "Version 2"
    assert version.body == social_media.current_version.body
    assert version.next_review_on == datetime.date(2027, 11, 20)
    assert audit_count() == before + 1
    assert AuditEntry.objects.first().action == "version.drafted"


def test_teacher_cannot_draft_or_submit(demo, social_media, draft):
    with pytest.raises(NotAllowed):
        services.version_draft(actor=demo["teacher"], policy=social_media, reviewed_on=REVIEWED)
    with pytest.raises(NotAllowed):
        services.version_submit(actor=demo["teacher"], version=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_only_one_revision_in_progress(demo, social_media, draft):
    with pytest.raises(ServiceError, match="already in progress"):
        services.version_draft(actor=demo["head"], policy=social_media, reviewed_on=REVIEWED)


def test_editing_a_draft_rehashes_its_text_and_is_audited(demo, draft):
    old_hash = draft.sha256
    before = audit_count()
    services.version_update_draft(actor=demo["head"], version=draft, body=draft.body + "\n\nNew paragraph.\n")
    draft.refresh_from_db()
    assert draft.sha256 != old_hash
    assert "New paragraph." in draft.body_html
    assert audit_count() == before + 1


def test_submit_locks_the_text_and_writes_one_entry(demo, draft):
    before = audit_count()
    submit(demo, draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED and draft.round == 1
    assert audit_count() == before + 1
    with pytest.raises(ServiceError):
        services.version_update_draft(actor=demo["head"], version=draft, body="changed")


def test_chair_approval_binds_hash_and_minute(demo, draft):
    submit(demo, draft)
    before = audit_count()
    approve(demo["chair"], draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED
    assert draft.approved_sha256 == draft.sha256
    assert draft.minute_reference == "FGB/2026/41"
    # The decision and the approval it completes: one entry each.
    assert list(AuditEntry.objects.values_list("action", flat=True)[:2]) == [
        "version.approved",
        "version.decision.approve",
    ]
    assert audit_count() == before + 2


def test_other_governors_decisions_do_not_approve_under_chair_rule(demo, draft):
    submit(demo, draft)
    approve(demo["governor"], draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED


def test_governor_of_another_school_cannot_approve(demo, draft):
    submit(demo, draft)
    with pytest.raises(NotAllowed):
        approve(demo["hillside-chair"], draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED


def test_teacher_cannot_approve(demo, draft):
    submit(demo, draft)
    with pytest.raises(NotAllowed):
        approve(demo["teacher"], draft)


def test_decision_on_text_other_than_shown_is_refused(demo, draft):
    submit(demo, draft)
    with pytest.raises(ServiceError, match="not the text submitted"):
        services.version_decide(
            actor=demo["chair"], version=draft, decision=Decision.APPROVE,
            shown_sha256="0" * 64, minute_reference="FGB/1",
        )  # fmt: skip


def test_a_governor_decides_once_per_round(demo, draft):
    submit(demo, draft)
    approve(demo["governor"], draft)
    with pytest.raises(ServiceError, match="already recorded"):
        approve(demo["governor"], draft)


def test_request_changes_sends_back_to_draft_with_comments(demo, draft):
    submit(demo, draft)
    before = audit_count()
    services.version_decide(
        actor=demo["chair"], version=draft, decision=Decision.REQUEST_CHANGES,
        shown_sha256=draft.sha256, comment="Name TikTok in the scope.",
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert "Name TikTok in the scope." in draft.governors_comments
    assert audit_count() == before + 2
    # Edited and resubmitted, it is a new round in which governors decide afresh.
    services.version_update_draft(actor=demo["head"], version=draft, body=draft.body + "\n\nTikTok.\n")
    submit(demo, draft)
    draft.refresh_from_db()
    assert draft.round == 2
    approve(demo["chair"], draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED


def test_majority_rule_needs_more_than_half(demo):
    policy = demo["glenwood"].policies.get(title="Data Protection Policy")  # Resources committee, 3 members
    version = services.version_draft(actor=demo["head"], policy=policy, reviewed_on=REVIEWED)
    submit(demo, version)
    approve(demo["governor"], version, minute="RES/2026/5")
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED
    approve(demo["governor2"], version, minute="RES/2026/5")
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED


def test_majority_sends_back_once_approval_is_out_of_reach(demo):
    policy = demo["glenwood"].policies.get(title="Data Protection Policy")
    version = services.version_draft(actor=demo["head"], policy=policy, reviewed_on=REVIEWED)
    submit(demo, version)
    for governor in (demo["governor"], demo["governor2"]):
        version.refresh_from_db()
        services.version_decide(
            actor=governor, version=version, decision=Decision.REQUEST_CHANGES,
            shown_sha256=version.sha256, comment=f"{governor.first_name} wants changes",
        )  # fmt: skip
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert "Robert wants changes" in version.governors_comments
    assert "Anita wants changes" in version.governors_comments


def test_publish_supersedes_previous_and_keeps_it_unchanged(demo, social_media, draft):
    old = social_media.current_version
    old_body, old_hash = old.body, old.sha256
    submit(demo, draft)
    approve(demo["chair"], draft)
    draft.refresh_from_db()
    before = audit_count()
    services.version_publish(actor=demo["head"], version=draft)
    social_media.refresh_from_db()
    old.refresh_from_db()
    assert social_media.current_version == draft
    assert old.status == VersionStatus.SUPERSEDED
    assert (old.body, old.sha256) == (old_body, old_hash)
    assert list(AuditEntry.objects.values_list("action", flat=True)[:2]) == [
        "version.published",
        "version.superseded",
    ]
    assert audit_count() == before + 2


def test_publish_refuses_unapproved_and_non_reviewers(demo, draft):
    with pytest.raises(ServiceError):
        services.version_publish(actor=demo["head"], version=draft)
    submit(demo, draft)
    approve(demo["chair"], draft)
    draft.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.version_publish(actor=demo["teacher"], version=draft)


def test_retire_withdraws_the_policy(demo, social_media):
    before = audit_count()
    services.version_retire(actor=demo["head"], version=social_media.current_version)
    social_media.refresh_from_db()
    assert social_media.current_version is None
    assert audit_count() == before + 1


def test_approved_version_cannot_be_edited_even_through_the_model(demo, social_media):
    published = social_media.current_version
    published.body = "Rewritten behind the governors' backs."
    with pytest.raises(VersionIsLocked):
        published.save()
    with pytest.raises(VersionIsLocked):
        PolicyVersion.objects.filter(pk=published.pk).update(body="Rewritten")
    with pytest.raises(VersionIsLocked):
        published.delete()
    published.refresh_from_db()
    assert "Rewritten" not in published.body


def test_the_demo_policy_is_the_schools_text(demo, social_media):
    version = social_media.current_version
    assert version.reviewed_on == datetime.date(2018, 2, 1)
    assert version.next_review_on == datetime.date(2019, 2, 1)
    assert social_media.reviewer_abbreviation == "HT"
    assert social_media.approval_body.short_name == "FGB"
    assert version.body_html.count("<h2>") == 9
    assert "<em>Facebook</em>" in version.body_html
    assert "<strong>keep their personal and professional lives separate</strong>" in version.body_html
    assert "<blockquote>" in version.body_html
    assert (
        'href="http://www.childnet.com/resources/social-networking-a-guide-for-teachers-and-professionals"'
        in (version.body_html)
    )
    related = set(social_media.related.filter(kind="policy").values_list("title", flat=True))
    assert related == {
        "Online Safety Policy",
        "Data Protection Policy",
        "Freedom of Information Policy",
        "Disciplinary Policy and Procedure",
    }
