from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.reauth import recent_check_required
from audit.models import AuditEntry
from glenwood.pagination import page_of
from glenwood.services import NotAllowed, ServiceError

from . import permissions, services
from .access import get_for_school, visible_schools
from .filters import PersonFilter
from .forms import ImportUploadForm, PersonForm
from .models import ImportBatch, ImportStatus, Person

PAGE_SIZE = 50
SAMPLE_FILE = Path(__file__).resolve().parent / "demo" / "mis-export-sample.csv"


def _person_for(user, pk):
    """Fetch and authorise: the wrong role is a 403, another school's person a 404."""
    if not permissions.can_use_directory(user):
        raise NotAllowed
    return get_for_school(user, Person.objects.select_related("school"), pk=pk)


def _batch_for(user, pk):
    if not permissions.can_import(user):
        raise NotAllowed
    return get_object_or_404(
        ImportBatch.objects.select_related("school", "uploaded_by", "applied_by"),
        pk=pk,
        school=user.school_id,
    )


@login_required
def person_list(request):
    if not permissions.can_use_directory(request.user):
        raise NotAllowed
    schools = visible_schools(request.user)
    people = (
        Person.objects.filter(school__in=schools)
        .select_related("school")
        .prefetch_related("role_assignments")
    )
    filters = PersonFilter(request.GET, queryset=people, schools=schools)
    page, query_string = page_of(request, filters.qs, PAGE_SIZE)
    return render(
        request,
        "people/person_list.html",
        {
            "filter": filters,
            "page": page,
            "query_string": query_string,
            "several_schools": schools.count() > 1,
            "can_import": permissions.can_import(request.user),
        },
    )


@login_required
def person_detail(request, pk):
    person = _person_for(request.user, pk)
    history = AuditEntry.objects.for_record(person).select_related("actor")[:20]
    return render(request, "people/person_detail.html", {"person": person, "history": history})


@login_required
def person_edit(request, pk):
    person = _person_for(request.user, pk)
    # Not `request.POST or None`: unticking every role posts an empty form, which must still be checked.
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, person=person, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{person}’s details saved.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
@recent_check_required(on_get=True)
def import_upload(request):
    if not permissions.can_import(request.user):
        raise NotAllowed
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_check(
                actor=request.user, school=request.user.school, filename=upload.name, data=upload.read()
            )
        except ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("people:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(school=request.user.school_id).select_related("uploaded_by")[:10]
    return render(request, "people/import_upload.html", {"form": form, "recent": recent})


@login_required
def import_sample(request):
    if not permissions.can_import(request.user):
        raise NotAllowed
    return FileResponse(
        SAMPLE_FILE.open("rb"), as_attachment=True, filename=SAMPLE_FILE.name, content_type="text/csv"
    )


@login_required
def import_batch(request, pk):
    batch = _batch_for(request.user, pk)
    plan = applied_before = None
    if batch.status == ImportStatus.DRY_RUN:
        # Checked again on every view, so the page shows what applying would do now.
        plan = services.import_plan_for(batch)
        applied_before = (
            ImportBatch.objects.filter(
                school=batch.school_id, sha256=batch.sha256, status=ImportStatus.APPLIED
            )
            .order_by("-applied_at")
            .first()
        )
    return render(
        request,
        "people/import_batch.html",
        {
            "batch": batch,
            "plan": plan,
            "applied_before": applied_before,
            "counts": batch.summary.get("counts", {}),
        },
    )


@login_required
@require_POST
@recent_check_required
def import_apply(request, pk):
    batch = _batch_for(request.user, pk)
    try:
        plan = services.import_apply(
            actor=request.user, batch=batch, shown_plan_sha256=request.POST.get("plan_sha256", "")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        counts = plan.counts
        messages.success(
            request,
            f"Import applied: {counts['new']} added, {counts['changed']} updated "
            f"(of whom {counts['leavers']} leaving), {counts['unchanged']} unchanged.",
        )
    return redirect("people:import_batch", pk=batch.pk)
