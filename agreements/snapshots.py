"""What a certificate prints about the signer, frozen when the signature (or decline) is written.

The certificate must say what the school held on the day: a pupil who later changes name, moves
year or leaves is still shown as they were. So every value printed that does not live on the
signature row itself is copied into its `snapshot` at insert time (the rows are permanent: they
cannot be filled in afterwards), and the certificate reads the snapshot, never today's records.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings

from people.models import Role

# Signatures written before snapshots existed were filled by a data migration from the records of
# that day; their certificates say so (see `filled_from`).
AT_SIGNING = "signing"


def _roles(person) -> str:
    held = {a.role for a in person.role_assignments.all()}
    return ", ".join(r.label for r in Role if r.value in held) or "No role recorded"


def _witness(witness, signing_session) -> str:
    if witness is None:
        return "None (not needed for this signer)"
    text = f"{witness.get_full_name()}{f', {witness.job_title}' if witness.job_title else ''}"
    if signing_session is not None:
        opened = signing_session.opened_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        text += f", in the class signing session of {opened:%-d %B %Y}"
    return text


def snapshot_for(
    *, person, agreement, version, witness=None, signing_session=None, filled_on: date | None = None
):
    """The printed values as the school holds them now: at signing, or (filled_on) for older rows."""
    school = agreement.school
    return {
        "signer_name": person.get_full_name() or person.username,
        "person_id": person.pk,
        "roles": _roles(person),
        "year_group": person.year_group,
        "school": school.name,
        "school_urn": school.urn,
        "agreement": agreement.title,
        "variant": agreement.get_kind_display(),
        "version_label": version.label,
        "version_number": version.number,
        "published_on": version.published_at.date().isoformat() if version.published_at else "",
        "consent_wording": agreement.consent_wording,
        "witness": _witness(witness, signing_session),
        "filled_from": filled_on.isoformat() if filled_on else AT_SIGNING,
    }


def snapshot_of(record) -> dict:
    """A signature's or decline's snapshot; for a row made without one (bulk loads), today's records."""
    if record.snapshot:
        return record.snapshot
    from django.utils import timezone

    return snapshot_for(
        person=record.person, agreement=record.agreement, version=record.version,
        witness=getattr(record, "witness", None), signing_session=getattr(record, "signing_session", None),
        filled_on=timezone.localdate(),
    )  # fmt: skip
