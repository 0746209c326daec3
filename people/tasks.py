"""Thin Celery tasks: each loads by primary key and calls a service."""

import logging

from celery import shared_task

from . import invitations

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
