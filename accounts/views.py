"""The school office's access page for one person, and the school's sign-in rules."""

from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from glenwood.services import NotAllowed, ServiceError
from people import permissions
from people.access import get_for_school
from people.models import Person

from . import services
from .forms import SignInSettingsForm
from .middleware import needs_two_factor
from .models import SignedInSession, SignInSettings


def _person_for(user, pk):
    """Fetch and authorise: the wrong role is a 403, another school's person a 404."""
    if not permissions.can_use_directory(user):
        raise NotAllowed
    return get_for_school(user, Person.objects.select_related("school"), pk=pk)


@login_required
def person_access(request, pk):
    person = _person_for(request.user, pk)
    logins = {login.strip().casefold() for login in (person.username, person.email) if login}
    context = {
        "person": person,
        "second_factors": Authenticator.objects.filter(user=person).exclude(
            type=Authenticator.Type.RECOVERY_CODES
        ),
        "needs_two_factor": needs_two_factor(person),
        "sessions": SignedInSession.objects.filter(person=person),
        "locked_from": AccessAttempt.objects.filter(username__in=logins).values_list("ip_address", flat=True),
    }
    return render(request, "accounts/person_access.html", context)


ACTIONS = {
    "reset": (services.person_send_reset_link, "A link to choose a new password was emailed to {person}."),
    "unlock": (services.person_unlock_sign_in, "{person} can sign in again from every device."),
    "end-sessions": (services.person_end_sessions, "{person} was signed out everywhere."),
    "remove-second-factor": (
        services.person_remove_second_factor,
        "{person}'s second factor was removed; they set up a new one at their next sign-in.",
    ),
}


@login_required
@require_POST
def person_access_action(request, pk, action):
    person = _person_for(request.user, pk)
    if action not in ACTIONS:
        raise NotAllowed
    service, done = ACTIONS[action]
    kwargs = {"actor": request.user, "person": person}
    if action == "reset":
        kwargs["request"] = request
    try:
        service(**kwargs)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(person=person))
    return redirect("accounts:person_access", pk=person.pk)


@login_required
def sign_in_settings(request):
    if not permissions.can_use_directory(request.user):
        raise NotAllowed
    school = request.user.school
    rules = SignInSettings.objects.filter(school=school).first() or SignInSettings(school=school)
    form = SignInSettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        services.sign_in_settings_update(actor=request.user, school=school, **form.cleaned_data)
        messages.success(request, "The sign-in rules were saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form, "school": school})
