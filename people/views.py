from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.reauth import recent_check_required
from audit.looks import record_list_look, record_look
from audit.models import AuditEntry
from glenwood.pagination import page_of
from glenwood.services import NotAllowed, ServiceError

from . import permissions, services
from .access import get_for_school, visible_schools
from .filters import PersonFilter
from .forms import ImportMatchForm, ImportUploadForm, PersonForm, YearGroupsForm
from .imports import rejected_rows_csv
from .invitations import can_be_invited
from .models import ImportBatch, ImportKind, ImportStatus, Invitation, Person, PupilAgreement
from .year_groups import agreement_for_year, year_agreements

PAGE_SIZE = 50
DEMO_FOLDER = Path(__file__).resolve().parent / "demo"
SAMPLE_FILES = {
    ImportKind.PUPILS: DEMO_FOLDER / "sims-pupils-sample.csv",
    ImportKind.STAFF: DEMO_FOLDER / "arbor-staff-sample.csv",
    ImportKind.EVERYONE: DEMO_FOLDER / "mis-export-sample.csv",
}


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
        .prefetch_related(
            "role_assignments",
            Prefetch("invitations", queryset=Invitation.objects.filter(sent_at__isnull=False).only("person")),
        )
    )
    filters = PersonFilter(request.GET, queryset=people, schools=schools)
    page, query_string = page_of(request, filters.qs, PAGE_SIZE)
    record_list_look(actor=request.user, action="people.listed", request=request, shown=len(page))
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
    record_look(actor=request.user, action="person.viewed", record=person)
    # What was done to the record; the looks at it are in the audit log, not in this list.
    history = (
        AuditEntry.objects.for_record(person).exclude(action="person.viewed").select_related("actor")[:20]
    )
    invitation = person.invitations.filter(sent_at__isnull=False).first()
    signs = (
        agreement_for_year(year_agreements(person.school_id), person.year_group)
        if person.year_group
        else None
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "history": history,
            "invitation": invitation,
            "can_invite": can_be_invited(person),
            "year_agreement": PupilAgreement(signs).label if signs is not None else "",
        },
    )


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
                actor=request.user, school=request.user.school, filename=upload.name, data=upload.read(),
                kind=form.cleaned_data["kind"],
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            if batch.status == ImportStatus.MAPPING:
                return redirect("people:import_match", pk=batch.pk)
            return redirect("people:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(school=request.user.school_id).select_related("uploaded_by")[:10]
    return render(request, "people/import_upload.html", {"form": form, "recent": recent})


@login_required
def import_sample(request, kind=ImportKind.EVERYONE):
    if not permissions.can_import(request.user):
        raise NotAllowed
    sample = SAMPLE_FILES.get(kind)
    if sample is None:
        raise Http404
    return FileResponse(sample.open("rb"), as_attachment=True, filename=sample.name, content_type="text/csv")


@login_required
def import_match(request, pk):
    """The headings the portal did not recognise: the office says what each holds, once per school."""
    batch = _batch_for(request.user, pk)
    if batch.status != ImportStatus.MAPPING:
        return redirect("people:import_batch", pk=batch.pk)
    headings = batch.summary.get("unrecognised", [])
    form = ImportMatchForm(request.POST or None, headings=headings, kind=batch.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_match(actor=request.user, batch=batch, choices=form.choices())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("people:import_batch", pk=batch.pk)
    return render(request, "people/import_match.html", {"batch": batch, "form": form})


@login_required
def import_batch(request, pk):
    batch = _batch_for(request.user, pk)
    if batch.status == ImportStatus.MAPPING:
        return redirect("people:import_match", pk=batch.pk)
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
            "to_invite": _to_invite(batch).count() if batch.status == ImportStatus.APPLIED else 0,
        },
    )


def _to_invite(batch):
    """The people an applied import added or changed who can be invited and have not been yet."""
    return (
        Person.objects.filter(school=batch.school_id, pk__in=batch.summary.get("people", []))
        .current()
        .not_invited()
        .exclude(email="")
    )


@login_required
def import_rejected(request, pk):
    """The rows that could not be imported, as a CSV to correct and upload again."""
    batch = _batch_for(request.user, pk)
    if batch.status in (ImportStatus.DRY_RUN, ImportStatus.MAPPING):
        plan = services.import_plan_for(batch) if batch.status == ImportStatus.DRY_RUN else None
        problems = {row.number: row.errors for row in plan.rows_with_errors} if plan else {}
    else:
        problems = {entry["row"]: entry["errors"] for entry in batch.summary.get("errors", [])}
    response = HttpResponse(
        rejected_rows_csv(batch.csv_text, problems), content_type="text/csv; charset=utf-8"
    )
    name = Path(batch.filename).stem[:80] or "import"
    response["Content-Disposition"] = f'attachment; filename="{name}-rows-to-correct.csv"'
    return response


@login_required
@require_POST
def import_discard(request, pk):
    batch = _batch_for(request.user, pk)
    try:
        services.import_discard(actor=request.user, batch=batch)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Nothing from {batch.filename} was imported.")
    return redirect("people:import")


@login_required
def year_groups(request):
    """Which pupil agreement each year group signs, the sixth form included."""
    if not permissions.can_set_year_groups(request.user):
        raise NotAllowed
    school = request.user.school
    form = YearGroupsForm(request.POST or None, current=year_agreements(school.pk))
    if request.method == "POST" and form.is_valid():
        services.year_groups_change(actor=request.user, school=school, choices=form.choices())
        messages.success(request, "Year groups saved: each pupil now owes the agreement of their year.")
        return redirect("people:year_groups")
    return render(request, "people/year_groups.html", {"form": form, "school": school})


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
        left_out = (
            f" {counts['errors']} row{'s' if counts['errors'] != 1 else ''} left out."
            if counts["errors"]
            else ""
        )
        messages.success(
            request,
            f"Import applied: {counts['new']} added, {counts['changed']} updated "
            f"(of whom {counts['leavers']} leaving), {counts['unchanged']} unchanged.{left_out}",
        )
    return redirect("people:import_batch", pk=batch.pk)
