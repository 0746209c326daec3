"""The hearing evidence pack as evidence: sealed and timestamped like a signature's certificate,
with the case's screenshots inline and its other documents attached, in two versions, each kept.

The panel's version names the reporter. The version for the member of staff concerned withholds
the reporter's identity (their name, and their name as author of a chronology entry) unless the
headteacher has recorded a decision to disclose it (`reporter_disclosure_record`).
"""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError
from people.models import Role

from .. import permissions
from ..evidence import cited_agreement, cited_policy
from ..models import EvidencePack, PackVersion, ReporterDisclosure

WITHHELD = "The reporter (identity withheld)"


def reporter_disclosure_record(*, actor, case, reason: str) -> ReporterDisclosure:
    """The headteacher decides the member of staff may know who reported the concern."""
    if not actor.has_role(Role.HEADTEACHER) or actor.school_id != case.school_id:
        raise NotAllowed("Only the headteacher decides to disclose who reported a concern.")
    if not reason.strip():
        raise ServiceError("Record why the reporter's identity is being disclosed.")
    try:
        with transaction.atomic():
            decision = ReporterDisclosure.objects.create(
                case=case, decided_by=actor, reason=reason.strip(), decided_at=timezone.now()
            )
            audit_record(
                actor=actor, action="case.reporter_disclosed", record=case, school=case.school,
                detail={"decision": decision.pk}, evidence=[decision],
            )  # fmt: skip
    except IntegrityError:
        raise ServiceError("The decision to disclose the reporter has already been recorded.") from None
    return decision


def _read(attachment) -> bytes:
    with attachment.file.open("rb") as f:
        return f.read()


def _names_reporter(version: str, case) -> bool:
    return version == PackVersion.PANEL or ReporterDisclosure.objects.filter(case=case).exists()


def pack_html(*, case, version: str, actor, entries, referrals, flag, printed_at, named: bool) -> str:
    rows = [
        {"entry": e, "author": e.author if named or e.author_id != case.reported_by_id else WITHHELD}
        for e in entries
    ]
    return render_to_string(
        "breaches/evidence_pack.html",
        {
            "case": case, "policy": cited_policy(case), "agreement": cited_agreement(case),
            "rows": rows, "referrals": referrals, "flag": flag, "printed_at": printed_at,
            "printed_by": actor, "version": PackVersion(version), "reporter": case.reported_by if named else WITHHELD,
            "panel": list(case.panel.all()), "reporter_named": named,
        },
    )  # fmt: skip


def evidence_pack_make(*, actor, case, version: str) -> EvidencePack:
    """Make, seal, keep and return one version of the case's evidence pack."""
    if not permissions.can_see_case(actor, case):
        raise NotAllowed
    if version not in PackVersion.values:
        raise ServiceError("Choose the panel's version or the member of staff's version.")
    named = _names_reporter(version, case)
    entries = list(case.entries.select_related("author").prefetch_related("attachments"))
    documents, images, attached = [], {}, []
    for entry in entries:
        for doc in entry.attachments.all():
            data = _read(doc)
            if hashlib.sha256(data).hexdigest() != doc.sha256:
                raise ServiceError(f"The stored file {doc.download_name} no longer matches its SHA-256.")
            if doc.content_type.startswith("image/"):
                images[f"/evidence/{doc.pk}"] = (data, doc.content_type)
                how = "shown"
            else:
                attached.append((f"{doc.pk}-{doc.download_name}", data))
                how = "attached"
            documents.append({"id": doc.pk, "name": doc.download_name, "sha256": doc.sha256, "how": how})
    from pypdf import PdfReader, PdfWriter  # PDF libraries load only where a PDF is made

    from glenwood import seal
    from glenwood.pdf import render_pdf

    made_at = timezone.now()
    html = pack_html(
        case=case, version=version, actor=actor, entries=entries, referrals=list(case.referrals.all()),
        flag=getattr(case, "flag", None), printed_at=made_at, named=named,
    )  # fmt: skip
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(html, resources=images))))
    writer.add_metadata(
        {"/Title": f"Evidence pack: case {case.reference} ({PackVersion(version).label.lower()})"}
    )
    for name, data in attached:
        writer.add_attachment(name, data)
    buffer = io.BytesIO()
    writer.write(buffer)
    try:
        sealer = seal.sealer()
        pdf = sealer.seal(buffer.getvalue())
    except seal.TimestampUnavailable as exc:
        raise ServiceError("The trusted time service did not answer; please try again in a minute.") from exc
    digest = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(
        f"packs/{case.school_id}/{case.reference}-{version}-{digest[:12]}.pdf", ContentFile(pdf)
    )
    with transaction.atomic():
        pack = EvidencePack.objects.create(
            case=case, school_id=case.school_id, version=version, reporter_named=named, pdf=name,
            pdf_sha256=digest, seal_fingerprint=sealer.fingerprint, documents=documents, made_by=actor,
            made_at=made_at,
        )  # fmt: skip
        audit_record(
            actor=actor, action="case.evidence_pack_made", record=case, school=case.school,
            detail={"pack": pack.pk, "version": version, "reporter_named": named, "pdf_sha256": digest,
                    "documents": len(documents)}, evidence=[pack],
        )  # fmt: skip
    return pack
