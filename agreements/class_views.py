"""Class signing: a teacher opens a session; pupils sign one after another on a shared device.

The kiosk keeps only the current pupil's id in the teacher's session, clears it after each
signature, and is never cached, so nothing of one pupil is visible to the next.
"""

import time

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from glenwood.services import ServiceError
from people.access import require_role
from people.audiences import STAFF_ROLES
from people.models import Person, Role

from . import services
from .forms import KioskCodeForm, KioskExitForm, SessionOpenForm, SignForm
from .middleware import KIOSK_LOCK
from .models import AuthMethod, Signature, SigningSession
from .views import signing_context

KIOSK_PUPIL_SECONDS = 15 * 60


def _session_for(request, pk):
    """The teacher's own session only: another teacher's or school's is a 404."""
    return get_object_or_404(
        SigningSession.objects.select_related("agreement__policy__current_version", "school"),
        pk=pk,
        opened_by=request.user,
    )


@login_required
def sessions(request):
    require_role(request.user, *STAFF_ROLES)
    form = SessionOpenForm(request.POST or None, school=request.user.school)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.signing_session_open(teacher=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            codes = session.codes.count()
            messages.success(
                request, f"Session open with {codes} code{pluralize(codes)}. Print them or read them out."
            )
            return redirect("agreements:session", pk=session.pk)
    mine = SigningSession.objects.filter(opened_by=request.user).select_related("agreement__policy")[:20]
    return render(request, "agreements/sessions.html", {"form": form, "sessions": mine})


@login_required
def session_detail(request, pk):
    session = _session_for(request, pk)
    codes = list(session.codes.select_related("pupil").order_by("pupil__last_name", "pupil__first_name"))
    # A pupil may sign by logging in, or at home: any signature of the current text counts.
    signed = dict(
        Signature.objects.filter(
            version_id=session.agreement.policy.current_version_id, person__in=[c.pupil_id for c in codes]
        ).values_list("person_id", "signed_at")
    )
    for c in codes:
        c.signed_at = signed.get(c.pupil_id)
    waiting = [c for c in codes if c.signed_at is None and c.used_at is None]
    return render(
        request,
        "agreements/session_detail.html",
        {"session": session, "codes": codes, "waiting": waiting, "is_open": services.is_open(session)},
    )


@login_required
@require_POST
def session_close(request, pk):
    session = _session_for(request, pk)
    services.signing_session_close(teacher=request.user, session=session)
    messages.info(request, "Session closed; its unused codes no longer work.")
    return redirect("agreements:session", pk=session.pk)


def _kiosk_key(session):
    return f"kiosk:{session.pk}"


def _kiosk_pupil(request, session):
    state = request.session.get(_kiosk_key(session))
    if not state or time.time() - state["started"] > KIOSK_PUPIL_SECONDS:
        request.session.pop(_kiosk_key(session), None)
        return None, None
    pupil = Person.objects.filter(pk=state["pupil"], school_id=session.school_id).first()
    return pupil, state


@never_cache
@login_required
@ratelimit(key="user", rate="30/m", method="POST", block=False)
def kiosk(request, pk):
    """The shared device's start page: the next pupil types their code or their own login."""
    session = _session_for(request, pk)
    request.session.pop(_kiosk_key(session), None)
    if not services.is_open(session):
        request.session.pop(KIOSK_LOCK, None)
        return render(request, "agreements/kiosk_closed.html", {"session": session})
    request.session[KIOSK_LOCK] = session.pk
    form = KioskCodeForm(request.POST or None)
    if request.method == "POST" and getattr(request, "limited", False):
        form.add_error(None, "Too many tries. Ask your teacher.")
    elif request.method == "POST" and form.is_valid():
        pupil, code_id, method = _identify_pupil(session, form.cleaned_data, request)
        if pupil is None:
            form.add_error(None, "That code or login is not right for this session. Check it and try again.")
        else:
            request.session[_kiosk_key(session)] = {
                "pupil": pupil.pk, "code": code_id, "method": method, "started": time.time()
            }  # fmt: skip
            return redirect("agreements:kiosk_sign", pk=session.pk)
    return render(request, "agreements/kiosk.html", {"session": session, "form": form})


def _identify_pupil(session, data, request):
    if data.get("code"):
        code = services.find_code(session, data["code"])
        return (code.pupil, code.pk, AuthMethod.STAFF_WITNESSED) if code else (None, None, None)
    user = authenticate(request, username=data["username"], password=data["password"])
    ok = (
        user
        and user.school_id == session.school_id
        and user.has_role(Role.PUPIL)
        and session.codes.filter(pupil=user).exists()  # only the group the session was opened for
    )
    return (user, None, AuthMethod.PASSWORD) if ok else (None, None, None)


@never_cache
@login_required
def kiosk_sign(request, pk):
    session = _session_for(request, pk)
    pupil, state = _kiosk_pupil(request, session)
    if pupil is None:
        return redirect("agreements:kiosk", pk=session.pk)
    agreement = session.agreement
    version = agreement.policy.current_version
    form = SignForm(
        request.POST or None, agreement=agreement, signer=pupil, witness_known=True,
        initial={"shown_sha256": version.sha256},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        code = session.codes.filter(pk=state["code"]).first() if state["code"] else None
        try:
            services.kiosk_signature_record(
                session=session, pupil=pupil, witness=request.user, code=code, version=version,
                shown_sha256=form.cleaned_data["shown_sha256"], consent_given=form.cleaned_data["consent"],
                typed_name=form.cleaned_data["typed_name"],
                evidence=services.Evidence.from_request(request, auth_method=state["method"]),
            )  # fmt: skip
        except services.AlreadySigned:
            messages.info(request, "That agreement was already signed. Next pupil, please.")
        except ServiceError as exc:
            form.add_error(None, str(exc))
            return render(
                request,
                "agreements/kiosk_sign.html",
                signing_context(agreement, pupil, version)
                | {"form": form, "session": session, "pupil": pupil},
            )
        else:
            messages.success(request, "Signed. Thank you! Please hand the device back to your teacher.")
        request.session.pop(_kiosk_key(session), None)
        return redirect("agreements:kiosk", pk=session.pk)
    context = signing_context(agreement, pupil, version) | {"form": form, "session": session, "pupil": pupil}
    return render(request, "agreements/kiosk_sign.html", context)


@login_required
@require_POST
def kiosk_cancel(request, pk):
    session = _session_for(request, pk)
    request.session.pop(_kiosk_key(session), None)
    return redirect("agreements:kiosk", pk=session.pk)


@never_cache
@login_required
@ratelimit(key="user", rate="10/m", method="POST", block=False)
def kiosk_exit(request, pk):
    """Only the teacher, by typing their password again, takes the device out of kiosk mode."""
    session = _session_for(request, pk)
    form = KioskExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        teacher = authenticate(
            request, username=request.user.username, password=form.cleaned_data["password"]
        )
        if teacher is not None and not getattr(request, "limited", False):
            request.session.pop(KIOSK_LOCK, None)
            request.session.pop(_kiosk_key(session), None)
            return redirect("agreements:session", pk=session.pk)
        form.add_error("password", "That is not your password.")
    return render(request, "agreements/kiosk_exit.html", {"session": session, "form": form})
