"""Breach and concern reports, the case each becomes, and its chronology.

A case is the report plus every step taken on it; the chronology (entries, their documents and
referrals) is evidence for a hearing, so the application only ever adds to it.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from glenwood.models import PermanentRecord, RecordIsPermanent
from glenwood.protection import PERMANENT, Refusal, pg_triggers
from people.models import School

from .choices import (
    INVESTIGATED_STATUSES,
    Agency,
    AllegationOutcome,
    AppealResult,
    Category,
    ConcernLevel,
    Concerns,
    EntryKind,
    Finding,
    LeavingReason,
    LetterKind,
    Outcome,
    ParentsToldBy,
    Sanction,
    Source,
    Status,
    Track,
)
from .deadlines import NEXT_STEP

EvidenceIsPermanent = RecordIsPermanent  # the name the breaches code and tests use


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)

    def overdue(self, today=None):
        return self.open().filter(step_due_on__lt=today or timezone.localdate())


# The report as it was made: never rewritten. What the lead confirms at triage (the track, the
# person it concerns once named, the clauses) and every later step may still move; a closed case
# does not change at all.
# The category is the reporter's first choice: triage may change it (with a reason, in the chronology),
# so it is not part of the report as made.
REPORT_FIELDS = (
    "school", "source", "what_happened", "happened_on", "happened_time", "where",
    "subject_description", "reported_by", "reported_at",
)  # fmt: skip
CASE_REFUSALS = (
    Refusal(
        "refuse_report_change", "update", "The report as made is never changed.",
        columns=tuple(f"{n}_id" if n in ("school", "reported_by") else n for n in REPORT_FIELDS),
    ),
    Refusal("refuse_closed_change", "update", "A closed case is never changed.", old_status_in=("closed",)),
    Refusal("refuse_delete", "delete", "A case is never deleted."),
)  # fmt: skip


class Case(models.Model):
    """A report of a concern or a possible breach, and the case it becomes."""

    REFUSALS = CASE_REFUSALS
    EVIDENCE_FIELDS = REPORT_FIELDS

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED, db_index=True)
    track = models.CharField(max_length=20, choices=Track.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORM)
    category = models.CharField(max_length=30, choices=Category.choices, db_index=True)

    # Whom it concerns: a person at the school when known, otherwise a description.
    concerns = models.CharField(max_length=10, choices=Concerns.choices)
    subject_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases_concerning", verbose_name="person it concerns",
    )  # fmt: skip
    subject_description = models.CharField("who, if not someone at the school", max_length=200, blank=True)

    what_happened = models.TextField()
    # A day is often all a reporter knows; the time when they know it (a capture's exact time).
    happened_on = models.DateField("day it happened", null=True, blank=True)
    happened_time = models.TimeField("time it happened", null=True, blank=True)
    where = models.CharField("where", max_length=200, blank=True)

    # The exact text it concerns: a clause of a policy version, and of the agreement they signed.
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    policy_clause = models.PositiveSmallIntegerField(null=True, blank=True)
    signature = models.ForeignKey(
        "agreements.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The most recent agreement the person it concerns signed, found when reported.",
    )  # fmt: skip
    agreement_clause = models.PositiveSmallIntegerField(null=True, blank=True)

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_reported"
    )
    reported_at = models.DateTimeField(default=timezone.now, db_index=True)

    # Who handles it. About the headteacher: the chair of governors, never the head nor the staff
    # the head line-manages; fixed when reported, so a later change of role cannot reopen it to them.
    led_by_chair = models.BooleanField(
        "handled by the chair of governors", default=False,
        help_text="It concerns the headteacher: the chair handles it and the head never sees it.",
    )  # fmt: skip
    nominated_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="trust's nominated person", help_text="Involved by the chair in a case about the head.",
    )  # fmt: skip
    immediate_risk = models.BooleanField("a child is at immediate risk", default=False)
    concern_level = models.CharField(
        "allegation or low-level concern", max_length=12, choices=ConcernLevel.choices, blank=True
    )
    child_protection = models.BooleanField(
        "child-protection element recorded", default=False,
        help_text="On the staff track, the DSLs see the case too.",
    )  # fmt: skip
    lado_due_on = models.DateField("LADO to be told by", null=True, blank=True)
    lado_advice = models.TextField("the LADO's advice", blank=True)
    lado_advice_on = models.DateField(null=True, blank=True)

    # Where the case is and when its next step is due: drives the lists' "overdue".
    status_changed_at = models.DateTimeField(default=timezone.now)
    step_due_on = models.DateField(null=True, blank=True, db_index=True)

    # What the person concerned is told, in the lead's neutral words: the report itself, and who
    # made it, stay confidential.
    allegation = models.TextField("the allegation as put to the person", blank=True)

    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases_investigating", verbose_name="investigating officer",
    )  # fmt: skip
    finding = models.CharField(max_length=10, choices=Finding.choices, blank=True)
    finding_at = models.DateTimeField(null=True, blank=True)
    hearing_on = models.DateField("hearing arranged for", null=True, blank=True)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hearing_panels", verbose_name="hearing panel"
    )
    hearing_held_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_result = models.CharField(max_length=10, choices=AppealResult.choices, blank=True)
    outcome_after_appeal = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    appeal_decided_at = models.DateTimeField(null=True, blank=True)
    appeal_panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="appeal_panels", verbose_name="appeal panel"
    )
    appeal_hearing_on = models.DateField("appeal hearing on", null=True, blank=True)

    # Suspension is a neutral act, reviewed until it is lifted.
    suspended_on = models.DateField(null=True, blank=True)
    suspension_review_on = models.DateField("suspension next reviewed on", null=True, blank=True)
    suspension_lifted_on = models.DateField(null=True, blank=True)

    # What follows dismissal or a resignation during the case.
    left_because = models.CharField(max_length=12, choices=LeavingReason.choices, blank=True)
    access_ends_on = models.DateField("their access ends on", null=True, blank=True)

    safeguarding_outcome = models.TextField(blank=True)
    sanction = models.CharField(max_length=20, choices=Sanction.choices, blank=True)
    parents_told_on = models.DateField("parents or carers told on", null=True, blank=True)
    parents_told_how = models.CharField(max_length=10, choices=ParentsToldBy.choices, blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    # KCSIE Part 4: what the allegation about an adult was found to be, recorded by the case's lead
    # as it closes. A malicious or false one is removed, not kept (retention.rules).
    allegation_outcome = models.CharField(
        "outcome of the allegation", max_length=16, choices=AllegationOutcome.choices, blank=True
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED, closed_at__isnull=False)
                | (~Q(status=Status.CLOSED) & Q(closed_at__isnull=True)),
                name="case_closed_when_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(concerns=Concerns.UNKNOWN) | Q(subject_person__isnull=True),
                name="case_unknown_person_has_no_record",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=INVESTIGATED_STATUSES, track=Track.DISCIPLINARY)
                | Q(investigator__isnull=False),
                name="case_investigated_has_investigator",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[Status.OUTCOME, Status.APPEAL_LODGED, Status.APPEAL_DECIDED],
                    track=Track.DISCIPLINARY,
                )
                | (~Q(outcome="") & Q(appeal_deadline__isnull=False)),
                name="case_outcome_has_appeal_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.APPEAL_DECIDED) | ~Q(appeal_result=""),
                name="case_appeal_decided_has_result",
            ),
        ]
        triggers = pg_triggers(CASE_REFUSALS)

    def __str__(self):
        # No names: this label goes into the audit log and page titles.
        return f"{self.reference} ({self.get_category_display()})"

    @property
    def reference(self) -> str:
        return f"R{self.pk:05d}" if self.pk else "R-new"

    @property
    def subject_label(self) -> str:
        if self.subject_person_id:
            return str(self.subject_person)
        return self.subject_description or self.get_concerns_display()

    @property
    def when(self) -> str:
        if not self.happened_on:
            return ""
        day = f"{self.happened_on:%-d %B %Y}"
        return f"{day} at {self.happened_time:%H:%M}" if self.happened_time else day

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def status_for_reporter(self) -> str:
        """All a reporter is told: the investigation itself is confidential."""
        if self.status == Status.REPORTED:
            return "Received: waiting to be read"
        return "Closed" if self.status == Status.CLOSED else "Being dealt with"

    @property
    def next_step_name(self) -> str:
        return NEXT_STEP.get(self.status, "")

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.step_due_on is not None and self.step_due_on < timezone.localdate()

    @property
    def final_outcome_value(self) -> str:
        if self.appeal_result == AppealResult.UPHELD and self.outcome_after_appeal:
            return self.outcome_after_appeal
        return self.outcome

    @property
    def takes_allegation_outcome(self) -> bool:
        """About an adult and not a low-level concern: closing it records KCSIE's outcome."""
        return self.concerns in (Concerns.STAFF, Concerns.VISITOR) and not (
            self.track == Track.LOW_LEVEL or self.concern_level == ConcernLevel.LOW_LEVEL
        )

    @property
    def needs_allegation_outcome(self) -> bool:
        """Triaged as an allegation (the harm threshold met): it cannot close without its outcome."""
        return self.takes_allegation_outcome and self.concern_level == ConcernLevel.ALLEGATION

    @property
    def final_outcome(self) -> str:
        """The outcome that stands: the appeal's revision when an appeal was upheld."""
        value = self.final_outcome_value
        return Outcome(value).label if value else ""


