"""One function per email. Each renders emails/<name>_subject.txt, <name>.txt and <name>.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def evidence_check_failed(check, recipient):
    url = settings.SITE_URL.rstrip("/") + reverse("audit:evidence")
    context = {"check": check, "recipient": recipient, "url": url}
    subject = " ".join(render_to_string("emails/evidence_check_failed_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("emails/evidence_check_failed.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )
    message.attach_alternative(render_to_string("emails/evidence_check_failed.html", context), "text/html")
    message.send()
