from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from .expiry import expired_message


class LoginForm(AuthenticationForm):
    """Django's log-in form, saying so when the only thing wrong is an expired account."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            person = self._expired_person()
            if person is None:
                raise
            raise forms.ValidationError(expired_message(person), code="account_expired") from None

    def _expired_person(self):
        # Only someone who knows the password learns that the account exists and has expired.
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return None
        model = get_user_model()
        try:
            person = model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            return None
        if person.is_active and person.access_has_expired and person.check_password(password):
            return person
        return None
