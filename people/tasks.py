"""Background work for people: thin tasks that load by primary key and send."""

from celery import shared_task

from . import emails
from .models import Person


# A mail server that is down for a while: retried, so a role change is never announced to nobody.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=6)
def send_role_change_emails(person_id: int, role: str, granted: bool, actor_id: int) -> int:
    person = Person.objects.select_related("school").get(pk=person_id)
    actor = Person.objects.get(pk=actor_id)
    recipients = emails.role_change_recipients(person)
    for recipient in recipients:
        emails.role_changed(recipient=recipient, person=person, role=role, granted=granted, actor=actor)
    return len(recipients)
