"""The school's password rule: current guidance by default, or the policy's own rule."""

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import PasswordAge, PasswordRule, SignInSettings

GUIDANCE_MIN_LENGTH = 12
POLICY_MIN_LENGTH = 8


def rule_for(person) -> str:
    school_id = getattr(person, "school_id", None)
    rules = SignInSettings.objects.filter(school_id=school_id).first() if school_id else None
    return rules.password_rule if rules else PasswordRule.GUIDANCE


class SchoolPasswordRule:
    """Guidance: at least 12 characters and not on the list of 20,000 common and breached passwords
    that Django ships. The policy's rule: at least 8 characters with letters and numbers (its
    six-week change is asked for by accounts.middleware.PasswordAgeMiddleware)."""

    def __init__(self):
        self.common = CommonPasswordValidator()

    def validate(self, password, user=None):
        problems = []
        if rule_for(user) == PasswordRule.POLICY:
            if len(password) < POLICY_MIN_LENGTH:
                problems.append(f"Use at least {POLICY_MIN_LENGTH} characters.")
            if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
                problems.append("Use both letters and numbers.")
        elif len(password) < GUIDANCE_MIN_LENGTH:
            problems.append(
                f"Use at least {GUIDANCE_MIN_LENGTH} characters: three random words make a strong password "
                "that is easy to remember."
            )
        try:
            self.common.validate(password, user)
        except ValidationError:
            problems.append("This password is on a list of common or breached passwords: choose another.")
        if problems:
            raise ValidationError(problems, code="password_rule")

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            PasswordAge.objects.update_or_create(person=user, defaults={"changed_at": timezone.now()})

    def get_help_text(self):
        return (
            f"At least {GUIDANCE_MIN_LENGTH} characters and not a common password (three random words work "
            "well), unless your school has chosen letters and numbers changed every six weeks."
        )
