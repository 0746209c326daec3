"""Every change the retention work makes: the schedule, legal holds, the review queue and its decisions.

Each has the house shape: check, one transaction, the audit entry, files removed after commit.
Evidence is deleted only through audit.lawful.delete_record, which leaves a tombstone in the chain.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.lawful import delete_record
from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError
from people.models import Role, School

from . import rules, schedule
from .models import LegalHold, RecordKind, RetentionRule, ReviewItem, ReviewStatus

ADMINISTRATORS = (Role.TRUST_ADMIN, Role.SCHOOL_ADMIN)
REVIEWERS = (Role.DSL, Role.HEADTEACHER)
RULE_FIELDS = ("years", "months", "days", "action", "source", "notes", "pension_age", "counted_from")


# The schedule ---------------------------------------------------------------------------------


def rule_change(*, actor, rule: RetentionRule, **changes) -> RetentionRule:
    """A trust administrator adjusts one line of the schedule; the old and new values are audited."""
    if not actor.has_role(Role.TRUST_ADMIN):
        raise NotAllowed
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ServiceError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    if not str(changes.get("source", rule.source)).strip():
        raise ServiceError("Say where the rule comes from.")
    before = {name: getattr(rule, name) for name in changes}
    changed = {k: v for k, v in changes.items() if before[k] != v}
    if not changed:
        return rule
    with transaction.atomic():
        for name, value in changed.items():
            setattr(rule, name, value)
        rule.changed_by, rule.changed_at = actor, timezone.now()
        rule.save(update_fields=[*changed, "changed_by", "changed_at"])
        audit_record(
            actor=actor, action="retention.rule_changed", record=rule, school=None,
            detail={"kind": rule.kind, "before": {k: before[k] for k in changed}, "after": changed},
        )  # fmt: skip
    return rule


# Legal holds ----------------------------------------------------------------------------------


def record_key(record) -> tuple[str, str]:
    return record._meta.label_lower, str(record.pk)


def hold_keys(record) -> list[tuple[str, str]]:
    """A record is held when it, its case or the person it is about is on hold."""
    keys = [record_key(record)] if hasattr(record, "_meta") else []
    for name in ("case", "person", "subject_person"):
        related = getattr(record, name, None) if hasattr(record, "_meta") else None
        if related is not None:
            keys.append(record_key(related))
    return keys


def is_held(record=None, *, keys=None) -> bool:
    keys = keys if keys is not None else hold_keys(record)
    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    return any(holds.filter(record_type=t, record_id=i).exists() for t, i in keys)


def hold_place(*, actor, record, reason: str) -> LegalHold:
    """Put a record under investigation, appeal or litigation beyond every retention rule."""
    _require(actor, *ADMINISTRATORS, *REVIEWERS)
    if not reason.strip():
        raise ServiceError("Say why the record is held: the investigation, appeal or claim.")
    record_type, record_id = record_key(record)
    school = _school_of(record)
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(
                school=school, record_type=record_type, record_id=record_id, record_label=_label(record),
                reason=reason.strip(), placed_by=actor,
            )  # fmt: skip
            audit_record(actor=actor, action="retention.hold_placed", record=hold, school=school,
                         detail={"record": f"{record_type}:{record_id}"})  # fmt: skip
    except IntegrityError:
        raise ServiceError("This record is already on legal hold.") from None
    return hold


def hold_lift(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    _require(actor, *ADMINISTRATORS, *REVIEWERS)
    if not reason.strip():
        raise ServiceError("Say why the hold can be lifted.")
    with transaction.atomic():
        moved = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason.strip()
        )
        if moved != 1:
            raise ServiceError("This hold has already been lifted.")
        hold.refresh_from_db()
        audit_record(actor=actor, action="retention.hold_lifted", record=hold, school=hold.school,
                     detail={"record": f"{hold.record_type}:{hold.record_id}"})  # fmt: skip
    return hold


# The monthly listing --------------------------------------------------------------------------


def review_list(*, today: datetime.date | None = None) -> int:
    """The monthly job: every record that has reached its date joins the review queue. Deletes nothing."""
    today = today or timezone.localdate()
    listed = 0
    for rule in schedule.rules_in_force():
        for due in rules.FINDERS[rule.kind](rule, today):
            record_type, record_id = due.key
            if _recently_kept(record_type, record_id, today):
                continue
            if is_held(keys=[due.key, *hold_keys(due.record)[1:]]):
                continue  # a hold blocks every rule: listed the month after it is lifted
            try:
                with transaction.atomic():
                    item, created = ReviewItem.objects.get_or_create(
                        record_type=record_type, record_id=record_id, status=ReviewStatus.WAITING,
                        defaults={"school_id": due.school_id, "rule": rule, "due_on": due.due_on,
                                  "record_label": due.label or _label(due.record)},
                    )  # fmt: skip
                    if created:
                        listed += 1
                        audit_record(actor=None, action="retention.listed", record=item,
                                     school=item.school, detail={"kind": rule.kind})  # fmt: skip
            except IntegrityError:
                continue
    return listed


def _recently_kept(record_type, record_id, today) -> bool:
    since = today - rules.REVIEW_AGAIN_AFTER
    return ReviewItem.objects.filter(
        record_type=record_type, record_id=record_id, status=ReviewStatus.KEPT, decided_at__date__gt=since
    ).exists()


# Decisions ------------------------------------------------------------------------------------


def review_confirm(*, actor, item: ReviewItem, reason: str = "") -> ReviewItem:
    """An administrator confirms a deletion or anonymisation the schedule asks for."""
    _require(actor, *ADMINISTRATORS)
    if item.needs_review:
        raise ServiceError(
            "This record is for the DSL or headteacher to review, not to delete on confirmation."
        )
    return _carry_out(
        actor, item, reason or f"Retention: {item.rule}, {item.rule.period} ({item.rule.source})"
    )


def review_confirm_batch(*, actor, items) -> dict:
    """Confirm several at once; each is its own step, so one refusal leaves the others done."""
    done, refused = [], {}
    for item in items:
        try:
            review_confirm(actor=actor, item=item)
            done.append(item.pk)
        except ServiceError as error:
            refused[item.pk] = str(error)
    return {"done": done, "refused": refused}


def review_decide(*, actor, item: ReviewItem, delete: bool, reason: str) -> ReviewItem:
    """The DSL or headteacher decides a record that reached review: kept (why) or deleted (why)."""
    _require(actor, *REVIEWERS)
    record = _load(item)
    if getattr(record, "subject_person_id", None) == actor.pk:
        # KCSIE Part 4: a case about the headteacher is never theirs to handle, nor to remove.
        raise NotAllowed("Nobody decides what happens to a case about themselves.")
    if not item.needs_review:
        raise ServiceError("This record needs an administrator's confirmation, not a review.")
    if not reason.strip():
        raise ServiceError("Record why: the decision and its reason stay on the file.")
    if not delete:
        with transaction.atomic():
            _close(item, ReviewStatus.KEPT, actor, reason.strip())
            audit_record(actor=actor, action="retention.kept", record=item, school=item.school,
                         detail={"reason": reason.strip()})  # fmt: skip
        return item
    if item.record_type == "audit.year":
        raise ServiceError("Audit entries are links of the evidence chain: they can be kept, not deleted.")
    return _carry_out(actor, item, f"Retention review: {reason.strip()}")


def _carry_out(actor, item, reason):
    if item.status != ReviewStatus.WAITING:
        raise ServiceError(f"This has already been decided: {item.get_status_display().lower()}.")
    record = _load(item)
    if record is not None and is_held(record):
        raise ServiceError("This record is on legal hold: nothing is deleted until the hold is lifted.")
    with transaction.atomic():
        if record is None:
            status = ReviewStatus.DELETED  # gone already (with its case, say): nothing more to do
        elif item.rule.kind == RecordKind.IMPORT_FILE:
            _remove_import_file(actor, record)
            status = ReviewStatus.ANONYMISED
        else:
            _delete(actor, item, record, reason)
            status = ReviewStatus.DELETED
        _close(item, status, actor, reason)
        audit_record(actor=actor, action=f"retention.{status}", record=item, school=item.school,
                     detail={"kind": item.rule.kind})  # fmt: skip
    return item


def _close(item, status, actor, reason):
    moved = ReviewItem.objects.filter(pk=item.pk, status=ReviewStatus.WAITING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_reason=reason
    )
    if moved != 1:
        raise ServiceError("This has already been decided.")
    item.status, item.decided_by, item.decision_reason = status, actor, reason


def _load(item):
    from django.apps import apps

    if item.record_type == "audit.year":
        return rules.AuditYear(item.school_id, item.record_id.split(":")[1])
    model = apps.get_model(item.record_type)
    return model._base_manager.filter(pk=item.record_id).first()


def _delete(actor, item, record, reason):
    from agreements.models import Signature
    from breaches.models import Case

    if isinstance(record, Signature):
        _delete_signature(actor, record, reason)
    elif isinstance(record, Case):
        _delete_case(actor, record, reason)
    else:
        delete_record(record, by=actor, reason=reason, school=item.school)


def _delete_signature(actor, signature, reason):
    from breaches.models import Case

    if Case.objects.filter(signature=signature).exists():
        raise ServiceError("A case still cites this signature: it is kept until that case goes.")
    certificate = getattr(signature, "certificate", None)
    if certificate is not None:
        _remove_file_after_commit(certificate.pdf)
        delete_record(certificate, by=actor, reason=reason)
    delete_record(signature, by=actor, reason=reason)


def _delete_case(actor, case, reason):
    """A case goes with all it holds: the flag, referrals, letters, the decision to name the reporter,
    evidence packs and documents (files too), then its chronology."""
    from breaches.models import MonitoringFlag, ReporterDisclosure

    flag = MonitoringFlag.objects.filter(case=case).first()
    if flag is not None:
        delete_record(flag, by=actor, reason=reason)
    disclosure = ReporterDisclosure.objects.filter(case=case).first()
    if disclosure is not None:
        delete_record(disclosure, by=actor, reason=reason, school=case.school)
    for pack in case.evidence_packs.all():
        _remove_file_after_commit(pack.pdf)
        delete_record(pack, by=actor, reason=reason, school=case.school)
    for record in [*case.referrals.all(), *case.letters.all()]:
        delete_record(record, by=actor, reason=reason, school=case.school)
    for attachment in case.attachments.all():
        _remove_file_after_commit(attachment.file)
        delete_record(attachment, by=actor, reason=reason, school=case.school)
    for entry in case.entries.all():
        delete_record(entry, by=actor, reason=reason, school=case.school)
    case.panel.clear()
    case.appeal_panel.clear()
    delete_record(case, by=actor, reason=reason)


def _remove_import_file(actor, batch):
    """The raw MIS file goes; the counts stay, so the import's history still reads."""
    from people.models import ImportBatch

    counts = {k: v for k, v in (batch.summary or {}).items() if isinstance(v, int)}
    ImportBatch.objects.filter(pk=batch.pk).update(csv_text="", summary=counts)
    audit_record(actor=actor, action="retention.import_file_removed", record=batch, school=batch.school,
                 detail={"sha256": batch.sha256})  # fmt: skip


def _remove_file_after_commit(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


# Helpers --------------------------------------------------------------------------------------


def _require(actor, *roles):
    if not actor.has_role(*roles):
        raise NotAllowed


def _school_of(record):
    if isinstance(record, School):
        return record
    school = getattr(record, "school", None)
    if school is None and getattr(record, "case", None) is not None:
        school = record.case.school
    return school


def _label(record) -> str:
    """Kind and number, never a name: the label outlives the record."""
    meta = getattr(record, "_meta", None)
    if meta is None:
        return str(record)
    return f"{meta.verbose_name.capitalize()} {record.pk}"
