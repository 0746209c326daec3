"""One function per email about a person's account. Each renders emails/<name>_subject.txt, .txt and .html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Person, Role


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


def role_changed(*, recipient, person, role, granted, actor) -> None:
    """A leadership, safeguarding or administrator role given or taken away: to the person and the head,
    so that a role nobody meant to give is noticed at once."""
    path = reverse("people:detail", args=[person.pk]) if recipient.pk != person.pk else reverse("home")
    _send(
        "role_changed", recipient,
        {
            "person": person, "role": Role(role).label, "granted": granted, "actor": actor,
            "is_the_person": recipient.pk == person.pk, "url": settings.SITE_URL.rstrip("/") + path,
        },
    )  # fmt: skip


def role_change_recipients(person) -> list[Person]:
    """The person and the school's current headteachers, each once, those with an email address."""
    heads = Person.objects.current().filter(
        school_id=person.school_id, role_assignments__role=Role.HEADTEACHER
    )
    recipients = {p.pk: p for p in [person, *heads.order_by("pk")] if p.email}
    return list(recipients.values())
