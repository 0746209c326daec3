from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from glenwood.pagination import page_of
from glenwood.services import NotAllowed
from people.access import visible_schools
from people.models import Role

from . import services, upcoming
from .forms import ReminderSettingsForm
from .models import Notification, Reminder, ReminderKind, ReminderSettings, ReminderStatus

ADMIN_ROLES = (Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN)


@login_required
def reminders(request):
    """What was sent, to whom and when; what falls due next; and the school's settings."""
    if not request.user.has_role(*ADMIN_ROLES):
        raise NotAllowed
    schools = visible_schools(request.user)
    settings = ReminderSettings.for_school(request.user.school_id)
    # The form gets its own copy: a valid ModelForm writes its values onto its instance, and the
    # service must compare the new values with the stored ones.
    form = ReminderSettingsForm(
        request.POST or None, instance=ReminderSettings.for_school(request.user.school_id)
    )
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        services.reminder_settings_change(actor=request.user, settings=settings, **changes)
        messages.success(request, "Reminder settings saved. They apply from the next daily scan.")
        return redirect("reminders:list")
    sent = Reminder.objects.filter(school__in=schools).select_related("recipient", "school")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in ReminderKind.values:
        sent = sent.filter(kind=kind)
    if status in ReminderStatus.values:
        sent = sent.filter(status=status)
    page, query_string = page_of(request, sent, 50)
    return render(
        request,
        "reminders/reminders.html",
        {
            "page": page,
            "kinds": ReminderKind.choices, "statuses": ReminderStatus.choices, "kind": kind, "status": status,
            "reviews": upcoming.upcoming_reviews(schools, settings),
            "chasers": upcoming.upcoming_chasers(schools, settings),
            "form": form, "query_string": query_string, "look_ahead": upcoming.LOOK_AHEAD_DAYS,
        },
    )  # fmt: skip


@login_required
def notifications(request):
    page, query_string = page_of(request, Notification.objects.filter(recipient=request.user), 30)
    return render(request, "reminders/notifications.html", {"page": page, "query_string": query_string})


@login_required
@require_POST
def notification_open(request, pk):
    services.notification_mark_read(person=request.user, notification_id=pk)
    target = Notification.objects.filter(pk=pk, recipient=request.user).values_list("url", flat=True).first()
    return redirect(target or "reminders:notifications")
