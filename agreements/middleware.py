"""Kiosk lock: while a teacher's device is a class signing kiosk, it shows the kiosk and nothing else.

Pupils use the teacher's logged-in device one after another; without the lock, one click or a typed
address would open the teacher's pages, including the session's list of unused codes.
"""

from django.shortcuts import redirect
from django.urls import reverse

KIOSK_LOCK = "kiosk_lock"


class KioskLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_pk = request.session.get(KIOSK_LOCK) if hasattr(request, "session") else None
        if session_pk is not None:
            allowed = reverse("agreements:kiosk", args=[session_pk]).removesuffix("/")
            if not request.path.startswith(allowed) and not request.path.startswith("/static/"):
                return redirect("agreements:kiosk", pk=session_pk)
        return self.get_response(request)
