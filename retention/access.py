"""Subject access (UK GDPR Article 15): everything the portal holds about one person, as a ZIP.

The ZIP holds one JSON file per kind of record, the sealed PDFs of their signatures, and a readable
PDF of the same. Cases about them are included as the law allows: what was decided and when, never
who reported it or the reporter's words, and no chronology text (it names other people).
"""

import datetime
import io
import json
import logging
import secrets
import zipfile

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError
from people.models import Role

from .models import AccessStatus, SubjectAccessRequest

logger = logging.getLogger(__name__)

ADMINISTRATORS = (Role.TRUST_ADMIN, Role.SCHOOL_ADMIN)
# The sections, in the order the worker makes them: progress counts them.
SECTIONS = ("record", "roles", "signatures", "declines", "reports_made", "cases_about_them",
            "notifications", "audit_entries")  # fmt: skip


def access_request(*, actor, person, requested_on: datetime.date) -> SubjectAccessRequest:
    """Record a request the school received; the month to answer runs from the day it arrived."""
    if not actor.has_role(*ADMINISTRATORS):
        raise NotAllowed
    if requested_on > timezone.localdate():
        raise ServiceError("The day the request arrived cannot be in the future.")
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            school=person.school, person=person, requested_on=requested_on, requested_by=actor,
            due_on=requested_on + relativedelta(months=1), total=len(SECTIONS),
        )  # fmt: skip
        audit_record(actor=actor, action="retention.subject_access_requested", record=request,
                     school=person.school, detail={"person": person.pk, "due_on": request.due_on.isoformat()})  # fmt: skip
        transaction.on_commit(lambda: _queue(request.pk))
    return request


def _queue(request_id):
    from .tasks import build_subject_access

    build_subject_access.delay(request_id)


def access_build(*, request_id: int) -> None:
    """The worker's job; safe to run twice (a second delivery finds it no longer queued)."""
    started = SubjectAccessRequest.objects.filter(pk=request_id, status=AccessStatus.QUEUED).update(
        status=AccessStatus.RUNNING, done=0
    )
    if not started:
        return
    request = SubjectAccessRequest.objects.select_related("person__school", "school").get(pk=request_id)
    try:
        name = _build(request)
    except Exception as exc:
        logger.exception("Subject access request %s failed", request_id)
        with transaction.atomic():
            SubjectAccessRequest.objects.filter(pk=request_id).update(
                status=AccessStatus.FAILED, error="Something went wrong while making the export.",
                finished_at=timezone.now(),
            )  # fmt: skip
            audit_record(actor=None, action="retention.subject_access_failed", record=request,
                         school=request.school, detail={"error": f"{type(exc).__name__}"[:200]})  # fmt: skip
        return
    with transaction.atomic():
        SubjectAccessRequest.objects.filter(pk=request_id).update(
            status=AccessStatus.DONE, file=name, finished_at=timezone.now()
        )
        audit_record(actor=None, action="retention.subject_access_exported", record=request,
                     school=request.school, detail={"sections": len(SECTIONS)})  # fmt: skip


def _build(request) -> str:
    person = request.person
    buffer = io.BytesIO()
    data = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in SECTIONS:
            data[section] = SECTION_MAKERS[section](person, archive)
            archive.writestr(f"{section}.json", json.dumps(data[section], indent=2, default=str))
            SubjectAccessRequest.objects.filter(pk=request.pk).update(done=SECTIONS.index(section) + 1)
        archive.writestr("everything-we-hold.pdf", _readable_pdf(request, data))
    name = f"subject-access/{request.school_id}/{request.pk}-{secrets.token_hex(8)}.zip"
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def _readable_pdf(request, data) -> bytes:
    from glenwood.pdf import render_pdf

    html = render_to_string("retention/subject_access_pdf.html", {"request": request, "data": data})
    return render_pdf(html)


# The sections ---------------------------------------------------------------------------------


def _record(person, archive):
    fields = ("username", "first_name", "last_name", "email", "job_title", "year_group", "tutor_group",
              "visitor_kind", "admission_number", "upn", "date_of_birth", "start_date", "leaving_date",
              "access_expires_on", "date_joined", "last_login")  # fmt: skip
    return {"school": person.school.name, **{f: getattr(person, f) for f in fields}}


def _roles(person, archive):
    return person.role_names


