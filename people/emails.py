"""One function per email. Each renders emails/<name>_subject.txt, <name>.txt and <name>.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone


def _send(name, recipient, context):
    context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    message.attach_alternative(html, "text/html")
    message.send()


def invitation(invitation, link):
    person = invitation.person
    _send(
        "invitation", person,
        {
            "school": person.school, "link": link, "expires_at": timezone.localtime(invitation.expires_at),
            "login_url": settings.SITE_URL.rstrip("/") + reverse("login"), "username": person.username,
        },
    )  # fmt: skip
