"""Evidence exports: ask for a ZIP of sealed PDFs, watch it being made, download it while it lasts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.reauth import recent_check_required
from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError

from . import dashboard, exports
from .forms import ExportForm
from .models import ExportStatus

RECENT = 20
WAITING = (
    "The background worker cannot be reached just now, so it will start shortly, by itself, as soon "
    "as the worker is back. There is no need to ask again."
)


def _require_export_role(person):
    if not person.has_role(*exports.EXPORT_ROLES):
        raise NotAllowed


def _export_for(request, pk):
    """Fetch and authorise in one call: another school's export is a 404."""
    _require_export_role(request.user)
    return get_object_or_404(exports.exports_for(request.user), pk=pk)


@login_required
@recent_check_required
def export_list(request):
    _require_export_role(request.user)
    form = ExportForm(
        request.POST or None,
        agreements=dashboard.agreements_for(request.user),
        show_school=request.user.is_trust_admin,
    )
    if request.method == "POST" and form.is_valid():
        try:
            export = exports.export_request(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if getattr(export, "is_repeat", False):
                messages.info(
                    request, "This export was already asked for and is not finished yet: here it is."
                )
            elif exports.is_waiting_for_worker(export):
                messages.warning(
                    request,
                    f"Export queued: {export.total} signed agreement{pluralize(export.total)}. {WAITING}",
                )
            else:
                messages.success(
                    request, f"Export started: {export.total} signed agreement{pluralize(export.total)}."
                )
            return redirect("agreements:export", pk=export.pk)
    recent = exports.exports_for(request.user)[:RECENT]
    return render(request, "agreements/exports.html", {"form": form, "exports": recent})


def _is_expired(export) -> bool:
    """Expired by the clock, even before the clean-up task has deleted its ZIP."""
    return export.status == ExportStatus.EXPIRED or (
        export.expires_at is not None and export.expires_at <= timezone.now()
    )


def _progress(export) -> dict:
    expired = _is_expired(export)
    done = export.status == ExportStatus.DONE and not expired
    status = ExportStatus.EXPIRED if expired else ExportStatus(export.status)
    return {
        "status": status.value,
        "status_label": status.label,
        "done": export.done,
        "total": export.total,
        "percent": export.percent,
        "finished": status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED),
        "download_url": reverse("agreements:export_download", args=[export.pk]) if done else None,
        "error": export.error,
        "can_restart": exports.can_restart(export),
        "waiting_note": WAITING if exports.is_waiting_for_worker(export) else "",
        "expires": (
            f"Available until {date_format(timezone.localtime(export.expires_at), 'j F Y, H:i')}."
            if export.expires_at
            else ""
        ),
    }


@login_required
def export_detail(request, pk):
    export = _export_for(request, pk)
    return render(request, "agreements/export_detail.html", {"export": export, "progress": _progress(export)})


@never_cache
@login_required
def export_progress(request, pk):
    """What the progress bar polls: a few numbers, no names."""
    return JsonResponse(_progress(_export_for(request, pk)))


@login_required
@require_POST
def export_restart(request, pk):
    export = _export_for(request, pk)
    try:
        exports.export_restart(actor=request.user, export=export)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, "Export restarted: the PDFs already made are kept and reused.")
    return redirect("agreements:export", pk=export.pk)


@login_required
def export_download(request, pk):
    export = _export_for(request, pk)
    if _is_expired(export):
        return render(request, "agreements/export_expired.html", {"export": export}, status=410)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("This export is not ready.")
    audit_record(
        actor=request.user, action="agreement.export_downloaded", record=export, school=export.school
    )
    name = f"signed-agreements-{export.agreement.kind}-{export.group}-{export.pk}.zip"
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )
