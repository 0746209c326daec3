"""How long each kind of record is kept, what is on legal hold, what waits for review, and subject access.

The schedule is data (one rule per kind of record, each naming its source) so a trust administrator
can see and adjust it; every change, hold and decision is written to the audit log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RecordKind(models.TextChoices):
    SIGNATURE = "signature", "Signatures of agreements"
    DECLINE = "decline", "Declined agreements"
    CHILD_PROTECTION = "child_protection", "Child-protection records"
    STAFF_ALLEGATION = "staff_allegation", "Allegations about staff"
    LOW_LEVEL_CONCERN = "low_level_concern", "Low-level concerns"
    MONITORING_FLAG = "monitoring_flag", "Monitoring flags that led to nothing"
    IMPORT_FILE = "import_file", "Raw files of people imports"
    AUDIT_ENTRY = "audit_entry", "Audit log entries"


class RuleAction(models.TextChoices):
    DELETE = "delete", "Delete (after an administrator confirms)"
    ANONYMISE = "anonymise", "Remove the personal data (after an administrator confirms)"
    REVIEW = "review", "Review: the DSL or headteacher decides and records why"


class RetentionRule(models.Model):
    """One line of the retention schedule: when a kind of record reaches its date, and what then."""

    kind = models.CharField(max_length=30, choices=RecordKind.choices, unique=True)
    counted_from = models.CharField(
        max_length=200, help_text='What the period is counted from, e.g. "the day the person left".'
    )
    years = models.PositiveSmallIntegerField(default=0)
    months = models.PositiveSmallIntegerField(default=0)
    days = models.PositiveSmallIntegerField(default=0)
    action = models.CharField(max_length=10, choices=RuleAction.choices)
    source = models.CharField(max_length=300, help_text="The guidance the rule comes from.")
    notes = models.TextField(blank=True)
    pension_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Allegations about staff only: the normal pension age."
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def period(self) -> str:
        parts = [(self.years, "year"), (self.months, "month"), (self.days, "day")]
        words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
        return ", ".join(words) or "none"


class LegalHold(models.Model):
    """A record under investigation, appeal or litigation: no rule touches it until the hold is lifted."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=80)
    record_id = models.CharField(max_length=40)
    record_label = models.CharField(max_length=255)
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], condition=Q(lifted_at__isnull=True), name="one_open_hold"
            )
        ]

    def __str__(self):
        return f"Legal hold on {self.record_label}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ReviewStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a decision"
    DELETED = "deleted", "Deleted"
    ANONYMISED = "anonymised", "Personal data removed"
    KEPT = "kept", "Kept, with reasons"


class ReviewItem(models.Model):
    """A record that has reached its retention date, waiting for a person to confirm or decide."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="items")
    record_type = models.CharField(max_length=80)
    record_id = models.CharField(max_length=40)
    # Kind and number only: the queue outlives the record, so it holds no personal data.
    record_label = models.CharField(max_length=255)
    due_on = models.DateField()
    listed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=Q(status="waiting"),
                name="one_waiting_review_per_record",
            )
        ]

    def __str__(self):
        return f"{self.record_label} (due {self.due_on:%d %b %Y})"

    @property
    def needs_review(self) -> bool:
        return self.rule.action == RuleAction.REVIEW


class AccessStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def access_path(instance, filename):
    return f"subject-access/{instance.school_id}/{filename}"


class SubjectAccessRequest(models.Model):
    """A person's request for everything the portal holds about them (UK GDPR Article 15)."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(
        help_text="The day the request reached the school: the month runs from it."
    )
    due_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=AccessStatus.choices, default=AccessStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Subject access request {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status != AccessStatus.DONE and self.due_on < timezone.localdate()

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
