"""Fill the snapshot of signatures and declines written before snapshots existed.

Nobody recorded what the school held at the time, so the best evidence left is the records of the
day this runs: each snapshot says so (`filled_from` is that date, not "signing") and the certificate
prints it, rather than passing today's name off as the name at signing. Certificates already made
are not touched: their PDFs were sealed from the records of their own day.

Runs before any trigger that refuses UPDATE on these tables (a later migration adds them).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def _name(person):
    return f"{person.first_name} {person.last_name}".strip() or person.username


def fill(apps, schema_editor):
    from people.models import Role

    Signature = apps.get_model("agreements", "Signature")
    Decline = apps.get_model("agreements", "Decline")
    RoleAssignment = apps.get_model("people", "RoleAssignment")
    today = timezone.localdate().isoformat()
    zone = ZoneInfo(settings.TIME_ZONE)
    kinds = dict(apps.get_model("agreements", "Agreement")._meta.get_field("kind").choices)
    related = ("person", "agreement__policy", "agreement__school", "version")

    def snapshot(record, witness=None, session=None):
        person, agreement, version = record.person, record.agreement, record.version
        held = set(RoleAssignment.objects.filter(person_id=person.pk).values_list("role", flat=True))
        if witness is None:
            witness_text = "None (not needed for this signer)"
        else:
            witness_text = _name(witness) + (f", {witness.job_title}" if witness.job_title else "")
            if session is not None:
                witness_text += f", in the class signing session of {session.opened_at.astimezone(zone):%-d %B %Y}"
        return {
            "signer_name": _name(person),
            "person_id": person.pk,
            "roles": ", ".join(r.label for r in Role if r.value in held) or "No role recorded",
            "year_group": getattr(record, "year_group", None) or person.year_group,
            "school": agreement.school.name,
            "school_urn": agreement.school.urn,
            "agreement": agreement.policy.title,
            "variant": str(kinds.get(agreement.kind, agreement.kind)),
            "version_label": version.label,
            "version_number": version.number,
            "published_on": version.published_at.date().isoformat() if version.published_at else "",
            "consent_wording": getattr(record, "consent_wording", agreement.consent_wording),
            "witness": witness_text,
            "filled_from": today,
        }

    for s in Signature.objects.select_related(*related, "witness", "signing_session").iterator():
        if not s.snapshot:
            Signature.objects.filter(pk=s.pk).update(snapshot=snapshot(s, s.witness, s.signing_session))
    for d in Decline.objects.select_related(*related).iterator():
        if not d.snapshot:
            Decline.objects.filter(pk=d.pk).update(snapshot=snapshot(d))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_signature_and_decline_snapshots"), ("people", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
