"""Schools, the trust they belong to, and the people who use the portal."""

from functools import cached_property

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


class School(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    urn = models.CharField("URN", max_length=10, blank=True, help_text="DfE unique reference number")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    PUPIL = "pupil", "Pupil"
    VISITOR = "visitor", "Visitor"
    GOVERNOR = "governor", "Governor"
    CHAIR = "chair", "Chair of governors"
    HEADTEACHER = "headteacher", "Headteacher"
    DEPUTY = "deputy", "Deputy headteacher"
    DSL = "dsl", "Designated Safeguarding Lead"
    SCHOOL_ADMIN = "school_admin", "School administrator"
    TRUST_ADMIN = "trust_admin", "Trust administrator"


# How the school writes each role in a policy's header ("Responsibility to Review: HT").
ROLE_ABBREVIATIONS = {
    Role.HEADTEACHER: "HT",
    Role.DEPUTY: "DHT",
    Role.DSL: "DSL",
    Role.SCHOOL_ADMIN: "Admin",
    Role.CHAIR: "Chair",
    Role.GOVERNOR: "Governors",
}

# Roles that lead the school: they see every policy, draft or not.
LEADERSHIP_ROLES = {Role.HEADTEACHER, Role.DEPUTY, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN}

# Roles whose accounts reach safeguarding files, everyone's records or the whole trust: they sign in
# with a second factor (accounts.middleware.TwoFactorRequiredMiddleware).
TWO_FACTOR_ROLES = {Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN, Role.CHAIR}


class VisitorKind(models.TextChoices):
    SUPPLY = "supply", "Supply staff"
    TRAINEE = "trainee", "Trainee teacher"
    EXTERNAL = "external", "External staff (e.g. careers adviser)"
    OTHER = "other", "Other visitor"


class PersonQuerySet(models.QuerySet):
    def with_role(self, role):
        return self.filter(role_assignments__role=role)

    def current(self):
        """People still at the school: not left, and not past an account expiry."""
        today = timezone.localdate()
        return (
            self.filter(is_active=True)
            .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=today))
            .filter(Q(access_expires_on__isnull=True) | Q(access_expires_on__gte=today))
        )

    def leavers(self):
        """People whose leaving date has come: they owe nothing more and keep what they signed."""
        return self.filter(leaving_date__lte=timezone.localdate())

    def expired(self):
        return self.filter(access_expires_on__lt=timezone.localdate())

    def joined(self):
        """People who have signed in or set a password: the portal works for them."""
        return self.filter(_JOINED)

    def not_joined(self):
        return self.exclude(_JOINED)

    def invited(self):
        """Sent an invitation and not joined yet."""
        return self.not_joined().filter(
            Exists(Invitation.objects.filter(person=OuterRef("pk"), sent_at__isnull=False))
        )

    def not_invited(self):
        return self.not_joined().exclude(
            Exists(Invitation.objects.filter(person=OuterRef("pk"), sent_at__isnull=False))
        )


# Signed in at least once, or holds a password they can use (imported people have none until they join).
_JOINED = Q(last_login__isnull=False) | ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)


class PersonManager(UserManager.from_queryset(PersonQuerySet)):
    pass


class Person(AbstractUser):
    """Anyone who signs in: staff, pupils, visitors, governors and administrators."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="people")
    year_group = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Pupils only: 7 to 11 (Years 7-9 are KS3, 10-11 KS4)."
    )
    tutor_group = models.CharField(
        max_length=20, blank=True, help_text='Pupils: the class they are registered in, e.g. "7G".'
    )
    visitor_kind = models.CharField(max_length=20, choices=VisitorKind.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    admission_number = models.CharField(max_length=20, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    staff_code = models.CharField(max_length=10, blank=True, help_text='Staff: the MIS code, e.g. "HMA".')
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="Pupils: child-protection records are kept until 25 years after it."
    )
    start_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)
    access_expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="Supply staff and trainees: the account stops working after this day.",
    )

    objects = PersonManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(year_group__isnull=True) | Q(year_group__gte=1, year_group__lte=13),
                name="person_year_group_range",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def key_stage(self) -> str:
        if self.year_group in (7, 8, 9):
            return "KS3"
        if self.year_group in (10, 11):
            return "KS4"
        return ""

    @property
    def is_trust_admin(self) -> bool:
        return self.has_role(Role.TRUST_ADMIN)

    @property
    def role_names(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.roles]

    @property
    def access_has_expired(self) -> bool:
        """The account works up to and including its expiry day, in the school's time zone."""
        return self.access_expires_on is not None and self.access_expires_on < timezone.localdate()

    @property
    def has_left(self) -> bool:
        return self.leaving_date is not None and self.leaving_date <= timezone.localdate()

    @property
    def has_joined(self) -> bool:
        return self.last_login is not None or self.has_usable_password()

    @property
    def is_locked_out(self) -> bool:
        """A leaver or an expired visitor: their records stay, their log-in stops working."""
        return self.access_has_expired or self.has_left


