"""What every sign-in, refusal and change of credentials leaves behind: the session's record of how
the person signed in (a signature copies it) and an entry in the audit log."""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from agreements.models import AuthMethod

from . import sessions
from .backends import REFUSED_WHILE_LOCKED
from .lockout import username_tried
from .middleware import PASSWORD_CHANGE_DUE, SECOND_FACTOR, note_sign_in
from .models import SchoolSignIn, SignedInSession
from .records import client_address, record_access

AUTH_METHOD = "auth_method"


def sign_in_method(request, user) -> str:
    """How this session signed in, from allauth's record of the steps it went through."""
    records = get_authentication_records(request, user)
    for record in records:
        if record.get("method") == "socialaccount":
            sso = SchoolSignIn.objects.filter(app__provider_id=record.get("provider")).first()
            if sso is not None:
                return AuthMethod(sso.provider)
    if any(record.get("method") == "mfa" for record in records):
        return AuthMethod.TWO_FACTOR
    return AuthMethod.PASSWORD


@receiver(user_logged_in)
def on_signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not get_authentication_records(request, user):
        # A sign-in outside allauth's forms (a test client, a management shell): its moment still
        # counts as the last check of who the person is.
        record_authentication(request, user, method="password")
    method = sign_in_method(request, user)
    request.session[AUTH_METHOD] = method
    sessions.start(request, user, method)
    note_sign_in(request, user)
    record_access(
        action="signed_in",
        person=user,
        detail={"method": method, "ip": client_address(request)},
    )


@receiver(user_logged_out)
def on_signed_out(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()
    if user is not None:
        record_access(action="signed_out", person=user, detail={"ip": client_address(request)})


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    tried = username_tried(request, credentials)
    if not tried or getattr(request, REFUSED_WHILE_LOCKED, False):
        return
    person = _person_named(tried)
    record_access(
        action="sign_in_failed",
        person=person,
        actor=None,
        school=person.school if person else None,
        label=tried,
        detail={"login": tried, "ip": client_address(request)},
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    person = _person_named(username or "")
    record_access(
        action="sign_in_locked",
        person=person,
        actor=None,
        school=person.school if person else None,
        label=username or "",
        detail={"login": username, "ip": ip_address},
    )


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs):
    # Choosing a new password through the emailed link also lifts a lockout of this account.
    sessions.unlock(user)
    record_access(action="password_reset", person=user, detail={"ip": client_address(request)})


@receiver(password_changed)
@receiver(password_set)
def on_password_changed(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[PASSWORD_CHANGE_DUE] = False
    record_access(action="password_changed", person=user, detail={"ip": client_address(request)})


@receiver(authenticator_added)
def on_second_factor_added(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR] = authenticator.type != authenticator.Type.RECOVERY_CODES or (
            request.session.get(SECOND_FACTOR, False)
        )
    record_access(action="two_factor_added", person=user, detail={"type": authenticator.type})


@receiver(authenticator_removed)
def on_second_factor_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR] = False  # checked again against the database on the next page
    record_access(action="two_factor_removed", person=user, detail={"type": authenticator.type})


@receiver(authenticator_reset)
def on_second_factor_reset(sender, request, user, authenticator, **kwargs):
    record_access(action="two_factor_reset", person=user, detail={"type": authenticator.type})


def _person_named(login):
    people = get_user_model().objects.select_related("school")
    return people.filter(username__iexact=login).first() or people.filter(email__iexact=login).first()
