"""The public verify page: is this evidence PDF genuine, and what does it record?

Open without login (a disciplinary panel or an inspector has no account) and throttled per IP
address. It shows only what the sealed PDF itself holds (agreements/verification.py), never a full
name, and for a document that is not genuine nothing at all.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from . import verification
from .evidence import normalise_code
from .forms import VerifyCodeForm, VerifyUploadForm

TEMPLATE = "agreements/verify.html"
# Room for the multipart wrapping around an upload of the largest size we accept.
ENVELOPE_BYTES = 64 * 1024


def _rate(group, request):
    return settings.VERIFY_RATE


def _page(request, *, status=200, **context):
    context.setdefault("code_form", VerifyCodeForm())
    context.setdefault("upload_form", VerifyUploadForm())
    context["max_mb"] = settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024)
    if context.get("verdict") is not None:
        context["sealed_at"] = verification.sealed_when(context["verdict"])
    return render(request, TEMPLATE, context, status=status)


# No CSRF check: the page changes nothing, and the check would read (and spool to disk) the body
# of an oversized upload before the view could refuse it by its declared length.
@csrf_exempt
@never_cache
@ratelimit(key="ip", rate=_rate, block=False)
def verify(request, code=None):
    if getattr(request, "limited", False):
        return _page(request, status=429, throttled=True)
    if code is not None:
        return _page(request, verdict=verification.verdict_for_code(code), checked="code", code=code)
    if request.method == "POST":
        return _check_upload(request)
    if "code" in request.GET:
        form = VerifyCodeForm(request.GET)
        if form.is_valid():
            code = normalise_code(form.cleaned_data["code"])
            if code:
                return redirect("verify_code", code=code)
            form.add_error("code", "A verification code has twelve letters and digits.")
        return _page(request, code_form=form, status=400)
    return _page(request)


def _check_upload(request):
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > settings.VERIFY_UPLOAD_MAX_BYTES + ENVELOPE_BYTES:
        # Refused before Django reads the body: a huge upload never reaches the disk.
        limit = settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024)
        error = f"That file is too large: an evidence PDF is well under {limit} MB."
        return _page(request, upload_error=error, status=413)
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    verdict = verification.verdict_for_pdf(form.cleaned_data["document"].read())
    return _page(request, verdict=verdict, checked="pdf")
