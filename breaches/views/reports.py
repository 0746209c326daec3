"""Reporting a concern, the reporter's receipt, and what the person concerned is told."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from glenwood.forms import search_text
from glenwood.services import ServiceError
from people.models import Role

from .. import naming, permissions, selectors, services
from ..evidence import cited_agreement, cited_policy, no_agreement_wording
from ..forms import EvidenceForm, PupilReportForm, ReportForm
from ..step_forms import AppealForm


@login_required
def report_concern(request):
    user = request.user
    form_class = PupilReportForm if user.has_role(Role.PUPIL) else ReportForm
    form = form_class(request.POST or None, request.FILES or None, school=user.school, reporter=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.report_concern(actor=user, **form.service_kwargs())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your report has been received. Its reference is {case.reference}.")
            # The report is kept even when a file is refused: say which, and where to send another.
            for refused in form.refused_files:
                messages.warning(request, f"{refused} You can send another file below.")
            return redirect("breaches:receipt", pk=case.pk)
    return render(
        request,
        "breaches/report_form.html",
        {"form": form, "is_pupil": form_class is PupilReportForm, "files_chosen": bool(request.FILES)},
    )


@login_required
@require_GET
def people_search(request):
    """The few people matching what a reporter typed, from the people they may name (JSON)."""
    query = search_text(request)
    matches = naming.matching_people(request.user, query)
    return JsonResponse(
        {
            "results": [{"id": p.pk, "label": naming.label(p, for_reporter=request.user)} for p in matches],
            "min_letters": naming.MIN_LETTERS,
        }
    )


@login_required
def my_reports(request):
    return render(request, "breaches/my_reports.html", {"reports": selectors.reports_by(request.user)})


@login_required
@never_cache
def receipt(request, pk):
    case = selectors.receipt_for(request.user, pk)
    services.record_case_view(actor=request.user, case=case, page="receipt")
    return _receipt_page(request, case, EvidenceForm() if case.is_open else None)


def _receipt_page(request, case, form):
    if form is not None:
        form.helper.form_action = reverse("breaches:add_evidence", args=[case.pk])
    return render(request, "breaches/receipt.html", {"case": case, "evidence_form": form})


@login_required
@require_POST
def add_evidence(request, pk):
    case = selectors.receipt_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Thank you: your files were added to the report.")
            return redirect("breaches:receipt", pk=case.pk)
    services.record_case_view(actor=request.user, case=case, page="receipt")
    return _receipt_page(request, case, form)


@login_required
def concerning_me(request):
    return render(request, "breaches/concerning_me.html", {"cases": selectors.concerning(request.user)})


@login_required
@never_cache
def concerning_detail(request, pk):
    case = selectors.concerning_case_for(request.user, pk)
    form = None
    if permissions.appeal_open(case, timezone.localdate()) and case.status == "outcome":
        form = AppealForm(request.POST or None, request.FILES or None, case=case, actor=request.user)
        if "received_on" in form.fields:
            del form.fields["received_on"]  # a person's own appeal is received today
        if request.method == "POST" and form.is_valid():
            try:
                services.lodge_appeal(actor=request.user, case=case, **form.service_kwargs())
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your appeal has been lodged.")
                return redirect("breaches:concerning_detail", pk=case.pk)
    services.record_case_view(actor=request.user, case=case, page="concerning")
    return render(
        request,
        "breaches/concerning_detail.html",
        {
            "case": case,
            "policy": cited_policy(case),
            "agreement": cited_agreement(case),
            "appeal_form": form,
            "no_agreement": "" if case.signature_id else no_agreement_wording(case),
            "letters": case.letters.filter(recipient=request.user),
        },
    )
