"""Thin Celery tasks: each loads by primary key and calls a service or sends an email."""

import logging

from celery import shared_task

from . import emails, invitations
from .models import Person

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_invitations(invitation_ids):
    sent = 0
    for invitation_id in invitation_ids:
        try:
            sent += invitations.invitation_send(invitation_id=invitation_id)
        except Exception:
            # The invitation stays unsent; the person shows as not invited, so the office sends it again.
            logger.exception("Invitation %s not sent", invitation_id)
    return sent


# A mail server that is down for a while: retried, so a role change is never announced to nobody.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=6)
def send_role_change_emails(person_id: int, role: str, granted: bool, actor_id: int) -> int:
    person = Person.objects.select_related("school").get(pk=person_id)
    actor = Person.objects.get(pk=actor_id)
    recipients = emails.role_change_recipients(person)
    for recipient in recipients:
        emails.role_changed(recipient=recipient, person=person, role=role, granted=granted, actor=actor)
    return len(recipients)
