from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.reauth import recent_check_required
from glenwood.pagination import page_of
from glenwood.services import NotAllowed, ServiceError
from people.access import visible_schools

from . import permissions, selectors, services
from .filters import PolicyFilter
from .forms import DecisionForm, DraftForm, PolicyDetailsForm, PolicyForm, StartRevisionForm, SubmitForm
from .markdown import MAX_MARKDOWN_CHARS, markdown_problems, render_markdown
from .models import Policy, PolicyVersion, VersionStatus
from .redline import redline

PAGE_SIZE = 25


def _policy_for(person, pk):
    return get_object_or_404(selectors.policies_visible_to(person), pk=pk)


def _version_for(person, pk):
    """Fetch and authorise: another school's version is a 404, a draft you may not see a 404 too."""
    version = get_object_or_404(
        PolicyVersion.objects.select_related("policy", "policy__approval_body", "policy__school"),
        pk=pk,
        policy__school__in=visible_schools(person),
    )
    if not permissions.can_see_version(person, version):
        raise Http404
    return version


@login_required
def policy_list(request):
    # Policies and the Acceptable Use Agreements together: the library of everything the school keeps.
    policies = selectors.policies_visible_to(request.user).order_by("title")
    filters = PolicyFilter(request.GET, queryset=policies)
    page, query_string = page_of(request, filters.qs, PAGE_SIZE)
    return render(
        request,
        "policies/policy_list.html",
        {
            "filter": filters,
            "page": page,
            "can_add": permissions.can_manage_policies(request.user),
            "query_string": query_string,
        },
    )


@login_required
@require_POST
def markdown_preview(request):
    """The editor's preview: the text rendered and sanitised exactly as the published page shows it,
    with whatever would stop it being saved (too long, nested too deeply)."""
    if not permissions.can_write_policies(request.user):
        raise NotAllowed
    text = request.POST.get("text", "")
    problems = markdown_problems(text)
    # Too long is not rendered at all: the limit bounds the work, here as on saving.
    html = "" if len(text) > MAX_MARKDOWN_CHARS else render_markdown(text)
    return JsonResponse({"html": html, "problems": problems})


@login_required
def policy_detail(request, pk):
    policy = _policy_for(request.user, pk)
    history = [
        v
        for v in policy.versions.select_related("policy").order_by("-number")
        if permissions.can_see_version(request.user, v)
    ]
    in_progress = next(
        (
            v
            for v in history
            if v.status in (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED)
        ),
        None,
    )
    return render(
        request,
        "policies/policy_detail.html",
        {
            "policy": policy,
            "version": policy.current_version,
            "history": history,
            "in_progress": in_progress,
            "related": policy.related.filter(pk__in=selectors.policies_visible_to(request.user)),
            "is_reviewer": permissions.is_reviewer(request.user, policy),
            "can_edit_details": permissions.can_manage_policies(request.user)
            and request.user.school_id == policy.school_id,
            "revision_form": StartRevisionForm(initial={"reviewed_on": timezone.localdate()}),
        },
    )


@login_required
def policy_create(request):
    if not permissions.can_manage_policies(request.user):
        raise NotAllowed
    school = request.user.school
    form = PolicyForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            policy = services.policy_create(actor=request.user, school=school, **data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{policy.title} added; its first draft is ready to edit.")
            return redirect("policies:version_edit", pk=policy.versions.get().pk)
    return render(request, "policies/policy_form.html", {"form": form})


@login_required
def policy_edit(request, pk):
    policy = _policy_for(request.user, pk)
    if not permissions.can_manage_policies(request.user) or request.user.school_id != policy.school_id:
        raise NotAllowed
    # The form works on its own copy: the service compares what is stored with what was asked for.
    form = PolicyDetailsForm(request.POST or None, instance=Policy.objects.get(pk=policy.pk))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f != "related"}
        related = list(form.cleaned_data["related"]) if "related" in form.changed_data else None
        try:
            services.policy_update_details(actor=request.user, policy=policy, related=related, **changes)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Details saved." if form.changed_data else "Nothing was changed.")
            return redirect("policies:detail", pk=policy.pk)
    return render(request, "policies/policy_edit.html", {"form": form, "policy": policy})