class CaseEntry(PermanentRecord):
    """One line of a case's chronology: a step, a note, or evidence added."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=25, choices=EntryKind.choices)
    text = models.TextField(blank=True)
    status_after = models.CharField("status after", max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "chronology entry"
        verbose_name_plural = "chronology entries"
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.case.reference} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def evidence_path(instance, filename):
    """A generated name: nothing the uploader typed reaches the file system."""
    return f"evidence/{instance.case.school_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(PermanentRecord):
    """A document or image added to a case: content checked, stored under a generated name."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    entry = models.ForeignKey(CaseEntry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.case.reference} {self.download_name}"

    @property
    def download_name(self) -> str:
        """The uploader's name made safe for a Content-Disposition header, with the real type's extension."""
        stem = get_valid_filename(Path(self.original_name).stem)[:80].strip("._-") or "evidence"
        return f"{stem}{self.extension}"


class Letter(PermanentRecord):
    """A letter to the member of staff concerned, made from its template, emailed and kept in the portal."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    entry = models.OneToOneField(CaseEntry, on_delete=models.PROTECT, related_name="letter")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_letters"
    )
    kind = models.CharField(max_length=25, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    dated = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.case.reference} {self.get_kind_display()}"


class Referral(PermanentRecord):
    """A referral to children's social care, the police, the LADO, the DBS or the TRA."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    entry = models.OneToOneField(CaseEntry, on_delete=models.PROTECT, related_name="referral")
    agency = models.CharField(max_length=15, choices=Agency.choices)
    referred_on = models.DateField()
    reference = models.CharField("their reference", max_length=80, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["referred_on", "id"]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.case.reference} referred to {self.get_agency_display()}"


