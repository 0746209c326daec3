"""Policies and their versions. A version's text is frozen once it goes to the governors."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from glenwood.models import PermanentRecord
from glenwood.protection import PERMANENT, Refusal, pg_triggers
from people.models import ROLE_ABBREVIATIONS, GoverningBody, Role, School

from .markdown import render_markdown, text_sha256


class VersionIsLocked(Exception):
    """Raised when something tries to change the text of a version the governors have seen."""


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    PUPILS = "pupils", "Pupils"
    VISITORS = "visitors", "Visitors"
    GOVERNORS = "governors", "Governors"


class PolicyKind(models.TextChoices):
    POLICY = "policy", "Policy"
    AGREEMENT = "agreement", "Acceptable Use Agreement"


class PolicyQuerySet(models.QuerySet):
    def for_audiences(self, audiences):
        q = Q()
        for audience in audiences:
            q |= Q(**{f"for_{audience}": True})
        return self.filter(q) if audiences else self.none()


class Policy(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="policies")
    title = models.CharField(max_length=200)
    # Agreements are versioned and approved exactly like policies; they differ in who signs them.
    kind = models.CharField(max_length=10, choices=PolicyKind.choices, default=PolicyKind.POLICY)
    category = models.CharField(max_length=80, blank=True)
    reviewer_role = models.CharField(
        "responsibility to review", max_length=20, choices=Role.choices, default=Role.HEADTEACHER
    )
    approval_body = models.ForeignKey(
        GoverningBody, on_delete=models.PROTECT, related_name="policies", verbose_name="approval"
    )
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    for_staff = models.BooleanField("applies to staff", default=True)
    for_pupils = models.BooleanField("applies to pupils", default=False)
    for_visitors = models.BooleanField("applies to visitors", default=False)
    for_governors = models.BooleanField("applies to governors", default=False)
    related = models.ManyToManyField("self", blank=True, verbose_name="read in conjunction with")
    # Shown to anyone, signed in or not, on the school's public policies page (its published text only).
    public = models.BooleanField(
        "on the school's public page",
        default=False,
        help_text="Anyone may read the published version, without signing in, and the school's website may embed the list.",
    )
    current_version = models.OneToOneField(
        "PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="unique_policy_title_per_school")
        ]

    def __str__(self):
        return self.title

    @property
    def reviewer_abbreviation(self) -> str:
        return ROLE_ABBREVIATIONS.get(self.reviewer_role, self.get_reviewer_role_display())

    @property
    def audiences(self) -> list[str]:
        return [a.label for a in Audience if getattr(self, f"for_{a.value}")]

    def next_review_after(self, reviewed_on):
        return reviewed_on + relativedelta(months=self.review_interval_months)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    RETIRED = "retired", "Retired"


# From submission on, the governors are deciding on this exact text: nobody may change it.
LOCKED_STATUSES = {
    VersionStatus.SUBMITTED,
    VersionStatus.APPROVED,
    VersionStatus.PUBLISHED,
    VersionStatus.SUPERSEDED,
    VersionStatus.RETIRED,
}
CONTENT_FIELDS = ("body", "body_html", "sha256", "change_summary", "label", "reviewed_on", "next_review_on")
APPROVED_STATUSES = ("approved", "published", "superseded", "retired")
PUBLISHED_STATUSES = ("published", "superseded", "retired")

# The database refuses what the model refuses: the text once the governors have it, what was
# approved (the text's hash and the minute) once approved, whether a publication asks for new
# signatures once published, and deleting any of them. Status moves stay allowed. The dates of
# approval and publication are kept by the chained audit entries of those steps (the demo loader
# back-dates the columns).
VERSION_REFUSALS = (
    Refusal(
        "refuse_text_change", "update", "A version the governors have seen is never edited.",
        columns=(*CONTENT_FIELDS, "policy_id", "number", "created_by_id", "created_at"),
        old_status_in=tuple(sorted(s.value for s in LOCKED_STATUSES)),
    ),
    Refusal(
        "refuse_approval_change", "update", "An approval is never changed.",
        columns=("approved_sha256", "minute_reference"), old_status_in=APPROVED_STATUSES,
    ),
    Refusal(
        "refuse_publication_change", "update", "A publication is never changed.",
        columns=("is_minor_change",), old_status_in=PUBLISHED_STATUSES,
    ),
    Refusal(
        "refuse_delete", "delete", "A version the governors have seen is kept for ever.",
        old_status_in=tuple(sorted(s.value for s in LOCKED_STATUSES)),
    ),
)  # fmt: skip


class PolicyVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if set(kwargs) & set(CONTENT_FIELDS) and self.filter(status__in=LOCKED_STATUSES).exists():
            raise VersionIsLocked("An approved or published version is never edited.")
        return super().update(**kwargs)

    def awaiting_decision(self):
        return self.filter(status=VersionStatus.SUBMITTED)


class PolicyVersion(models.Model):
    REFUSALS = VERSION_REFUSALS
    # Fingerprinted into the audit entries once published (see is_frozen_evidence).
    EVIDENCE_FIELDS = (
        "policy", "number", "label", "body", "sha256", "change_summary", "reviewed_on", "next_review_on",
        "approved_sha256", "minute_reference", "is_minor_change",
    )  # fmt: skip

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField("version label", max_length=40)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False)
    sha256 = models.CharField("SHA-256 of the text", max_length=64, editable=False)
    change_summary = models.TextField(blank=True)
    reviewed_on = models.DateField("reviewed")
    next_review_on = models.DateField("next review")
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    # Each submission is a new round of governors' decisions; earlier rounds stay on record.
    round = models.PositiveSmallIntegerField(default=0)
    meeting_on = models.DateField(
        "governors' meeting", null=True, blank=True,
        help_text="Given when submitted: governors who have not decided are reminded before it.",
    )  # fmt: skip
    governors_comments = models.TextField(blank=True)
    is_minor_change = models.BooleanField(
        default=False,
        help_text="Marked when published: those who signed the previous version need not sign again.",
    )
    minute_reference = models.CharField(max_length=80, blank=True)
    approved_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Superseded or retired.")

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status="published"),
                name="one_published_version_per_policy",
            ),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status__in=["draft", "submitted", "approved"]),
                name="one_revision_in_progress_per_policy",
            ),
        ]
        triggers = pg_triggers(VERSION_REFUSALS)

    def __str__(self):
        return f"{self.policy.title} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_changes_to_locked_text()
        if self.pk is None or self.status == VersionStatus.DRAFT:
            self.body_html = render_markdown(self.body)
            self.sha256 = text_sha256(self.body)
        super().save(*args, **kwargs)

    def _refuse_changes_to_locked_text(self):
        stored = type(self).objects.filter(pk=self.pk).values("status", *CONTENT_FIELDS).first()
        if stored is None or stored["status"] not in LOCKED_STATUSES:
            return
        if self.body != stored["body"] or any(
            getattr(self, f) != stored[f] for f in CONTENT_FIELDS if f not in ("body_html", "sha256")
        ):
            raise VersionIsLocked("An approved or published version is never edited: draft a new one.")

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise VersionIsLocked("A version the governors have seen is kept for ever.")
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def is_frozen_evidence(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def is_review_overdue(self) -> bool:
        return self.next_review_on < timezone.localdate()


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "changes", "Request changes"


class ApprovalDecision(PermanentRecord):
    """One governor's decision on one round of a version, bound to the text they were shown."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveSmallIntegerField()
    governor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    minute_reference = models.CharField(max_length=80, blank=True)
    version_sha256 = models.CharField(max_length=64)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "round", "governor"], name="one_decision_per_governor_per_round"
            )
        ]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.governor} – {self.get_decision_display()} – {self.version}"
