"""The office invites people: one person, everyone from an import, or everyone a filtered list shows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from glenwood.services import NotAllowed

from . import permissions
from .access import visible_schools
from .filters import PersonFilter
from .invitations import invitations_request
from .models import Person
from .views import _batch_for, _person_for, _to_invite


def _report(request, made, asked):
    if made:
        messages.success(
            request, f"Invitation{'s' if len(made) > 1 else ''} on the way to {len(made)} "
            f"{'people' if len(made) > 1 else 'person'}."
        )  # fmt: skip
    if asked > len(made):
        skipped = asked - len(made)
        messages.warning(
            request, f"{skipped} {'people were' if skipped > 1 else 'person was'} not invited: no email address, "
            "already joined, or no longer at the school.",
        )  # fmt: skip


@login_required
@require_POST
def person_invite(request, pk):
    """Invite one person, or send a new invitation (the earlier link keeps working until it expires)."""
    person = _person_for(request.user, pk)
    _report(request, invitations_request(actor=request.user, people=[person]), 1)
    return redirect("people:detail", pk=person.pk)


@login_required
@require_POST
def import_invite(request, pk):
    batch = _batch_for(request.user, pk)
    people = list(_to_invite(batch))
    _report(request, invitations_request(actor=request.user, people=people), len(people))
    return redirect("people:import_batch", pk=batch.pk)


@login_required
@require_POST
def list_invite(request):
    """Everyone the people list shows with its current filters who has not been invited yet."""
    if not permissions.can_use_directory(request.user):
        raise NotAllowed
    schools = visible_schools(request.user)
    filters = PersonFilter(request.POST, queryset=Person.objects.filter(school__in=schools), schools=schools)
    people = list(filters.qs.current().not_invited().exclude(email="").select_related("school"))
    _report(request, invitations_request(actor=request.user, people=people), len(people))
    query = request.POST.urlencode()
    return redirect(reverse("people:list") + (f"?{query}" if query else ""))