class RoleAssignment(models.Model):
    """One role a person holds; a person may hold several (a deputy head is often a DSL)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="one_assignment_per_role")]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"


class ApprovalRule(models.TextChoices):
    CHAIR = "chair", "The chair alone"
    MAJORITY = "majority", "A majority of its governors"


class GoverningBody(models.Model):
    """The full governing body or one of its committees: who approves a policy."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="governing_bodies")
    short_name = models.CharField(max_length=20, help_text='As the school writes it, e.g. "FGB".')
    name = models.CharField(max_length=120)
    rule = models.CharField(max_length=10, choices=ApprovalRule.choices, default=ApprovalRule.MAJORITY)
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="chaired_bodies", null=True, blank=True
    )
    members = models.ManyToManyField(Person, related_name="governing_bodies", blank=True)

    class Meta:
        verbose_name_plural = "governing bodies"
        constraints = [
            models.UniqueConstraint(fields=["school", "short_name"], name="unique_body_per_school")
        ]

    def __str__(self):
        return self.short_name


class ImportKind(models.TextChoices):
    PUPILS = "pupils", "Pupils"
    STAFF = "staff", "Staff (with supply staff, trainees and governors)"
    EVERYONE = "everyone", "Everyone, with a Role column saying who is who"


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "Columns to match"
    DRY_RUN = "dry_run", "Checked, not applied"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Not applied"


class ImportBatch(models.Model):
    """One MIS export as uploaded, kept so that the file applied is exactly the file checked."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="import_batches")
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=ImportKind.choices, default=ImportKind.EVERYONE)
    filename = models.CharField(max_length=255)
    csv_text = models.TextField("file contents")
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRY_RUN, db_index=True
    )
    summary = models.JSONField(default=dict, blank=True, help_text="Counts and row errors of the check.")
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "people import"
        verbose_name_plural = "people imports"

    def __str__(self):
        if self.uploaded_at is None:
            return self.filename
        return f"{self.filename} ({timezone.localtime(self.uploaded_at):%d %b %Y %H:%M})"


class ImportMapping(models.Model):
    """What a school's own column headings mean, saved the first time so the next export goes straight
    through: {"heading as written, lower-cased": "portal column, or blank to ignore it"}."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_mappings")
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    columns = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="one_mapping_per_school_and_kind")
        ]

    def __str__(self):
        return f"{self.school}: {self.get_kind_display()} columns"


class PupilAgreement(models.TextChoices):
    """The pupil agreement a year group signs; the values are the agreements' kinds."""

    KS3 = "ks3", "KS3 pupil agreement"
    KS4 = "ks4", "KS4 pupil agreement"
    NONE = "", "No agreement"


# Years 7-9 are KS3 and 10-11 KS4; the sixth form signs whatever the school chooses (nothing until then).
DEFAULT_YEAR_AGREEMENTS = {7: "ks3", 8: "ks3", 9: "ks3", 10: "ks4", 11: "ks4", 12: "", 13: ""}


class YearGroupAgreement(models.Model):
    """Which pupil agreement one of a school's year groups signs. A school without rows uses the default."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="year_group_agreements")
    year_group = models.PositiveSmallIntegerField()
    agreement = models.CharField(max_length=10, choices=PupilAgreement.choices, blank=True)

    class Meta:
        ordering = ["school", "year_group"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year_group"], name="one_agreement_per_year_group")
        ]

    def __str__(self):
        return f"{self.school}: Year {self.year_group} – {self.get_agreement_display()}"


class Invitation(models.Model):
    """One email asking a person to join: a link, single use, that expires. Only its hash is kept."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Blank when a reminder email carried it.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    token_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invitation for {self.person}"

    @property
    def has_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