class MonitoringFlag(PermanentRecord):
    """A capture from the monitoring service (Securus): what was flagged, on which account and device."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="flag")
    captured_at = models.DateTimeField()
    device = models.CharField(max_length=120)
    location = models.CharField(max_length=120, blank=True)
    account = models.CharField(
        max_length=150, help_text="The user account as the monitoring service names it."
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    matched_phrase = models.CharField(max_length=200)
    source_category = models.CharField(
        max_length=100, blank=True, help_text="The monitoring service's own category, as it named it."
    )
    screenshot = models.OneToOneField(
        Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_from = models.CharField(max_length=255, blank=True, help_text="The import file, if any.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-captured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "account", "captured_at", "matched_phrase"], name="one_flag_per_capture"
            )
        ]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"Flag {self.captured_at:%Y-%m-%d %H:%M} {self.account}: {self.matched_phrase}"


class PackVersion(models.TextChoices):
    PANEL = "panel", "For the hearing panel"
    STAFF = "staff", "For the member of staff concerned"


class ReporterDisclosure(PermanentRecord):
    """The headteacher's recorded decision to show the reporter's identity in the evidence pack
    given to the member of staff concerned. Without one, that version withholds it."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reporter_disclosure")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.case.reference}: reporter disclosed to the member of staff"


class EvidencePack(PermanentRecord):
    """One sealed, timestamped evidence pack as it was made and handed out: which version, whether
    it named the reporter, and every document inside it (by SHA-256)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_packs")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    version = models.CharField(max_length=10, choices=PackVersion.choices)
    reporter_named = models.BooleanField()
    pdf = models.FileField("sealed PDF", max_length=200)
    pdf_sha256 = models.CharField("SHA-256 of the sealed PDF", max_length=64, db_index=True)
    seal_fingerprint = models.CharField("SHA-256 of the sealing certificate", max_length=64)
    documents = models.JSONField(
        default=list, help_text="The case's documents inside: id, name, SHA-256, how."
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_at"]
        triggers = pg_triggers(PERMANENT)

    def __str__(self):
        return f"{self.case.reference} evidence pack ({self.get_version_display().lower()})"
