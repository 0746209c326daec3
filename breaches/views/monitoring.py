"""Monitoring flags: the DSL or headteacher types one in, or imports the monitoring service's export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from glenwood.services import NotAllowed, ServiceError

from .. import permissions, services
from ..forms import FlagForm, FlagImportForm


@login_required
def flag_new(request):
    if not permissions.may_record_flags(request.user):
        raise NotAllowed
    form = FlagForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.record_flag(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Flag recorded as report {flag.case.reference}, to be triaged.")
            return redirect("breaches:case", pk=flag.case_id)
    return render(request, "breaches/flag_form.html", {"form": form})


@login_required
def flag_import(request):
    if not permissions.may_record_flags(request.user):
        raise NotAllowed
    form = FlagImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_flags(actor=request.user, **form.cleaned_data)
        except services.ImportRefused as exc:
            form.add_error(None, str(exc))
            errors = exc.errors
        else:
            skipped = f"; {len(result.skipped)} already recorded were skipped" if result.skipped else ""
            messages.success(
                request, f"{len(result.created)} flag(s) imported as reports to triage{skipped}."
            )
            return redirect("breaches:cases")
    return render(request, "breaches/flag_import.html", {"form": form, "errors": errors})
