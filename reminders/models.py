"""Reminders sent, each exactly once, and the in-app notifications that mirror them.

A reminder's `cycle` names the occasion it belongs to ("the 30-day review reminder for version
12", "the 2nd chaser for the staff agreement version 3"). The database holds one reminder per
recipient and cycle, so a job run twice, two beat processes or a retried task cannot make a second.
"""

from django.conf import settings
from django.db import models

from people.models import School


class ReminderSettings(models.Model):
    """What a school changes about its reminders; defaults follow the school's policy calendar."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="reminder_settings")
    review_days_before = models.CharField(
        "review reminders (days before)",
        max_length=50,
        default="60,30,7",
        help_text="Days before a policy's next review to remind, e.g. 60,30,7.",
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        "overdue reminders every (days)",
        default=7,
        help_text="Once overdue, remind the reviewer and the chair this often.",
    )
    chase_after_days = models.PositiveSmallIntegerField(
        "first signing reminder after (days)",
        default=3,
        help_text="First signing reminder after this many days.",
    )
    chase_every_days = models.PositiveSmallIntegerField(
        "then every (days)", default=7, help_text="Then remind this often."
    )
    chase_at_most = models.PositiveSmallIntegerField(
        "signing reminders at most", default=4, help_text="Stop chasing after this many reminders."
    )
    digest_weekday = models.PositiveSmallIntegerField(
        "weekly digest day",
        default=0, choices=[(i, d) for i, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])],
        help_text="The day admins get the weekly digest of who is still outstanding.",
    )  # fmt: skip

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self):
        return f"Reminder settings for {self.school}"

    @property
    def review_thresholds(self) -> list[int]:
        days = {
            int(d) for d in self.review_days_before.replace(" ", "").split(",") if d.isdigit() and int(d) > 0
        }
        return sorted(days, reverse=True)

    @classmethod
    def for_school(cls, school_id):
        return cls.objects.get_or_create(school_id=school_id)[0]


class ReminderKind(models.TextChoices):
    REVIEW_DUE = "review_due", "Policy review due"
    REVIEW_OVERDUE = "review_overdue", "Policy review overdue"
    SIGNING_CHASE = "signing_chase", "Agreement to sign"
    NEW_VERSION = "new_version", "New version to sign"
    ADMIN_DIGEST = "admin_digest", "Weekly digest of outstanding agreements"
    NEW_REPORT = "new_report", "A concern to triage"
    CASE_LETTER = "case_letter", "A letter about a case concerning you"
    WITNESS_REQUEST = "witness_request", "A pupil named you as witness"
    DECISION_WAITING = "decision_waiting", "A policy decision waiting"
    DECISION_MADE = "decision_made", "The governors decided"
    DECISION_MEETING = "decision_meeting", "A policy to decide on before the governors' meeting"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    # Committed before the email goes out: a worker that dies mid-send leaves this, and the sweep
    # sends it again with the same Message-ID (see services.reminder_deliver).
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Reminder(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices, db_index=True)
    cycle = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    # What the email is about: enough to render it when it is sent.
    context = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sending_since = models.DateTimeField(null=True, blank=True, help_text="When the current send began.")
    resends = models.PositiveSmallIntegerField(
        default=0, help_text="Sent again because a send was interrupted and may have gone out already."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "cycle"], name="one_reminder_per_recipient_and_cycle"
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class Notification(models.Model):
    """The in-app copy of a reminder, shown on the person's notifications page."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="notification")
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title
