"""The link in an invitation: the person chooses a password, has joined, and is signed in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .invitations import InvitationRefused, invitation_accept, invitation_for_token

# The backend the session remembers: ours, which also ends a leaver's session mid-way.
SIGN_IN_BACKEND = "people.backends.ExpiringAccountBackend"


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def join(request, token):
    try:
        invitation = invitation_for_token(token)
    except InvitationRefused as exc:
        return render(request, "people/join_refused.html", {"message": str(exc)}, status=410)
    person = invitation.person
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():  # Django's password validators run here
        try:
            invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except InvitationRefused as exc:
            return render(request, "people/join_refused.html", {"message": str(exc)}, status=410)
        person.refresh_from_db()
        login(request, person, backend=SIGN_IN_BACKEND)
        messages.success(
            request, f"Welcome, {person.first_name}: you have joined. Your username is {person.username}."
        )
        target = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "people/join.html", {"form": form, "person": person, "invitation": invitation})
