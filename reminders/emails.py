"""One function per email. Each renders emails/<name>_subject.txt, <name>.txt and <name>.html."""

import hashlib
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from agreements.dashboard import people_list, summaries
from agreements.models import Agreement
from people.invitations import invitation_link_for_reminder
from policies.models import PolicyVersion

from .models import ReminderKind


@dataclass(frozen=True)
class Sent:
    subject: str
    text: str
    url: str


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def message_id(reminder) -> str:
    """The same for every send of one reminder (its key: recipient and occasion), so a resend after
    an interrupted send is recognised as the same email by mail systems that de-duplicate."""
    key = hashlib.sha256(f"{reminder.recipient_id}:{reminder.cycle}".encode()).hexdigest()[:32]
    return f"<reminder.{key}@{urlsplit(settings.SITE_URL).hostname or 'glenwood.invalid'}>"


def _send(name, reminder, context, path, *, invite=False) -> Sent:
    """With invite, someone who has not joined yet gets a link to choose a password (then on to `path`)
    instead of a link to a page they cannot log in to."""
    recipient = reminder.recipient
    context = {**context, "recipient": recipient, "url": _absolute(path), "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    # The in-app copy never holds an invitation link: only its hash is kept anywhere.
    in_app_text = render_to_string(f"emails/{name}.txt", context)
    if invite and not recipient.has_joined:
        link = invitation_link_for_reminder(recipient)
        context["invitation_url"] = f"{link}?next={quote(path)}"
        context["invitation_days"] = settings.INVITATION_LIFETIME_DAYS
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email],
        headers={"Message-ID": message_id(reminder)},
    )  # fmt: skip
    message.attach_alternative(html, "text/html")
    message.send()
    return Sent(subject, in_app_text, path)


def review_due(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    return _send(
        "review_due", reminder, {"version": version, "policy": version.policy, "days": reminder.context["days"]},
        reverse("policies:detail", args=[version.policy_id]),
    )  # fmt: skip


def review_overdue(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    return _send(
        "review_overdue", reminder,
        {"version": version, "policy": version.policy, "days_overdue": -reminder.context["days"]},
        reverse("policies:detail", args=[version.policy_id]),
    )  # fmt: skip


def signing_chase(reminder) -> Sent:
    agreement = Agreement.objects.select_related("policy__current_version").get(
        pk=reminder.context["agreement"]
    )
    return _send(
        "signing_chase", reminder, {"agreement": agreement, "number": reminder.context["number"]},
        reverse("agreements:sign", args=[agreement.pk]), invite=True,
    )  # fmt: skip


def new_version(reminder) -> Sent:
    version = PolicyVersion.objects.select_related("policy").get(pk=reminder.context["version"])
    agreement = Agreement.objects.get(pk=reminder.context["agreement"])
    return _send(
        "new_version", reminder, {"agreement": agreement, "version": version},
        reverse("agreements:sign", args=[agreement.pk]), invite=True,
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
    return _send("admin_digest", reminder, {"rows": rows}, reverse("agreements:dashboard"))


def new_report(reminder) -> Sent:
    # Names and details stay in the portal, where every view of the case is audited.
    from breaches.models import Case

    case = Case.objects.get(pk=reminder.context["case"])
    context = {"case": case, "urgent": reminder.context.get("urgent", False)}
    return _send("new_report", reminder, context, reverse("breaches:case", args=[case.pk]))


def case_letter(reminder) -> Sent:
    """The letter itself, to the member of staff it concerns; the same letter is in the portal."""
    from breaches.models import Letter

    letter = Letter.objects.select_related("case").get(pk=reminder.context["letter"])
    return _send(
        "case_letter", reminder, {"letter": letter},
        reverse("breaches:concerning_detail", args=[letter.case_id]),
    )  # fmt: skip


def witness_request(reminder) -> Sent:
    from agreements.models import Signature

    signature = Signature.objects.select_related("person", "agreement__policy").get(
        pk=reminder.context["signature"]
    )
    return _send(
        "witness_request", reminder, {"signature": signature},
        reverse("agreements:witness_confirm", args=[signature.pk]),
    )  # fmt: skip


def _about_a_version(kind, reminder, view="policies:version_decide", **extra) -> Sent:
    version = PolicyVersion.objects.select_related("policy__approval_body").get(
        pk=reminder.context["version"]
    )
    context = {"version": version, "policy": version.policy, **extra}
    return _send(kind, reminder, context, reverse(view, args=[version.pk]))


def decision_waiting(reminder) -> Sent:
    return _about_a_version("decision_waiting", reminder)


def decision_meeting(reminder) -> Sent:
    return _about_a_version("decision_meeting", reminder)


def decision_made(reminder) -> Sent:
    return _about_a_version(
        "decision_made", reminder, view="policies:version", outcome=reminder.context["outcome"]
    )


BY_KIND = {
    ReminderKind.REVIEW_DUE: review_due,
    ReminderKind.REVIEW_OVERDUE: review_overdue,
    ReminderKind.SIGNING_CHASE: signing_chase,
    ReminderKind.NEW_VERSION: new_version,
    ReminderKind.ADMIN_DIGEST: admin_digest,
    ReminderKind.NEW_REPORT: new_report,
    ReminderKind.CASE_LETTER: case_letter,
    ReminderKind.WITNESS_REQUEST: witness_request,
    ReminderKind.DECISION_WAITING: decision_waiting,
    ReminderKind.DECISION_MADE: decision_made,
    ReminderKind.DECISION_MEETING: decision_meeting,
}


def send_reminder(reminder) -> Sent:
    return BY_KIND[reminder.kind](reminder)
