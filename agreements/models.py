"""Acceptable Use Agreements and the evidence of who signed which exact text, when and how.

An agreement's text is a Policy of kind "agreement": it is versioned, approved by governors and
published through the policy workflow. This app adds who must sign it and the signatures.
"""

from django.conf import settings
from django.db import models

from glenwood.models import PermanentQuerySet, PermanentRecord, RecordIsPermanent  # noqa: F401 (re-exported)
from glenwood.protection import PERMANENT, pg_triggers
from people.models import School
from policies.models import Policy, PolicyVersion


class AgreementKind(models.TextChoices):
    STAFF = "staff", "Staff"
    KS3 = "ks3", "KS3 pupils (Years 7-9)"
    KS4 = "ks4", "KS4 pupils (Years 10-11)"
    VISITOR = "visitor", "Visitors (supply, trainees, external staff)"
    GOVERNOR = "governor", "Governors"


DEFAULT_CONSENT = (
    "I have read this agreement in full, I understand it, and I agree to follow it whenever I use "
    "Glenwood School's IT facilities or social media in connection with the school."
)


class Agreement(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=10, choices=AgreementKind.choices)
    policy = models.OneToOneField(Policy, on_delete=models.PROTECT, related_name="agreement")
    consent_wording = models.TextField(default=DEFAULT_CONSENT)

    class Meta:
        ordering = ["school", "kind"]
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="one_agreement_per_kind")]

    def __str__(self):
        return self.policy.title

    @property
    def title(self):
        return self.policy.title


class AuthMethod(models.TextChoices):
    """How the signer signed in, as the session recorded it (accounts.receivers)."""

    PASSWORD = "password", "Password"
    TWO_FACTOR = "two_factor", "Password and second factor"
    MICROSOFT = "microsoft", "Microsoft 365 account"
    GOOGLE = "google", "Google Workspace account"
    STAFF_WITNESSED = "witnessed", "One-time class code, staff-witnessed"


class Signature(PermanentRecord):
    """Who signed which exact text, when and how: the evidence a hearing or an inspector asks for."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    text_sha256 = models.CharField("SHA-256 of the text shown", max_length=64)
    consent_wording = models.TextField()
    typed_name = models.CharField(max_length=200)
    year_group = models.PositiveSmallIntegerField(
        "year group at signing",
        null=True,
        blank=True,
        help_text="Pupils: the year they were in when they signed.",
    )
    comment = models.TextField(blank=True, help_text='e.g. "My signature confirms receipt, not agreement."')
    signed_at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    session_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the session key.")
    auth_method = models.CharField(max_length=12, choices=AuthMethod.choices)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="For a pupil: the member of staff who discussed the agreement with them.",
    )  # fmt: skip
    signing_session = models.ForeignKey(
        "SigningSession", on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    snapshot = models.JSONField(
        "what the certificate prints, as held at signing", default=dict, blank=True, editable=False,
        help_text="Frozen at insert (agreements/snapshots.py): the certificate never reads today's records.",
    )  # fmt: skip

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_signature_per_person_and_version")
        ]
        # The dashboard and reminders ask "who has signed this agreement", and a person's page "have I".
        indexes = [models.Index(fields=["agreement", "person"], name="signature_agreement_person")]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.person} signed {self.version}"

    @property
    def witness_needs_confirming(self) -> bool:
        """A pupil who signed away from class named a witness, who was not there to see it."""
        return bool(self.witness_id) and self.signing_session_id is None

    @property
    def witness_confirmed(self) -> bool:
        if not self.witness_needs_confirming:
            return bool(self.witness_id)  # the teacher running a class session saw it signed
        return getattr(self, "witness_confirmation", None) is not None


class WitnessConfirmation(PermanentRecord):
    """The named member of staff confirms they talked the agreement through with the pupil.

    Its own append-only row: the signature it confirms is evidence and is never changed.
    """

    signature = models.OneToOneField(Signature, on_delete=models.PROTECT, related_name="witness_confirmation")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    objects = PermanentQuerySet.as_manager()

    class Meta:
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.witness} witnessed {self.signature}"


class Decline(PermanentRecord):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="declines")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="declines")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declines")
    reason = models.TextField()
    declined_at = models.DateTimeField()
    snapshot = models.JSONField(
        "what the certificate prints, as held at signing", default=dict, blank=True, editable=False,
        help_text="Frozen at insert (agreements/snapshots.py): the certificate never reads today's records.",
    )  # fmt: skip

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-declined_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_decline_per_person_and_version")
        ]
        indexes = [models.Index(fields=["agreement", "person"], name="decline_agreement_person")]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.person} declined {self.version}"


class SigningSession(models.Model):
    """A teacher's class signing: pupils sign one after another on a shared device."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signing_sessions")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year_group = models.PositiveSmallIntegerField(null=True, blank=True)
    tutor_group = models.CharField(max_length=20, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        group = self.tutor_group or f"Year {self.year_group}"
        return f"{self.agreement} – {group} – {self.opened_at:%d %b %Y}"


class SigningCode(models.Model):
    """A one-time code the teacher hands a pupil; used once, only while the session is open."""

    session = models.ForeignKey(SigningSession, on_delete=models.CASCADE, related_name="codes")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=12)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pupil__last_name", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="one_code_per_pupil_per_session"),
            models.UniqueConstraint(fields=["session", "code"], name="unique_code_in_session"),
        ]

    def __str__(self):
        return f"{self.pupil} – {self.session}"


