from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from glenwood.forms import posted_text
from glenwood.services import NotAllowed, ServiceError
from people.models import Role

from . import tasks
from .checks import ANSWERABLE, evidence_check_acknowledge
from .models import EvidenceCheck


@login_required
def evidence(request):
    """The evidence checks: the latest result in full, earlier runs in brief, and a check on demand."""
    if not request.user.has_role(*ANSWERABLE):
        raise NotAllowed
    if request.method == "POST":
        if not request.user.has_role(Role.TRUST_ADMIN):
            raise NotAllowed
        tasks.check_evidence.delay_on_commit()
        messages.success(request, "The check has started; its result appears here when it finishes.")
        return redirect("audit:evidence")
    checks = list(EvidenceCheck.objects.select_related("acknowledged_by")[:30])
    return render(
        request,
        "audit/evidence.html",
        {"latest": checks[0] if checks else None, "checks": checks, "may_run": request.user.is_trust_admin},
    )


@login_required
@require_POST
def evidence_acknowledge(request, pk):
    check = get_object_or_404(EvidenceCheck, pk=pk, passed=False)
    try:
        evidence_check_acknowledge(actor=request.user, check=check, note=posted_text(request, "note"))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Acknowledged. The banner is gone for everyone; the log records who and why."
        )
    return redirect(request.POST.get("next") if request.POST.get("next") == "/" else "audit:evidence")
