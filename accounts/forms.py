from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from glenwood.forms import CrispyForm
from people.expiry import expired_message

from .models import SignInSettings

# Longer than any username (150) or email address (254): refused before any lookup, which on SQLite
# turns a very long text into a LIKE pattern it will not run.
LOGIN_MAX_LENGTH = 254


class LoginForm(AllauthLoginForm):
    """allauth's log-in form (username or email), saying so when the only thing wrong is that the
    account has closed (a leaver) or expired (supply staff, trainees)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"
        self.fields["login"].max_length = LOGIN_MAX_LENGTH
        self.fields["login"].validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))
        self.fields["login"].widget.attrs["maxlength"] = str(LOGIN_MAX_LENGTH)
        self.fields["password"].help_text = ""

    def clean(self):
        try:
            data = super().clean()
        except forms.ValidationError:
            person = self._closed_account()
            if person is None:
                raise
            raise forms.ValidationError(expired_message(person), code="account_expired") from None
        # allauth hands back a person whose password was right but who may not sign in (it would
        # show a bare "inactive" page): a leaver or an expired account is told why, here.
        person = getattr(self, "user", None)
        if person is not None and person.is_active and person.is_locked_out:
            raise forms.ValidationError(expired_message(person), code="account_expired")
        return data

    def _closed_account(self):
        # Only someone who knows the password learns that the account exists and has closed.
        login, password = self.cleaned_data.get("login"), self.cleaned_data.get("password")
        if not login or not password:
            return None
        matches = get_user_model().objects.filter(Q(username=login) | Q(email__iexact=login))
        for person in matches[:2]:
            if person.is_active and person.is_locked_out and person.check_password(password):
                return person
        return None


class SignInSettingsForm(CrispyForm, forms.ModelForm):
    submit_label = "Save sign-in rules"

    class Meta:
        model = SignInSettings
        fields = ["staff_idle_minutes", "pupil_idle_minutes", "password_rule"]
        widgets = {"password_rule": forms.RadioSelect}

    def clean_staff_idle_minutes(self):
        return _minutes(self.cleaned_data["staff_idle_minutes"])

    def clean_pupil_idle_minutes(self):
        return _minutes(self.cleaned_data["pupil_idle_minutes"])


def _minutes(value):
    if not 5 <= value <= 480:
        raise forms.ValidationError("Choose between 5 minutes and 8 hours (480 minutes).")
    return value
