"""Session limits, the second factor that leaders must have, and the policy's password age."""

import datetime

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from people.models import TWO_FACTOR_ROLES

from . import sessions
from .models import PasswordAge, PasswordRule, SignInSettings
from .records import record_access

POLICY_PASSWORD_DAYS = 42


def needs_two_factor(person) -> bool:
    return person.has_role(*TWO_FACTOR_ROLES)


SECOND_FACTOR = "has_second_factor"
PASSWORD_CHANGE_DUE = "password_change_due"


def has_second_factor(person) -> bool:
    return Authenticator.objects.filter(
        user=person, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def note_sign_in(request, person):
    """What the checks below need, read once at sign-in (and updated when it changes)."""
    request.session[SECOND_FACTOR] = has_second_factor(person)
    request.session[PASSWORD_CHANGE_DUE] = person.has_usable_password() and password_too_old(person)


def password_too_old(person) -> bool:
    rules = SignInSettings.objects.filter(school_id=person.school_id).first()
    if rules is None or rules.password_rule != PasswordRule.POLICY:
        return False
    age = PasswordAge.objects.filter(person=person).first()
    limit = timezone.now() - datetime.timedelta(days=POLICY_PASSWORD_DAYS)
    return age is None or age.changed_at < limit


class SessionLimitsMiddleware:
    """Ends a session after the school's idle time or the maximum age, with the reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = request.user
        if person.is_authenticated:
            reason = sessions.expiry_reason(request, person)
            if reason:
                logout(request)
                record_access(action="session_timed_out", person=person, detail={"reason": reason})
                messages.info(request, reason)
                return redirect("account_login")
            sessions.note_activity(request)
        return self.get_response(request)


def _starts_with_any(path, prefixes):
    return any(path.startswith(prefix) for prefix in prefixes)


class TwoFactorRequiredMiddleware:
    """A leader without a second factor sees the enrolment pages and nothing else until enrolled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = request.user
        if person.is_authenticated and not request.session.get(SECOND_FACTOR) and needs_two_factor(person):
            if has_second_factor(person):
                request.session[SECOND_FACTOR] = True
            elif not _starts_with_any(request.path, self._open_paths()):
                messages.warning(
                    request,
                    "Your role needs a second factor before you can use the portal: set up an "
                    "authenticator app now (it takes a minute). You will then be given recovery codes "
                    "to keep safe.",
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _open_paths(self):
        return [
            reverse("mfa_index"),  # the second-factor pages: set up, recovery codes
            reverse("account_reauthenticate"),
            reverse("account_logout"),
            "/static/",
        ]


class PasswordAgeMiddleware:
    """Under the policy's own rule, a password older than six weeks must be changed first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = request.user
        if person.is_authenticated and request.session.get(PASSWORD_CHANGE_DUE):
            allowed = [reverse("account_change_password"), reverse("account_logout"), "/static/"]
            if not _starts_with_any(request.path, allowed):
                messages.warning(
                    request, "Your school asks for a new password every six weeks: please choose one now."
                )
                return redirect("account_change_password")
        return self.get_response(request)