def _signatures(person, archive):
    from agreements.certificates import certificate_for
    from agreements.models import Signature

    rows = []
    for signature in Signature.objects.filter(person=person).select_related("version", "agreement__policy"):
        certificate = certificate_for(signature, actor=None)
        with certificate.pdf.open("rb") as pdf:
            archive.writestr(f"signatures/{certificate.code}.pdf", pdf.read())
        rows.append({
            "agreement": str(signature.agreement.policy), "version": str(signature.version),
            "signed_at": signature.signed_at, "typed_name": signature.typed_name,
            "consent_wording": signature.consent_wording, "comment": signature.comment,
            "year_group": signature.year_group, "ip_address": signature.ip_address,
            "user_agent": signature.user_agent, "how_signed_in": signature.get_auth_method_display(),
            "certificate": certificate.code, "pdf": f"signatures/{certificate.code}.pdf",
        })  # fmt: skip
    return rows


def _declines(person, archive):
    from agreements.models import Decline

    return [
        {"agreement": str(d.agreement.policy), "version": str(d.version), "declined_at": d.declined_at,
         "reason": d.reason}
        for d in Decline.objects.filter(person=person).select_related("version", "agreement__policy")
    ]  # fmt: skip


def _reports_made(person, archive):
    """Their own words; whom a report was about is another person's data, so it is left out."""
    from breaches.models import Case

    return [
        {"reference": c.reference, "category": c.get_category_display(), "what_happened": c.what_happened,
         "day_it_happened": c.happened_on, "where": c.where, "reported_at": c.reported_at,
         "status": c.status_for_reporter}
        for c in Case.objects.filter(reported_by=person)
    ]  # fmt: skip


def _cases_about_them(person, archive):
    """What was alleged (in the lead's neutral words) and decided; never the reporter or their words."""
    from breaches.models import Case

    rows = []
    for case in Case.objects.filter(subject_person=person).prefetch_related("entries"):
        rows.append({
            "reference": case.reference, "category": case.get_category_display(),
            "track": case.get_track_display(), "status": case.get_status_display(),
            "reported_on": timezone.localdate(case.reported_at), "allegation": case.allegation,
            "finding": case.get_finding_display(), "hearing_held_on": case.hearing_held_on,
            "outcome": case.final_outcome, "outcome_at": case.outcome_at,
            "appeal_result": case.get_appeal_result_display(), "sanction": case.get_sanction_display(),
            "allegation_outcome": case.get_allegation_outcome_display(), "closed_at": case.closed_at,
            "steps": [{"at": e.at, "step": e.get_kind_display()} for e in case.entries.all()],
            "withheld": "Who reported it, their account and the chronology's notes identify other people.",
        })  # fmt: skip
    return rows


def _notifications(person, archive):
    return [
        {"title": n.title, "body": n.body, "created_at": n.created_at, "read_at": n.read_at}
        for n in person.notifications.all()
    ]


def _audit_entries(person, archive):
    """Entries about them (their record, signatures, declines) and the steps they took."""
    from django.db.models import Q

    own = Q(record_type="people.person", record_id=str(person.pk))
    for model in ("agreements.signature", "agreements.decline"):
        ids = [str(pk) for pk in _ids(model, person)]
        own |= Q(record_type=model, record_id__in=ids)
    rows = []
    for entry in AuditEntry.objects.filter(own | Q(actor=person)).order_by("id"):
        about_someone_else = entry.record_type == "people.person" and entry.record_id != str(person.pk)
        rows.append({
            "at": entry.at, "action": entry.action,
            "record": "another person's record" if about_someone_else else entry.record_label,
            "by_them": entry.actor_id == person.pk,
        })  # fmt: skip
    return rows


def _ids(label, person):
    from django.apps import apps

    return apps.get_model(label).objects.filter(person=person).values_list("pk", flat=True)


SECTION_MAKERS = {
    "record": _record, "roles": _roles, "signatures": _signatures, "declines": _declines,
    "reports_made": _reports_made, "cases_about_them": _cases_about_them, "notifications": _notifications,
    "audit_entries": _audit_entries,
}  # fmt: skip


def access_download_audit(*, actor, request) -> None:
    audit_record(
        actor=actor, action="retention.subject_access_downloaded", record=request, school=request.school
    )