@login_required
@require_POST
def version_start(request, pk):
    policy = _policy_for(request.user, pk)
    if not permissions.is_reviewer(request.user, policy):
        raise NotAllowed
    form = StartRevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date of this review.")
        return redirect("policies:detail", pk=policy.pk)
    try:
        version = services.version_draft(actor=request.user, policy=policy, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("policies:detail", pk=policy.pk)
    messages.success(request, f"{version.label} started from the current text.")
    return redirect("policies:version_edit", pk=version.pk)


@login_required
def version_detail(request, pk):
    version = _version_for(request.user, pk)
    user = request.user
    return render(
        request,
        "policies/version_detail.html",
        {
            "version": version,
            "policy": version.policy,
            "is_reviewer": permissions.is_reviewer(user, version.policy),
            "is_approver": version.status == VersionStatus.SUBMITTED
            and permissions.is_approver(user, version),
            "decisions": version.decisions.select_related("governor").order_by("round", "decided_at"),
            "meeting_days": settings.MEETING_REMINDER_DAYS_BEFORE,
        },
    )


@login_required
def version_edit(request, pk):
    version = _version_for(request.user, pk)
    if not permissions.is_reviewer(request.user, version.policy):
        raise NotAllowed
    if version.status != VersionStatus.DRAFT:
        messages.error(request, "Only a draft can be edited; new text means a new version.")
        return redirect("policies:version", pk=version.pk)
    form = DraftForm(request.POST or None, instance=PolicyVersion.objects.get(pk=version.pk))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            services.version_update_draft(actor=request.user, version=version, **changes)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Draft saved.")
            return redirect("policies:version", pk=version.pk)
    return render(request, "policies/version_edit.html", {"form": form, "version": version})


def _step(request, pk, service, done_message, **options):
    version = _version_for(request.user, pk)
    try:
        service(actor=request.user, version=version, **options)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message.format(version=version))
    return redirect("policies:version", pk=version.pk)


@login_required
@require_POST
def version_submit(request, pk):
    form = SubmitForm(request.POST)
    if not form.is_valid():
        _version_for(request.user, pk)  # another school's version is a 404 before any message
        messages.error(request, "Give the meeting date as a date, or leave it empty.")
        return redirect("policies:version", pk=pk)
    return _step(
        request, pk, services.version_submit, "{version} sent to the governors for approval.",
        meeting_on=form.cleaned_data["meeting_on"],
    )  # fmt: skip


@login_required
@require_POST
def version_publish(request, pk):
    minor = request.POST.get("minor") == "on"
    return _step(request, pk, services.version_publish, "{version} is now the current version.", minor=minor)


@login_required
@require_POST
def version_retire(request, pk):
    return _step(request, pk, services.version_retire, "{version} retired.")


def _redline_against(version):
    base = version.policy.current_version
    if base is None or base.pk == version.pk:
        base = version.policy.versions.filter(number__lt=version.number).order_by("-number").first()
    return base, redline(base.body if base else "", version.body)


@login_required
def version_redline(request, pk):
    version = _version_for(request.user, pk)
    base, rows = _redline_against(version)
    return render(request, "policies/version_redline.html", {"version": version, "base": base, "rows": rows})


@login_required
@recent_check_required
def version_decide(request, pk):
    version = _version_for(request.user, pk)
    if not permissions.is_approver(request.user, version):
        raise NotAllowed
    form = DecisionForm(request.POST or None, initial={"shown_sha256": version.sha256})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_decide(actor=request.user, version=version, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            version.refresh_from_db()
            messages.success(
                request, f"Decision recorded. {version.label} is {version.get_status_display().lower()}."
            )
            # Sent back, the version is a draft again, which governors do not see: land on the policy.
            if permissions.can_see_version(request.user, version):
                return redirect("policies:version", pk=version.pk)
            return redirect("policies:detail", pk=version.policy_id)
    base, rows = _redline_against(version)
    return render(
        request,
        "policies/version_decide.html",
        {
            "version": version,
            "base": base,
            "rows": rows,
            "form": form,
            "decisions": version.decisions.select_related("governor").order_by("round", "decided_at"),
        },
    )


@login_required
def review_schedule(request):
    return render(request, "policies/review_schedule.html", selectors.review_schedule(request.user))
