"""What every step on a case shares: moving its status, writing its chronology entry and audit entry."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError, change_status

from .. import permissions
from ..choices import EntryKind
from ..deadlines import step_due_on
from ..models import Attachment, Case, CaseEntry
from ..signals import case_step_taken
from ..uploads import check_upload


def check_documents(documents) -> list:
    """Check every file before anything is saved: one refused file refuses the step."""
    documents = list(documents or [])
    if len(documents) > settings.BREACH_UPLOAD_MAX_FILES:
        raise ServiceError(f"Attach at most {settings.BREACH_UPLOAD_MAX_FILES} files at a time.")
    return [check_upload(d) for d in documents]


def move(case, *, allowed_from, to, **fields):
    """The guarded status change, with the time it happened and when the next step is due."""
    now = timezone.now()
    for name, value in fields.items():
        setattr(case, name, value)  # the due date may depend on the fields being saved
    change_status(
        case,
        allowed_from=allowed_from,
        to=to,
        status_changed_at=now,
        step_due_on=step_due_on(case, to, timezone.localdate(now)),
        **fields,
    )
    return case


def save_fields(case, **fields):
    """A change that leaves the status (and the next step's due date) as it is."""
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=list(fields))
    return case


def add_entry(case, *, actor, kind, text="", checked=()) -> CaseEntry:
    """One chronology line with its documents. Call inside the step's transaction."""
    entry = keep(case, CaseEntry.objects.create(
        case=case, author=actor, kind=kind, text=text.strip(), status_after=case.status
    ))  # fmt: skip
    for item in checked:
        keep(case, store(entry, item, actor))
    return entry


def keep(case, record):
    """Note a permanent record this step made, for the step's audit entry to fingerprint."""
    case.__dict__.setdefault("_new_evidence", []).append(record)
    return record


def store(entry, checked, actor) -> Attachment:
    attachment = Attachment(
        case=entry.case,
        entry=entry,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        extension=checked.kind.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    checked.upload.seek(0)
    attachment.file.save(checked.name, checked.upload, save=False)  # named by evidence_path
    attachment.save()
    return attachment


def audit(actor, action, case, **detail):
    """The step's audit entry and its announcement, in the step's transaction: what receivers ask
    for (through the outbox) is handed to the worker only once the step has committed."""
    made = case.__dict__.pop("_new_evidence", [])
    entry = audit_record(
        actor=actor, action=action, record=case, school=case.school, detail=detail, evidence=made
    )
    case_step_taken.send(sender=Case, case=case, action=action, actor=actor)
    return entry


def with_note(text, note):
    return f"{text}\n\n{note.strip()}" if note and note.strip() else text


def require(allowed: bool, message: str):
    if not allowed:
        raise NotAllowed(message)


def add_case_note(*, actor, case, text="", documents=()) -> CaseEntry:
    """A note or documents for the chronology, by anyone who may see the case."""
    require(permissions.may_add_note(actor, case), "Only those working on this case add to its chronology.")
    if not case.is_open:
        raise ServiceError("This case is closed; nothing more is added to it.")
    if not text.strip() and not documents:
        raise ServiceError("Write a note or attach a document.")
    checked = check_documents(documents)
    with transaction.atomic():
        entry = add_entry(case, actor=actor, kind=EntryKind.NOTE, text=text, checked=checked)
        audit(actor, "case.note_added", case, entry=entry.pk, documents=len(checked))
    return entry


def record_case_view(*, actor, case, page: str):
    """Every look at a case is on the record: who, which page, when."""
    audit(actor, "case.viewed", case, page=page)


def record_download(*, actor, attachment):
    audit(
        actor, "case.document_downloaded", attachment.case, attachment=attachment.pk, sha256=attachment.sha256
    )
