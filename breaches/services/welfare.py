"""The DSL's safeguarding track and the pupil behaviour track."""

from django.db import transaction
from django.utils import timezone

from glenwood.services import ServiceError

from .. import permissions
from ..choices import Agency, EntryKind, ParentsToldBy, Sanction, Status, Track
from ..models import Referral
from .common import add_entry, audit, check_documents, keep, move, require, with_note


def _on_track(case, track, status):
    if case.track != track:
        raise ServiceError(f"This step belongs to the {Track(track).label.lower()} track.")
    if case.status != status:
        raise ServiceError(f"This case is {case.get_status_display().lower()}; this step is not open.")


def record_safeguarding_action(*, actor, case, action, documents=()) -> None:
    """What the DSL did (spoke to the pupil, called home...); each action restarts the review clock."""
    require(permissions.may_direct(actor, case), "Only a DSL records safeguarding actions.")
    _on_track(case, Track.SAFEGUARDING, Status.SAFEGUARDING)
    if not action.strip():
        raise ServiceError("Say what action was taken.")
    checked = check_documents(documents)
    with transaction.atomic():
        move(case, allowed_from=[Status.SAFEGUARDING], to=Status.SAFEGUARDING)
        add_entry(case, actor=actor, kind=EntryKind.ACTION, text=action, checked=checked)
        audit(actor, "case.safeguarding_action", case)


def make_referral(*, actor, case, agency, referred_on, reference="", notes="", documents=()) -> Referral:
    """A referral to children's social care or the police (safeguarding), or the LADO (staff)."""
    require(permissions.may_direct(actor, case), "Only the case's leads make referrals.")
    if not permissions.may_refer(case):
        raise ServiceError("Referrals are made on an open safeguarding or staff case.")
    if agency not in Agency.values:
        raise ServiceError("Choose whom it was referred to.")
    if case.track == Track.DISCIPLINARY and agency == Agency.SOCIAL_CARE:
        raise ServiceError("On the staff track, refer to the LADO or the police; the DSL refers a child.")
    if case.track != Track.DISCIPLINARY and agency in (Agency.DBS, Agency.TRA):
        raise ServiceError("Referrals to the DBS and the TRA follow a staff case.")
    if referred_on is None or referred_on > timezone.localdate():
        raise ServiceError("Give the date of the referral; it cannot be in the future.")
    checked = check_documents(documents)
    with transaction.atomic():
        text = f"Referred to {Agency(agency).label} on {referred_on:%-d %B %Y}"
        text += f" (their reference {reference.strip()})." if reference.strip() else "."
        entry = add_entry(
            case, actor=actor, kind=EntryKind.REFERRAL, text=with_note(text, notes), checked=checked
        )
        referral = keep(case, Referral.objects.create(
            case=case, entry=entry, agency=agency, referred_on=referred_on,
            reference=reference.strip(), referred_by=actor,
        ))  # fmt: skip
        audit(actor, "case.referral_made", case, agency=agency, referred_on=referred_on.isoformat())
    return referral


def record_safeguarding_outcome(*, actor, case, outcome, documents=()) -> None:
    require(permissions.may_direct(actor, case), "Only a DSL records the safeguarding outcome.")
    _on_track(case, Track.SAFEGUARDING, Status.SAFEGUARDING)
    if not outcome.strip():
        raise ServiceError("Describe the outcome.")
    checked = check_documents(documents)
    with transaction.atomic():
        move(
            case, allowed_from=[Status.SAFEGUARDING], to=Status.OUTCOME, safeguarding_outcome=outcome.strip()
        )
        add_entry(case, actor=actor, kind=EntryKind.SAFEGUARDING_OUTCOME, text=outcome, checked=checked)
        audit(actor, "case.safeguarding_outcome", case)


def record_sanction(
    *, actor, case, sanction, parents_told_on=None, parents_told_how="", notes="", documents=()
) -> None:
    """A pupil's breach of their agreement: the sanction under the Behaviour Policy, and when and
    how the parents or carers were told."""
    require(permissions.may_direct(actor, case), "Only the headteacher or a DSL records a sanction.")
    _on_track(case, Track.BEHAVIOUR, Status.BEHAVIOUR)
    if sanction not in Sanction.values:
        raise ServiceError("Choose the sanction.")
    if parents_told_how not in ParentsToldBy.values or parents_told_on is None:
        raise ServiceError("Say when and how the parents or carers were told.")
    if parents_told_on > timezone.localdate():
        raise ServiceError("The parents were told on a day that has come: not in the future.")
    checked = check_documents(documents)
    with transaction.atomic():
        move(
            case, allowed_from=[Status.BEHAVIOUR], to=Status.OUTCOME, sanction=sanction,
            parents_told_on=parents_told_on, parents_told_how=parents_told_how,
        )  # fmt: skip
        told = f"Parents or carers told on {parents_told_on:%-d %B %Y} by {ParentsToldBy(parents_told_how).label.lower()}."
        text = with_note(f"Sanction: {Sanction(sanction).label}. {told}", notes)
        add_entry(case, actor=actor, kind=EntryKind.SANCTION, text=text, checked=checked)
        audit(actor, "case.sanction_recorded", case, sanction=sanction)
