"""allauth adapters: nobody registers themselves, and a school's single sign-on only signs in a
person that school already holds, matched by a verified email address."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect

from .models import SchoolSignIn
from .reauth import checked_recently
from .records import record_access

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        # One rule for the whole portal: a sign-in or a check in the last 10 minutes counts, so a
        # leader setting up their second factor straight after signing in is not asked again.
        request = self.request or context.request
        if request is not None and request.user.is_authenticated and checked_recently(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SchoolSignInAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.state.get("process") == "connect":
            # Linking a school account to a signed-in person happens only by signing in with it.
            self._refuse(
                request, None, "School accounts are linked by signing in with them.", reason="connect"
            )
        app = sociallogin.account.get_provider().app
        school_sign_in = SchoolSignIn.objects.select_related("school").filter(app__pk=app.pk).first()
        if school_sign_in is None:
            self._refuse(request, None, "This sign-in button is not set up for a school.", reason="no_school")
        school = school_sign_in.school
        person = self._person_for(sociallogin, school, app)
        if person is None:
            email = self._verified_email(sociallogin, app)
            self._refuse(
                request,
                school,
                f"{school} has no one with the email address {email} on the portal. Sign in with the "
                "account the school gave you, or ask the school office to add you."
                if email
                else f"Your {school_sign_in.get_provider_display()} account did not give a verified email "
                "address, so the portal cannot tell who you are. Ask the school office.",
                reason="unknown_email" if email else "no_verified_email",
                email=email,
            )
        if not person.is_active or person.is_locked_out:
            self._refuse(
                request,
                school,
                "Your account on the portal is closed. If you still need access, ask the school office.",
                reason="account_closed",
                email=person.email,
            )
        if sociallogin.is_existing:
            return
        sociallogin.connect(request, person)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # The provider refused, the person cancelled, or the provider's answer could not be checked.
        logger.warning("Single sign-on with %s failed: %s %r", provider, error, exception)
        app = getattr(provider, "app", None)
        school_sign_in = (
            SchoolSignIn.objects.select_related("school").filter(app__pk=getattr(app, "pk", None)).first()
        )
        self._refuse(
            request,
            school_sign_in.school if school_sign_in else None,
            "Signing in with your school account did not work this time. Try again, or use your "
            "username and password.",
            reason=str(error or "error"),
        )

    def _person_for(self, sociallogin, school, app):
        if sociallogin.is_existing:
            user = sociallogin.user
            return user if user.school_id == school.pk else None
        email = self._verified_email(sociallogin, app)
        if not email:
            return None
        people = get_user_model().objects.filter(school=school, email__iexact=email)
        matches = list(people[:2])
        # Two people sharing one address cannot be told apart: refuse rather than guess.
        return matches[0] if len(matches) == 1 else None

    def _verified_email(self, sociallogin, app):
        trusted = app.settings.get("emails_verified_by_tenant", False)
        for address in sociallogin.email_addresses:
            if address.email and (address.verified or trusted):
                return address.email.strip()
        return ""

    def _refuse(self, request, school, message, *, reason, email=""):
        record_access(
            action="sign_in_refused",
            person=None,
            school=school,
            label=email or "single sign-on",
            detail={"reason": reason, "email": email, "method": "single sign-on"},
        )
        messages.error(request, message)
        raise ImmediateHttpResponse(redirect("account_login"))
