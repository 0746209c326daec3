"""django-axes hooks: which username a failed sign-in tried, and what a locked-out person is told."""

from django.conf import settings
from django.shortcuts import render


def username_tried(request, credentials):
    """allauth passes the typed login as `username` (and as `email` when it looks like one)."""
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email") or ""
    if not login and request is not None and request.method == "POST":
        login = request.POST.get("login", "")
    return login.strip().casefold()


def locked_out_response(request, credentials, *args, **kwargs):
    return render(
        request,
        "account/locked_out.html",
        {"minutes": settings.AXES_COOLOFF_MINUTES, "failures": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
