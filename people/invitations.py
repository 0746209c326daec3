"""Invitations: the email that brings an imported person into the portal.

The office invites people (one at a time, or everyone from an import or a filtered list); a task
sends each invitation with a link that works once and expires. Only the SHA-256 of the link's token
is stored, so a leaked database holds no working links. A reminder email to someone who has not
joined yet carries a fresh invitation link instead of a bare link to the log-in page.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError

from . import emails, permissions
from .models import Invitation, Person


class InvitationRefused(ServiceError):
    """The link cannot be used; the message says why and what to do instead."""


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_LIFETIME_DAYS)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("join", args=[token])


def can_be_invited(person) -> bool:
    return bool(person.email) and person.is_active and not person.is_locked_out and not person.has_joined


def invitations_request(*, actor, people) -> list[Invitation]:
    """Invite each person who can be: has an email, is still at the school and has not joined.

    Returns the invitations made; the emails go out from a task once the transaction commits."""
    people = list(people)
    for person in people:
        if not permissions.can_manage_person(actor, person):
            raise NotAllowed("Only the headteacher or an administrator invites people.")
    invitable = [person for person in people if can_be_invited(person)]
    if not invitable:
        return []
    with transaction.atomic():
        made = Invitation.objects.bulk_create(
            [Invitation(school_id=p.school_id, person=p, invited_by=actor) for p in invitable]
        )
        for invitation in made:
            audit_record(
                actor=actor, action="person.invited", record=invitation.person,
                school=invitation.person.school, detail={"invitation": invitation.pk},
            )  # fmt: skip
    from .tasks import send_invitations

    ids = [invitation.pk for invitation in made]
    for start in range(0, len(ids), 200):
        send_invitations.delay_on_commit(ids[start : start + 200])
    return made


def _issue(invitation) -> str:
    """A fresh token for the invitation; the token itself is only ever in the email."""
    token = secrets.token_urlsafe(32)
    invitation.token_sha256 = _digest(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + lifetime()
    invitation.save(update_fields=["token_sha256", "sent_at", "expires_at"])
    return token


def invitation_send(*, invitation_id) -> bool:
    """Send one invitation email. False when it was already sent or is no longer needed."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("person__school")
            .filter(pk=invitation_id, sent_at__isnull=True)
            .first()
        )
        if invitation is None or not can_be_invited(invitation.person):
            return False
        token = _issue(invitation)
        audit_record(
            actor=invitation.invited_by, action="invitation.sent", record=invitation.person,
            school=invitation.school, detail={"invitation": invitation.pk, "expires_at": invitation.expires_at.isoformat()},
        )  # fmt: skip
        emails.invitation(invitation, link_for(token))
    return True


def invitation_link_for_reminder(person) -> str:
    """A new invitation link for a reminder email to someone who has not joined (call in its transaction)."""
    invitation = Invitation.objects.create(school_id=person.school_id, person=person)
    token = _issue(invitation)
    audit_record(
        actor=None, action="invitation.sent", record=person, school=person.school,
        detail={"invitation": invitation.pk, "by": "reminder", "expires_at": invitation.expires_at.isoformat()},
    )  # fmt: skip
    return link_for(token)


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link names if it can still be used; otherwise InvitationRefused saying why."""
    invitation = (
        Invitation.objects.select_related("person__school").filter(token_sha256=_digest(token or "")).first()
    )
    if invitation is None:
        raise InvitationRefused(
            "This invitation link is not valid. Check that you used the whole link from the email, or "
            "ask the school office to send you a new invitation."
        )
    person = invitation.person
    if invitation.used_at is not None or person.has_joined:
        raise InvitationRefused(
            "This invitation has already been used. Log in with the password you chose; if you have "
            "forgotten it, ask the school office."
        )
    if person.is_locked_out or not person.is_active:
        raise InvitationRefused(
            "Your account at the school is no longer open, so this invitation cannot be used."
        )
    if invitation.has_expired:
        raise InvitationRefused(
            f"This invitation expired on {format_date(timezone.localtime(invitation.expires_at), 'j F Y')}. "
            "Ask the school office to send you a new one."
        )
    return invitation


def invitation_accept(*, token: str, password: str) -> Person:
    """The person sets their password through the link: it works once, and they have joined."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        # Two tabs submitting at once: only the first finds the invitation unused.
        now = timezone.now()
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now)
        if not claimed:
            raise InvitationRefused(
                "This invitation has already been used. Log in with the password you chose."
            )
        person = invitation.person
        person.set_password(password)
        person.save(update_fields=["password"])
        # Any other link sent to the person stops working too.
        Invitation.objects.filter(person=person, used_at__isnull=True).update(used_at=now)
        audit_record(
            actor=person, action="invitation.accepted", record=person, school=person.school,
            detail={"invitation": invitation.pk},
        )  # fmt: skip
    return person
