"""The append-only audit log: who did what to which record, and when.

Each school's entries (and the trust's, school empty) form a hash chain: an entry stores the
SHA-256 of its content and of the entry before it, and the fingerprints of the evidence it created.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from glenwood.protection import PERMANENT, pg_triggers

# Case files, their chronology, documents, referrals and monitoring flags: read only in the portal,
# under its need-to-know rules, so pages without those rules (the Django admin) show the type and id.
CONFIDENTIAL_RECORD_TYPES = ("breaches.",)


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries are never changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries are never deleted.")

    def for_record(self, record):
        return self.filter(record_type=record._meta.label_lower, record_id=str(record.pk))


class AuditEntry(models.Model):
    REFUSALS = PERMANENT

    # Set by the chain before the entry is hashed (not auto_now_add, which would change it after).
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    record_type = models.CharField(max_length=80, db_index=True)
    record_id = models.CharField(max_length=40)
    record_label = models.CharField(max_length=255)
    detail = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(
        default=dict, blank=True, help_text="SHA-256 of each permanent record this entry wrote, by record."
    )
    previous_sha256 = models.CharField("SHA-256 of the entry before", max_length=64, blank=True)
    entry_sha256 = models.CharField("SHA-256 of this entry", max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["record_type", "record_id"]), models.Index(fields=["school", "id"])]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.record_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit entries are never changed.")
        if not self.entry_sha256:
            # An entry outside its chain would break it for good: every write goes through the chain.
            raise AuditLogIsAppendOnly("Write audit entries with audit.services (chain_append).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries are never deleted.")

    @property
    def is_confidential(self) -> bool:
        """An entry about a case file: its label and detail may hold what the case is about."""
        return self.record_type.startswith(CONFIDENTIAL_RECORD_TYPES)

    @property
    def record_name(self) -> str:
        if self.is_confidential:
            return f"{self.record_type} #{self.record_id}"
        return self.record_label

    def summary(self) -> str:
        from .describe import describe

        return describe(self)


class AuditChainHead(models.Model):
    """The newest entry of one chain. Writers lock this row, so two writers never fork the chain."""

    key = models.CharField(max_length=20, unique=True, help_text='"trust", or "school-<id>".')
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    head_sha256 = models.CharField(max_length=64, blank=True)
    length = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.length} entries"


class EvidenceLift(models.Model):
    """SQLite only: the record the lawful-deletion path may touch, for the length of its transaction.

    The SQLite triggers read this table; a row here exists only inside audit.lawful's transaction.
    """

    table_name = models.CharField(max_length=80)
    record_id = models.CharField(max_length=40)

    def __str__(self):
        return f"{self.table_name} {self.record_id}"


class EvidenceCheck(models.Model):
    """One run of verify_evidence. A failed run shows a banner until someone acknowledges it."""

    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    passed = models.BooleanField()
    entries_checked = models.PositiveIntegerField(default=0)
    records_checked = models.PositiveIntegerField(default=0)
    first_broken = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self):
        return f"Evidence check {self.ran_at:%Y-%m-%d %H:%M}: {'passed' if self.passed else 'FAILED'}"
