"""The case pages for those who may see a case: list, detail, chronology, evidence pack, steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.reauth import require_recent_check
from audit.looks import record_list_look
from glenwood.forms import posted_text
from glenwood.pagination import page_of
from glenwood.services import NotAllowed, ServiceError
from people.models import Role

from .. import permissions, selectors, services
from ..evidence import cited_agreement, cited_policy, no_agreement_wording
from ..filters import CaseFilter
from ..models import Attachment, PackVersion, ReporterDisclosure
from ..services import packs
from ..services.procedure import referrals_due
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
    record_list_look(actor=request.user, action="cases.listed", request=request, shown=len(page))
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
        "appeal_panel": list(case.appeal_panel.all()),
        "no_agreement": "" if case.signature_id else no_agreement_wording(case),
        "letters": case.letters.select_related("recipient"),
        "referrals_due": referrals_due(case),
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
    context["may_disclose_reporter"] = (
        request.user.has_role(Role.HEADTEACHER) and not ReporterDisclosure.objects.filter(case=case).exists()
    )
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
    """The evidence pack for a hearing, sealed and kept: the panel's version, or (?version=staff) the
    member of staff's, which withholds the reporter unless the headteacher decided otherwise."""
    case = selectors.case_for(request.user, pk)
    version = request.GET.get("version", PackVersion.PANEL)
    if version not in PackVersion.values:
        raise Http404
    services.record_case_view(actor=request.user, case=case, page=f"evidence pack ({version})")
    try:
        pack = packs.evidence_pack_make(actor=request.user, case=case, version=version)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("breaches:case", pk=case.pk)
    response = FileResponse(pack.pdf.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"{case.reference}-evidence-pack-{version}.pdf")  # fmt: skip
    return response


@login_required
@require_POST
def disclose_reporter(request, pk):
    case = selectors.case_for(request.user, pk)
    try:
        packs.reporter_disclosure_record(actor=request.user, case=case, reason=posted_text(request, "reason"))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Recorded: the member of staff's evidence pack now names the reporter.")
    return redirect("breaches:case", pk=case.pk)


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


@login_required
@never_cache
def low_level_record(request):
    """Low-level concerns about adults, kept apart and grouped by person so that patterns show."""
    if not permissions.may_see_low_level_record(request.user):
        raise NotAllowed
    groups = selectors.low_level_record(request.user)
    return render(request, "breaches/low_level_record.html", {"groups": groups})
