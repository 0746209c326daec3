"""Every change to a policy or one of its versions: draft, submit, decide, publish, retire.

Each function has one shape: check the state and the person, then inside one transaction save
only what changed and append the audit entry.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError, change_status
from people.models import ApprovalRule, Role

from . import permissions
from .markdown import markdown_problems
from .models import ApprovalDecision, Decision, Policy, PolicyVersion, VersionStatus
from .signals import version_decided, version_published, version_submitted


def _refuse_unrenderable(body: str) -> None:
    # Checked before saving: text too long or too deeply nested would break its PDF for good.
    problems = markdown_problems(body)
    if problems:
        raise ServiceError(problems[0])


def policy_create(*, actor, school, title, approval_body, body, reviewed_on, **fields) -> Policy:
    if not permissions.can_manage_policies(actor) or actor.school_id != school.pk:
        raise NotAllowed("Only the headteacher or a school administrator adds policies.")
    _refuse_unrenderable(body)
    if approval_body.school_id != school.pk:
        raise ServiceError("The approving body must be one of this school's.")
    related = fields.pop("related", [])
    with transaction.atomic():
        policy = Policy.objects.create(school=school, title=title, approval_body=approval_body, **fields)
        policy.related.set(related)
        audit_record(actor=actor, action="policy.created", record=policy, detail={"title": title})
        _create_draft(actor=actor, policy=policy, body=body, reviewed_on=reviewed_on)
    return policy


# What the head may change about a policy after adding it (its text changes only by a new version).
DETAIL_FIELDS = (
    "title", "category", "reviewer_role", "approval_body", "review_interval_months",
    "for_staff", "for_pupils", "for_visitors", "for_governors", "public",
)  # fmt: skip


def _in_words(policy, name, value):
    """A value as the audit log shows it: the body's name, the role's name, not an id or code."""
    if name == "reviewer_role":
        return Role(value).label if value in Role.values else value
    if name == "approval_body":
        return value.name
    return value


def policy_update_details(*, actor, policy, related=None, **changes) -> Policy:
    """Change who reviews a policy, who approves it, whom it applies to and the like, with each
    change in words in the audit log. `related` (the policies read with it) is a list of policies."""
    if not permissions.can_manage_policies(actor) or actor.school_id != policy.school_id:
        raise NotAllowed("Only the headteacher or a school administrator changes a policy's details.")
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ServiceError(f"These are not details of a policy: {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = changes["title"].strip()
        if not changes["title"]:
            raise ServiceError("Give the policy a title.")
        if (
            Policy.objects.filter(school=policy.school, title__iexact=changes["title"])
            .exclude(pk=policy.pk)
            .exists()
        ):
            raise ServiceError("The school already has a policy with this title.")
    body = changes.get("approval_body")
    if body is not None and body.pk != policy.approval_body_id:
        if body.school_id != policy.school_id:
            raise ServiceError("The approving body must be one of this school's.")
        if policy.versions.filter(status=VersionStatus.SUBMITTED).exists():
            raise ServiceError(
                "A version is with the governors for their decision: change who approves it once they have decided."
            )
    interval = changes.get("review_interval_months")
    if interval is not None and not 1 <= interval <= 60:
        raise ServiceError("Give a review interval from 1 to 60 months.")
    changed = [name for name, value in changes.items() if getattr(policy, name) != value]
    detail = {
        name: [_in_words(policy, name, getattr(policy, name)), _in_words(policy, name, changes[name])]
        for name in changed
    }
    if related is not None:
        related = [p for p in related if p.pk != policy.pk]
        if any(p.school_id != policy.school_id for p in related):
            raise ServiceError("Related policies must be this school's.")
        before = sorted(policy.related.values_list("title", flat=True))
        after = sorted(p.title for p in related)
        if before != after:
            detail["related"] = [", ".join(before), ", ".join(after)]
    if not detail:
        return policy
    with transaction.atomic():
        for name in changed:
            setattr(policy, name, changes[name])
        if changed:
            policy.save(update_fields=changed)
        if "related" in detail:
            policy.related.set(related)
        audit_record(actor=actor, action="policy.updated", record=policy, detail=detail)
    return policy


def version_draft(*, actor, policy, reviewed_on, change_summary="", body=None) -> PolicyVersion:
    """Start a revision, by default from the current text."""
    if not permissions.is_reviewer(actor, policy):
        raise NotAllowed(f"Only the {policy.get_reviewer_role_display().lower()} drafts revisions.")
    if policy.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED]
    ).exists():
        raise ServiceError("A revision of this policy is already in progress.")
    if body is None:
        body = policy.current_version.body if policy.current_version else ""
    with transaction.atomic():
        return _create_draft(
            actor=actor, policy=policy, body=body, reviewed_on=reviewed_on, change_summary=change_summary
        )


def _one_kind_of_newline(text: str) -> str:
    # Browsers post textareas with CRLF; the hash must not change because of how text travelled.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _create_draft(*, actor, policy, body, reviewed_on, change_summary="") -> PolicyVersion:
    body = _one_kind_of_newline(body)
    number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                policy=policy,
                number=number,
                label=f"Version {number}",
                body=body,
                change_summary=change_summary,
                reviewed_on=reviewed_on,
                next_review_on=policy.next_review_after(reviewed_on),
                created_by=actor,
            )
    except IntegrityError as exc:
        # Two drafts started at once: the database keeps one revision in progress per policy.
        raise ServiceError("A revision of this policy is already in progress.") from exc
    audit_record(actor=actor, action="version.drafted", record=version, school=policy.school)
    return version


def version_update_draft(*, actor, version, **changes) -> PolicyVersion:
    if not permissions.is_reviewer(actor, version.policy):
        raise NotAllowed("Only the policy's reviewer edits its draft.")
    if version.status != VersionStatus.DRAFT:
        raise ServiceError("Only a draft can be edited; new text means a new version.")
    if "body" in changes:
        changes["body"] = _one_kind_of_newline(changes["body"])
        _refuse_unrenderable(changes["body"])
    if "reviewed_on" in changes and "next_review_on" not in changes:
        changes["next_review_on"] = version.policy.next_review_after(changes["reviewed_on"])
    changed = [f for f, v in changes.items() if getattr(version, f) != v]
    if not changed:
        return version
    with transaction.atomic():
        for field in changed:
            setattr(version, field, changes[field])
        version.save(update_fields=[*changed, "body_html", "sha256"])
        audit_record(
            actor=actor, action="version.edited", record=version, school=version.policy.school,
            detail={"fields": changed, "sha256": version.sha256},
        )  # fmt: skip
    return version


def version_submit(*, actor, version, meeting_on=None) -> PolicyVersion:
    """Send a draft to the governors; `meeting_on`, the date of their meeting, if the head knows it
    (each governor who has not decided is reminded a few days before)."""
    if not permissions.is_reviewer(actor, version.policy):
        raise NotAllowed("Only the policy's reviewer submits it for approval.")
    if not version.body.strip():
        raise ServiceError("The policy text is empty.")
    if meeting_on is not None and meeting_on < timezone.localdate():
        raise ServiceError("The governors' meeting date has passed; give the date of the next meeting.")
    _refuse_unrenderable(version.body)  # a revision copied from an older, deeper text
    with transaction.atomic():
        change_status(
            version,
            allowed_from=[VersionStatus.DRAFT],
            to=VersionStatus.SUBMITTED,
            submitted_at=timezone.now(),
            round=version.round + 1,
            meeting_on=meeting_on,
        )
        detail = {"sha256": version.sha256, "round": version.round}
        if meeting_on:
            detail["meeting"] = meeting_on.isoformat()
        audit_record(
            actor=actor, action="version.submitted", record=version, school=version.policy.school,
            detail=detail,
        )  # fmt: skip
        transaction.on_commit(lambda: version_submitted.send(sender=PolicyVersion, version=version))
    return version


def version_decide(
    *, actor, version, decision, shown_sha256, comment="", minute_reference=""
) -> ApprovalDecision:
    """Record one governor's decision, then approve or send back when the body's rule is met."""
    if not permissions.is_approver(actor, version):
        raise NotAllowed("Only governors of the approving body decide on this policy.")
    if version.status != VersionStatus.SUBMITTED:
        raise ServiceError("This version is not awaiting a decision.")
    if shown_sha256 != version.sha256:
        raise ServiceError("The text you were shown is not the text submitted; reload and read it again.")
    if decision == Decision.REQUEST_CHANGES and not comment.strip():
        raise ServiceError("Say what should change.")
    if decision == Decision.APPROVE and not minute_reference.strip():
        raise ServiceError("Give the minute reference of the meeting that approved it.")
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.SUBMITTED or locked.round != version.round:
            raise ServiceError("This version is not awaiting a decision any more.")
        try:
            with transaction.atomic():
                recorded = ApprovalDecision.objects.create(
                    version=version, round=version.round, governor=actor, decision=decision,
                    comment=comment.strip(), minute_reference=minute_reference.strip(),
                    version_sha256=shown_sha256,
                )  # fmt: skip
        except IntegrityError as exc:
            raise ServiceError("You have already recorded your decision on this version.") from exc
        audit_record(
            actor=actor, action=f"version.decision.{decision}", record=version,
            school=version.policy.school, evidence=[recorded],
            detail={"round": version.round, "sha256": shown_sha256, "minute": recorded.minute_reference},
        )  # fmt: skip
        _apply_body_rule(version=version, last=recorded)
    return recorded


def _apply_body_rule(*, version, last):
    body = version.policy.approval_body
    decisions = list(version.decisions.filter(round=version.round))
    approvals = sum(d.decision == Decision.APPROVE for d in decisions)
    requests = [d for d in decisions if d.decision == Decision.REQUEST_CHANGES]
    if body.rule == ApprovalRule.CHAIR:
        if last.governor_id != body.chair_id:
            return
        approved, sent_back = last.decision == Decision.APPROVE, last.decision == Decision.REQUEST_CHANGES
    else:
        members = body.members.count()
        majority = members // 2 + 1
        approved = approvals >= majority
        sent_back = len(requests) > members - majority
    if approved:
        change_status(
            version,
            allowed_from=[VersionStatus.SUBMITTED],
            to=VersionStatus.APPROVED,
            approved_at=timezone.now(),
            approved_sha256=version.sha256,
            minute_reference=last.minute_reference,
        )
        audit_record(
            actor=last.governor, action="version.approved", record=version,
            school=version.policy.school,
            detail={"sha256": version.sha256, "minute": last.minute_reference, "rule": body.rule},
        )  # fmt: skip
        transaction.on_commit(
            lambda: version_decided.send(sender=PolicyVersion, version=version, outcome="approved")
        )
    elif sent_back:
        comments = "\n\n".join(f"{d.governor}: {d.comment}" for d in requests)
        change_status(
            version, allowed_from=[VersionStatus.SUBMITTED], to=VersionStatus.DRAFT,
            governors_comments=comments,
        )  # fmt: skip
        audit_record(
            actor=last.governor, action="version.sent_back", record=version,
            school=version.policy.school, detail={"round": version.round},
        )  # fmt: skip
        transaction.on_commit(
            lambda: version_decided.send(sender=PolicyVersion, version=version, outcome="sent_back")
        )


def version_publish(*, actor, version, minor=False) -> PolicyVersion:
    """Make an approved version current; the one it replaces is kept, superseded.

    `minor` marks a change that does not ask those who signed the previous version to sign again.
    """
    policy = version.policy
    if not permissions.is_reviewer(actor, policy):
        raise NotAllowed("Only the policy's reviewer publishes it.")
    if version.status != VersionStatus.APPROVED:
        raise ServiceError("Only an approved version can be published.")
    if version.approved_sha256 != version.sha256:
        raise ServiceError("This text is not the text the governors approved.")
    now = timezone.now()
    with transaction.atomic():
        previous = policy.current_version
        if previous is not None:
            change_status(
                previous, allowed_from=[VersionStatus.PUBLISHED], to=VersionStatus.SUPERSEDED, ended_at=now
            )
            audit_record(
                actor=actor, action="version.superseded", record=previous, school=policy.school,
                detail={"by": version.label},
            )  # fmt: skip
        change_status(
            version,
            allowed_from=[VersionStatus.APPROVED],
            to=VersionStatus.PUBLISHED,
            published_at=now,
            is_minor_change=bool(minor and previous),
        )
        policy.current_version = version
        policy.save(update_fields=["current_version"])
        audit_record(
            actor=actor, action="version.published", record=version, school=policy.school,
            detail={"sha256": version.sha256, "replaces": previous.label if previous else None, "minor": minor},
        )  # fmt: skip
        # In the transaction: the emails it asks for are written with the publishing (the outbox).
        version_published.send(sender=PolicyVersion, version=version)
    return version


def version_retire(*, actor, version) -> PolicyVersion:
    """Withdraw a policy: its published version is retired and nothing replaces it."""
    policy = version.policy
    if not permissions.is_reviewer(actor, policy):
        raise NotAllowed("Only the policy's reviewer retires it.")
    with transaction.atomic():
        change_status(
            version, allowed_from=[VersionStatus.PUBLISHED], to=VersionStatus.RETIRED, ended_at=timezone.now()
        )
        policy.current_version = None
        policy.save(update_fields=["current_version"])
        audit_record(actor=actor, action="version.retired", record=version, school=policy.school)
    return version
