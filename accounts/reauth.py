"""Asking again who the person is before a step that matters: approving a policy version, deciding
a case outcome, exporting evidence, importing people. allauth's re-authentication pages do the
asking (password, or the second factor) and then finish the step the person started."""

import time
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings


def checked_recently(request) -> bool:
    """Did the person sign in, or confirm their password or second factor, in the last 10 minutes?"""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    return time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def require_recent_check(request):
    if request.user.is_authenticated and not checked_recently(request):
        # allauth's middleware sends the person to confirm, keeping a posted form to finish after.
        raise ReauthenticationRequired()


def recent_check_required(view=None, *, on_get=False):
    """For a view whose POST takes the step. With on_get, the form itself is only shown after a
    recent check (a form with a file: a file cannot be kept while the person confirms)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if on_get or request.method == "POST":
                require_recent_check(request)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
