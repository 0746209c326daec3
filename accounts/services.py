"""What the school office does to someone's access: every step checked, audited, and never a
password typed for someone else (they are sent a link to choose their own)."""

from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.db import transaction

from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError
from people import permissions

from . import sessions
from .models import SignInSettings
from .records import record_access


def _check(actor, person):
    if not permissions.can_manage_person(actor, person):
        raise NotAllowed("Only the headteacher or an administrator looks after a person's sign-in.")


def person_send_reset_link(*, actor, person, request):
    """Emails the person a single-use link to choose a new password. A superuser may send one from
    the Django admin too: a link is all even they can give."""
    if not actor.is_superuser:
        _check(actor, person)
    if not person.email:
        raise ServiceError(f"{person} has no email address: add one in the MIS or the people page first.")
    if not person.is_active or person.is_locked_out:
        raise ServiceError(f"{person}'s account is closed: a reset link would not let them in.")
    with transaction.atomic():
        record_access(
            action="password_reset_link_sent", person=person, actor=actor, detail={"to": person.email}
        )
        transaction.on_commit(lambda: _email_reset_link(request, person))


def _email_reset_link(request, person):
    # allauth builds the link from the request it is handling; after commit that is this one.
    with context.request_context(request):
        request_password_reset(request, person.email, [person], None)


def person_unlock_sign_in(*, actor, person):
    _check(actor, person)
    with transaction.atomic():
        sessions.unlock(person)
        record_access(action="sign_in_unlocked", person=person, actor=actor)


def person_end_sessions(*, actor, person) -> int:
    """Signs the person out everywhere, now (a lost phone, a dismissal, a shared device)."""
    _check(actor, person)
    with transaction.atomic():
        ended = sessions.end_all(person)
        record_access(action="sessions_ended", person=person, actor=actor, detail={"sessions": ended})
    return ended


def person_remove_second_factor(*, actor, person):
    """For a lost phone: the person sets up a new authenticator at their next sign-in."""
    _check(actor, person)
    if actor.pk == person.pk:
        raise ServiceError("Remove your own second factor from your Two-factor page.")
    with transaction.atomic():
        removed = list(Authenticator.objects.filter(user=person).values_list("type", flat=True))
        Authenticator.objects.filter(user=person).delete()
        sessions.end_all(person)
        record_access(
            action="two_factor_removed", person=person, actor=actor, detail={"types": sorted(removed)}
        )


def sign_in_settings_update(*, actor, school, staff_idle_minutes, pupil_idle_minutes, password_rule):
    if not permissions.can_manage_person(actor, actor) or not (
        actor.school_id == school.pk or actor.is_trust_admin
    ):
        raise NotAllowed("Only the headteacher or an administrator sets the school's sign-in rules.")
    rules, _ = SignInSettings.objects.get_or_create(school=school)
    before = {
        "staff_idle_minutes": rules.staff_idle_minutes,
        "pupil_idle_minutes": rules.pupil_idle_minutes,
        "password_rule": rules.password_rule,
    }
    after = {
        "staff_idle_minutes": staff_idle_minutes,
        "pupil_idle_minutes": pupil_idle_minutes,
        "password_rule": password_rule,
    }
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return rules
    with transaction.atomic():
        for name in changed:
            setattr(rules, name, after[name])
        rules.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="sign_in_settings.updated",
            record=rules,
            school=school,
            detail={name: [before[name], after[name]] for name in changed},
        )
    return rules
