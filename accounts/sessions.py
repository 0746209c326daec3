"""The sessions a person signed in with: started at sign-in, ended by the school or by time."""

import time
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings

from people.models import Role

from .models import SignedInSession, SignInSettings

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Read once at sign-in, so that an ordinary page costs no query for them: the school's idle time
# then applies from each person's next sign-in.
IDLE_SECONDS = "idle_seconds"
# A minute's accuracy is enough for an idle limit, and saves a session write on every page.
LAST_SEEN_RESOLUTION = 60
# Pupils and visitors use the pupil idle time; anyone with another role is counted as staff.
PUPIL_LIKE = {Role.PUPIL, Role.VISITOR}


def start(request, person, method):
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[IDLE_SECONDS] = idle_seconds_allowed(person)
    if not request.session.session_key:
        request.session.save()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"person": person, "method": method, "ip_address": request.META.get("REMOTE_ADDR") or None},
    )


def idle_seconds_allowed(person) -> int:
    rules = SignInSettings.objects.filter(school_id=person.school_id).first() or SignInSettings()
    pupil_like = person.roles and person.roles <= PUPIL_LIKE
    return 60 * (rules.pupil_idle_minutes if pupil_like else rules.staff_idle_minutes)


def expiry_reason(request, person) -> str:
    """Why this session must end now, or "" while it may go on."""
    now = time.time()
    signed_in_at = request.session.get(SIGNED_IN_AT)
    last_seen = request.session.get(LAST_SEEN)
    if signed_in_at is not None and now - signed_in_at > settings.SESSION_MAX_AGE_HOURS * 3600:
        return (
            f"You were signed out because sessions last at most {settings.SESSION_MAX_AGE_HOURS} hours. "
            "Please sign in again."
        )
    idle = request.session.get(IDLE_SECONDS) or idle_seconds_allowed(person)
    if last_seen is not None and now - last_seen > idle:
        return "You were signed out because the portal was not used for a while. Please sign in again."
    return ""


def note_activity(request):
    now = time.time()
    if now - request.session.get(LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION:
        request.session[LAST_SEEN] = now


def end_all(person) -> int:
    """Ends every session the person signed in with; returns how many there were."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(SignedInSession.objects.filter(person=person).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    SignedInSession.objects.filter(person=person).delete()
    return len(keys)


def unlock(person) -> None:
    """Lifts a lockout of the person's account, whichever address and spelling it was tried from."""
    for login in {person.username, person.email}:
        if login:
            axes_reset(username=login.strip().casefold())
