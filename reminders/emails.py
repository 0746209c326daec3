"""One function per email. Each renders emails/<name>_subject.txt, <name>.txt and <name>.html."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from agreements.dashboard import people_list, summaries
from agreements.models import Agreement
from policies.models import PolicyVersion

from .models import ReminderKind


@dataclass(frozen=True)
class Sent:
    subject: str
    text: str
    url: str


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _send(name, recipient, context, path) -> Sent:
    context = {**context, "recipient": recipient, "url": _absolute(path), "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return Sent(subject, text, path)


def review_due(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    return _send(
        "review_due", reminder.recipient, {"version": version, "policy": version.policy,
                                           "days": reminder.context["days"]},
        reverse("policies:detail", args=[version.policy_id]),
    )  # fmt: skip


def review_overdue(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    return _send(
        "review_overdue", reminder.recipient,
        {"version": version, "policy": version.policy, "days_overdue": -reminder.context["days"]},
        reverse("policies:detail", args=[version.policy_id]),
    )  # fmt: skip


def signing_chase(reminder) -> Sent:
    agreement = Agreement.objects.select_related("policy__current_version").get(
        pk=reminder.context["agreement"]
    )
    return _send(
        "signing_chase", reminder.recipient, {"agreement": agreement, "number": reminder.context["number"]},
        reverse("agreements:sign", args=[agreement.pk]),
    )  # fmt: skip


def new_version(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy").get(pk=reminder.context["version"])
    agreement = Agreement.objects.get(pk=reminder.context["agreement"])
    return _send(
        "new_version", reminder.recipient, {"agreement": agreement, "version": version},
        reverse("agreements:sign", args=[agreement.pk]),
    )  # fmt: skip


DIGEST_NAMES = 30


def admin_digest(reminder) -> Sent:
    agreements = list(Agreement.objects.filter(school_id=reminder.context["school"]).select_related("policy"))
    rows = []
    for summary in summaries(agreements):
        longest = []
        if summary.version:
            waiting = people_list(summary.agreement, summary.version).order_by("outstanding_since")
            longest = list(waiting[:DIGEST_NAMES])
        rows.append({"summary": summary, "longest": longest})
    return _send("admin_digest", reminder.recipient, {"rows": rows}, reverse("agreements:dashboard"))


def new_report(reminder) -> Sent:
    # Names and details stay in the portal, where every view of the case is audited.
    from breaches.models import Case

    case = Case.objects.get(pk=reminder.context["case"])
    return _send("new_report", reminder.recipient, {"case": case}, reverse("breaches:case", args=[case.pk]))


def witness_request(reminder) -> Sent:
    from agreements.models import Signature

    signature = Signature.objects.select_related("person", "agreement__policy").get(
        pk=reminder.context["signature"]
    )
    return _send(
        "witness_request", reminder.recipient, {"signature": signature},
        reverse("agreements:witness_confirm", args=[signature.pk]),
    )  # fmt: skip


def decision_waiting(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    return _send(
        "decision_waiting", reminder.recipient, {"version": version, "policy": version.policy},
        reverse("policies:version_decide", args=[version.pk]),
    )  # fmt: skip


def decision_made(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    return _send(
        "decision_made", reminder.recipient,
        {"version": version, "policy": version.policy, "outcome": reminder.context["outcome"]},
        reverse("policies:version", args=[version.pk]),
    )  # fmt: skip


BY_KIND = {
    ReminderKind.REVIEW_DUE: review_due,
    ReminderKind.REVIEW_OVERDUE: review_overdue,
    ReminderKind.SIGNING_CHASE: signing_chase,
    ReminderKind.NEW_VERSION: new_version,
    ReminderKind.ADMIN_DIGEST: admin_digest,
    ReminderKind.NEW_REPORT: new_report,
    ReminderKind.WITNESS_REQUEST: witness_request,
    ReminderKind.DECISION_WAITING: decision_waiting,
    ReminderKind.DECISION_MADE: decision_made,
}


def send_reminder(reminder) -> Sent:
    return BY_KIND[reminder.kind](reminder)
