"""How a school's people sign in: its rules, its single sign-on, and the sessions it can end."""

from django.conf import settings
from django.db import models


class PasswordRule(models.TextChoices):
    GUIDANCE = "guidance", "Current guidance (recommended)"
    POLICY = "policy", "The policy's own rule: letters and numbers, changed every six weeks"


PASSWORD_RULE_HELP = (
    "Current guidance (the National Cyber Security Centre's) asks for a long password that is not on "
    "a list of common or breached passwords, and never forces a change: forced changes lead to "
    "predictable passwords such as Summer2026, Autumn2026. The policy's own rule asks for letters "
    "and numbers and a new password every six weeks."
)


class SignInSettings(models.Model):
    """One school's sign-in rules, chosen by its headteacher or administrators."""

    school = models.OneToOneField("people.School", on_delete=models.CASCADE, related_name="sign_in")
    staff_idle_minutes = models.PositiveSmallIntegerField(
        "staff idle time (minutes)",
        default=30,
        help_text="A staff or governor session ends after this long without a page being opened.",
    )
    pupil_idle_minutes = models.PositiveSmallIntegerField(
        "pupil idle time (minutes)", default=30, help_text="The same, for pupils and visitors."
    )
    password_rule = models.CharField(
        max_length=10,
        choices=PasswordRule.choices,
        default=PasswordRule.GUIDANCE,
        help_text=PASSWORD_RULE_HELP,
    )

    class Meta:
        verbose_name = "sign-in settings"
        verbose_name_plural = "sign-in settings"

    def __str__(self):
        return f"Sign-in settings of {self.school}"


class IdentityProvider(models.TextChoices):
    MICROSOFT = "microsoft", "Microsoft 365"
    GOOGLE = "google", "Google Workspace"


class SchoolSignIn(models.Model):
    """A school's Microsoft 365 or Google Workspace sign-in: an OpenID Connect app of allauth's,
    tied to the school whose people it may sign in."""

    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="single_sign_on")
    provider = models.CharField(max_length=10, choices=IdentityProvider.choices)
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="school_sign_in",
        help_text="Its client id, secret and server URL (e.g. https://login.microsoftonline.com/"
        "<tenant>/v2.0 or https://accounts.google.com) are kept on the app.",
    )

    class Meta:
        verbose_name = "single sign-on"
        verbose_name_plural = "single sign-on"
        constraints = [
            models.UniqueConstraint(fields=["school", "provider"], name="one_sign_in_per_provider")
        ]

    def __str__(self):
        return f"{self.school}: {self.get_provider_display()}"


class SignedInSession(models.Model):
    """A session a person signed in with, so that the school can end it at once."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=12, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self):
        return f"{self.person} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class PasswordAge(models.Model):
    """When a person last chose a password: the policy's six-week rule counts from here."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.person}: {self.changed_at:%Y-%m-%d}"
