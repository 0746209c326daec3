"""The case pages for those who may see a case: list, detail, chronology, evidence pack, steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.reauth import require_recent_check
from glenwood.pagination import page_of
from glenwood.pdf import render_pdf
from glenwood.services import NotAllowed, ServiceError

from .. import permissions, selectors, services
from ..evidence import cited_agreement, cited_policy
from ..filters import CaseFilter
from ..models import Attachment
from ..step_forms import STEPS

PAGE_SIZE = 25
# Deciding an outcome asks the person to confirm who they are if their last check is old.
DECISION_STEPS = {"outcome", "safeguarding_outcome", "appeal_decision"}


@login_required
@never_cache
def case_list(request):
    if not selectors.uses_case_list(request.user):
        raise NotAllowed
    filters = CaseFilter(request.GET, queryset=selectors.case_list(request.user))
    page, query_string = page_of(request, filters.qs, PAGE_SIZE)
    return render(
        request,
        "breaches/case_list.html",
        {
            "filter": filters,
            "page": page,
            "query_string": query_string,
            "may_record_flags": permissions.may_record_flags(request.user),
        },
    )


def _case_context(request, case):
    today = timezone.localdate()
    return {
        "case": case,
        "policy": cited_policy(case),
        "agreement": cited_agreement(case),
        "steps": [
            (name, STEPS[name].title) for name in permissions.available_steps(request.user, case, today)
        ],
        "panel": list(case.panel.all()),
    }


def _chronology(case):
    return case.entries.select_related("author").prefetch_related("attachments")


@login_required
@never_cache
def case_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    services.record_case_view(actor=request.user, case=case, page="case")
    entries = list(_chronology(case))
    context = _case_context(request, case) | {"entries": entries[-5:], "more_entries": len(entries) > 5}
    return render(request, "breaches/case_detail.html", context)


def _pack_context(request, case):
    return _case_context(request, case) | {
        "entries": _chronology(case),
        "referrals": case.referrals.all(),
        "flag": getattr(case, "flag", None),
        "printed_at": timezone.now(),
        "printed_by": request.user,
    }


@login_required
@never_cache
def case_chronology(request, pk):
    case = selectors.case_for(request.user, pk)
    services.record_case_view(actor=request.user, case=case, page="chronology")
    return render(request, "breaches/case_chronology.html", _pack_context(request, case))


@login_required
@never_cache
def case_pdf(request, pk):
    """The evidence pack for a hearing: the chronology with the exact clauses and the signed agreement."""
    case = selectors.case_for(request.user, pk)
    services.record_case_view(actor=request.user, case=case, page="evidence pack")
    html = render_to_string("breaches/evidence_pack.html", _pack_context(request, case), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-evidence-pack.pdf"'
    return response


@login_required
@never_cache
def download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("case"), pk=pk)
    selectors.case_for(request.user, attachment.case_id)  # the same check as the case itself
    services.record_download(actor=request.user, attachment=attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    # Never rendered by the browser as anything but the type we checked, never cached on a shared tablet.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@never_cache
def case_step(request, pk, step):
    case = selectors.case_for(request.user, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    if step not in permissions.available_steps(request.user, case, timezone.localdate()):
        raise NotAllowed
    if step in DECISION_STEPS:
        require_recent_check(request)
    form = spec.form(request.POST or None, request.FILES or None, case=case, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            spec.service(actor=request.user, case=case, **form.service_kwargs())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, spec.done)
            return redirect("breaches:case", pk=case.pk)
    if request.method == "GET":
        services.record_case_view(actor=request.user, case=case, page=f"step: {step}")
    return render(request, "breaches/case_step.html", {"case": case, "form": form, "step": spec})
