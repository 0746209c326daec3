"""The retention pages: the schedule, the review queue, legal holds and subject access requests."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from glenwood.services import ServiceError
from people.access import get_for_school, require_role, visible_schools
from people.models import Person, Role

from . import access, services
from .forms import HOLDABLE, AccessRequestForm, HoldForm, ReasonForm, RuleForm
from .models import AccessStatus, LegalHold, RetentionRule, ReviewItem, ReviewStatus, SubjectAccessRequest
from .schedule import rules_in_force

QUEUE_ROLES = (*services.ADMINISTRATORS, *services.REVIEWERS)


@login_required
def schedule(request):
    require_role(request.user, Role.TRUST_ADMIN)
    rules = [(rule, RuleForm(instance=rule, prefix=f"rule-{rule.pk}")) for rule in rules_in_force()]
    return render(request, "retention/schedule.html", {"rules": rules})


@login_required
@require_POST
def rule_edit(request, pk):
    require_role(request.user, Role.TRUST_ADMIN)
    rule = get_object_or_404(RetentionRule, pk=pk)
    form = RuleForm(request.POST, instance=RetentionRule.objects.get(pk=pk), prefix=f"rule-{rule.pk}")
    if not form.is_valid():
        messages.error(request, f"{rule}: " + " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("retention:schedule")
    try:
        services.rule_change(
            actor=request.user, rule=rule, **{f: form.cleaned_data[f] for f in form.Meta.fields}
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{rule}: saved. The change is in the audit log.")
    return redirect("retention:schedule")


@login_required
def queue(request):
    require_role(request.user, *QUEUE_ROLES)
    items = ReviewItem.objects.filter(school__in=visible_schools(request.user)).select_related(
        "rule", "school"
    )
    return render(request, "retention/queue.html", {
        "waiting": items.filter(status=ReviewStatus.WAITING),
        "decided": items.exclude(status=ReviewStatus.WAITING).select_related("decided_by")[:50],
        "may_confirm": request.user.has_role(*services.ADMINISTRATORS),
        "may_review": request.user.has_role(*services.REVIEWERS),
    })  # fmt: skip


def _item_for(request, pk):
    return get_for_school(request.user, ReviewItem.objects.select_related("rule"), pk=pk)


@login_required
@require_POST
def item_confirm(request, pk):
    require_role(request.user, *QUEUE_ROLES)
    item = _item_for(request, pk)
    require_role(request.user, *services.ADMINISTRATORS)
    try:
        services.review_confirm(actor=request.user, item=item)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{item.record_label}: {item.get_status_display().lower()}.")
    return redirect("retention:queue")


@login_required
@require_POST
def batch_confirm(request):
    require_role(request.user, *services.ADMINISTRATORS)
    ids = [i for i in request.POST.getlist("item") if i.isdigit()]
    items = ReviewItem.objects.filter(pk__in=ids, school__in=visible_schools(request.user)).select_related(
        "rule"
    )
    result = services.review_confirm_batch(actor=request.user, items=list(items))
    if result["done"]:
        messages.success(request, f"{len(result['done'])} done.")
    for message in set(result["refused"].values()):
        messages.error(request, message)
    return redirect("retention:queue")


@login_required
@require_POST
def item_decide(request, pk):
    require_role(request.user, *QUEUE_ROLES)
    item = _item_for(request, pk)
    require_role(request.user, *services.REVIEWERS)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.review_decide(actor=request.user, item=item, delete=request.POST.get("decision") == "delete",
                               reason=reason)  # fmt: skip
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{item.record_label}: {item.get_status_display().lower()}.")
    return redirect("retention:queue")


@login_required
def holds(request):
    require_role(request.user, *QUEUE_ROLES)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = _holdable(request, form.cleaned_data["record_type"], form.cleaned_data["record_id"])
        try:
            services.hold_place(actor=request.user, record=record, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "The legal hold is in place: no retention rule touches it until lifted."
            )
            return redirect("retention:holds")
    shown = LegalHold.objects.filter(school__in=visible_schools(request.user)).select_related(
        "placed_by", "lifted_by"
    )
    return render(request, "retention/holds.html", {"form": form, "holds": shown[:100]})


def _holdable(request, record_type, record_id):
    if record_type not in HOLDABLE:
        raise Http404
    model = apps.get_model(record_type)
    return get_for_school(request.user, model.objects.all(), pk=record_id)


@login_required
@require_POST
def hold_lift(request, pk):
    require_role(request.user, *QUEUE_ROLES)
    hold = get_for_school(request.user, LegalHold.objects.all(), pk=pk)
    form = ReasonForm(request.POST)
    try:
        services.hold_lift(
            actor=request.user, hold=hold, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The hold is lifted.")
    return redirect("retention:holds")


@login_required
def access_requests(request):
    require_role(request.user, *access.ADMINISTRATORS)
    people = Person.objects.filter(school__in=visible_schools(request.user))
    form = AccessRequestForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            made = access.access_request(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The export is being made; this page shows its progress.")
            return redirect("retention:access_detail", pk=made.pk)
    shown = SubjectAccessRequest.objects.filter(school__in=visible_schools(request.user)).select_related(
        "person"
    )
    return render(request, "retention/access.html", {"form": form, "requests": shown[:100]})


def _request_for(request, pk):
    require_role(request.user, *access.ADMINISTRATORS)
    return get_for_school(request.user, SubjectAccessRequest.objects.select_related("person"), pk=pk)


@login_required
def access_detail(request, pk):
    made = _request_for(request, pk)
    return render(
        request, "retention/access_detail.html", {"made": made, "done": made.status == AccessStatus.DONE}
    )


@login_required
def access_download(request, pk):
    made = _request_for(request, pk)
    if made.status != AccessStatus.DONE or not made.file:
        raise Http404
    access.access_download_audit(actor=request.user, request=made)
    return FileResponse(made.file.open("rb"), as_attachment=True,
                        filename=f"subject-access-{made.pk}.zip")  # fmt: skip