class SignatureCertificate(PermanentRecord):
    """A signature's sealed evidence PDF, made once, and the code anyone can check it with.

    Kept apart from the Signature row, which is the evidence itself and never changes: the PDF is
    a sealed copy of that evidence, written once and then permanent too.
    """

    signature = models.OneToOneField(Signature, on_delete=models.PROTECT, related_name="certificate")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("verification code", max_length=14, unique=True)
    pdf = models.FileField("sealed PDF", max_length=200)
    pdf_sha256 = models.CharField("SHA-256 of the sealed PDF", max_length=64, db_index=True)
    seal_fingerprint = models.CharField(
        "SHA-256 of the sealing certificate", max_length=64, help_text="Which of the school's certificates."
    )
    created_at = models.DateTimeField()

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "signature certificate"
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"Certificate {self.code}"


class DeclineCertificate(PermanentRecord):
    """A decline's sealed record, made when it commits: the school can show it asked and was refused."""

    decline = models.OneToOneField(Decline, on_delete=models.PROTECT, related_name="certificate")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("verification code", max_length=14, unique=True)
    pdf = models.FileField("sealed PDF", max_length=200)
    pdf_sha256 = models.CharField("SHA-256 of the sealed PDF", max_length=64, db_index=True)
    seal_fingerprint = models.CharField("SHA-256 of the sealing certificate", max_length=64)
    created_at = models.DateTimeField()

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "decline certificate"
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"Decline certificate {self.code}"


class ExportGroup(models.TextChoices):
    EVERYONE = "all", "Everyone who signed"
    YEAR_7 = "year-7", "Year 7"
    YEAR_8 = "year-8", "Year 8"
    YEAR_9 = "year-9", "Year 9"
    YEAR_10 = "year-10", "Year 10"
    YEAR_11 = "year-11", "Year 11"
    STAFF = "staff", "Staff"
    VISITORS = "visitors", "Visitors"
    GOVERNORS = "governors", "Governors"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Making the PDFs"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class Export(models.Model):
    """A ZIP of signed agreements as sealed PDFs, with a CSV index, made in the background."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="exports")
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty: every version.",
    )  # fmt: skip
    group = models.CharField(max_length=10, choices=ExportGroup.choices, default=ExportGroup.EVERYONE)
    signed_from = models.DateField(null=True, blank=True)
    signed_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    # Each start or restart is a new attempt; a worker still running an older one stops on its own.
    attempt = models.PositiveSmallIntegerField(default=1)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    made = models.PositiveIntegerField(default=0, help_text="PDFs made by this export.")
    reused = models.PositiveIntegerField(default=0, help_text="PDFs that had been made before.")
    file = models.FileField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True, help_text="When the worker last moved it on.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When its worker last renewed its lease (said it was alive)."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export {self.pk}: {self.agreement} ({self.get_group_display()})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class ComplianceSummary(models.Model):
    """A school's dashboard counts, with the number of changes they include (agreements/summary.py).

    Every change that can move a count bumps `changes` in its own transaction; the counts are
    recounted only when `counted_changes` falls behind it, or on a new day (leavers and expiries).
    """

    school = models.OneToOneField(School, on_delete=models.CASCADE, primary_key=True, related_name="+")
    changes = models.PositiveBigIntegerField(default=0)
    counted_changes = models.PositiveBigIntegerField(null=True, blank=True)
    counted_on = models.DateField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "compliance summaries"

    def __str__(self):
        return f"Agreement counts for {self.school}"

    def is_current(self, today) -> bool:
        return self.counted_changes == self.changes and self.counted_on == today
