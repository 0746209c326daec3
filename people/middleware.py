"""Ends a session whose account expired after it logged in, and tells the person why."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.shortcuts import redirect

from .expiry import expired_message


class ExpiredAccountMiddleware:
    """Place after the authentication and message middleware.

    A supply teacher's session can outlive their last day. The authentication backend already
    refuses to load such a session's user; this middleware notices a session that still names a
    user the backend refused, flushes it and sends the person to the log-in page with a reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and SESSION_KEY in request.session:
            person = get_user_model().objects.filter(pk=request.session[SESSION_KEY]).first()
            logout(request)
            if person is not None and person.is_locked_out:
                messages.error(request, expired_message(person))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
