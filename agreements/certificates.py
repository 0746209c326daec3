"""Signature certificates: each signature's sealed evidence PDF kept once, and documents checked
against them.

A certificate is made by the worker when the signature commits (`evidence_seal`), or, if that has
not happened yet, the first time anyone needs it (the signer's receipt, or an export), always from
the signature's frozen record; it is never made again: an export that is restarted picks up the PDFs already kept, and a copy printed
or emailed last year still verifies.
"""

import hashlib
import json
from datetime import UTC
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record, chain_append, new_entry
from glenwood.services import ServiceError

from .evidence import (
    ATTACHMENT,
    RECORD_FORMAT,
    EvidenceMaker,
    for_evidence,
    new_code,
    verify_url,
    when,
)
from .models import Decline, DeclineCertificate, Signature, SignatureCertificate
from .snapshots import snapshot_of


def evidence_path(signature, code: str) -> str:
    # The code makes the name unique, so two exports racing on one signature never share a file.
    return f"evidence/{signature.school_id}/signature-{signature.pk}-{code}.pdf"


def certificates_store(made: list, *, actor, sealer, export=None) -> dict:
    """Keep a batch of freshly made PDFs: the files first, then their rows and audit entries in one
    transaction. Where another export kept a signature's PDF first, theirs stands and ours goes."""
    names = {
        e.signature.pk: default_storage.save(evidence_path(e.signature, e.code), ContentFile(e.pdf))
        for e in made
    }
    rows = [
        SignatureCertificate(
            signature=e.signature, school_id=e.signature.school_id, code=e.code, pdf=names[e.signature.pk],
            pdf_sha256=e.sha256, seal_fingerprint=sealer.fingerprint, created_at=e.made_at,
        )
        for e in made
    ]  # fmt: skip
    with transaction.atomic():
        SignatureCertificate.objects.bulk_create(rows, ignore_conflicts=True)
        kept = {
            c.signature_id: c
            for c in SignatureCertificate.objects.filter(signature_id__in=names).select_related(
                "signature", "school"
            )
        }
        ours = [c for c in rows if c.signature_id in kept and kept[c.signature_id].code == c.code]
        chain_append(
            [
                new_entry(
                    actor=actor, action="agreement.certificate_sealed", record=kept[c.signature_id],
                    school=kept[c.signature_id].school,
                    detail={"signature": c.signature_id, "pdf_sha256": c.pdf_sha256, "export": export.pk if export else None},
                )
                for c in ours
            ]
        )  # fmt: skip
    for row in rows:
        if row not in ours:
            default_storage.delete(row.pdf.name)
    return kept


class SealingFailed(ServiceError):
    """The PDF could not be sealed now (the time-stamping authority did not answer): try again."""


def certificate_for(signature, *, actor) -> SignatureCertificate:
    """The signature's certificate, made now if it has none yet (from the frozen record, so making
    it late gives the same content as making it at signing)."""
    existing = SignatureCertificate.objects.filter(signature=signature).first()
    if existing is not None:
        return existing
    from glenwood import seal  # PDF libraries load only where a PDF is made

    try:
        sealer = seal.sealer()
        made = list(
            EvidenceMaker(batch_size=1, processes=1, sealer=sealer).make(
                for_evidence(Signature.objects.filter(pk=signature.pk))
            )
        )
    except seal.TimestampUnavailable as exc:
        raise SealingFailed(
            "The trusted time service did not answer, so the evidence PDF could not be sealed yet; "
            "please try again in a minute."
        ) from exc
    kept = certificates_store(made, actor=actor, sealer=sealer)
    if signature.pk not in kept:
        raise ServiceError("The certificate could not be kept; please try again.")
    return kept[signature.pk]


def decline_record_data(decline) -> dict:
    """Every fact a decline's record prints, from the row and its frozen snapshot."""
    snap = snapshot_of(decline)
    return {
        "decline_id": decline.pk, "person_id": snap["person_id"], "signer_name": snap["signer_name"],
        "roles": snap["roles"], "year_group": snap["year_group"], "school": snap["school"],
        "school_urn": snap["school_urn"], "agreement": snap["agreement"], "variant": snap["variant"],
        "version_label": snap["version_label"], "version_number": snap["version_number"],
        "text_sha256": decline.version.sha256, "consent_wording": snap["consent_wording"],
        "reason": decline.reason, "declined_at": decline.declined_at.astimezone(UTC).isoformat(),
        "recorded_from": snap["filled_from"],
    }  # fmt: skip


def decline_certificate_for(decline, *, actor) -> DeclineCertificate:
    """The decline's sealed record, made now if it has none yet. Safe to run twice at once."""
    existing = DeclineCertificate.objects.filter(decline=decline).first()
    if existing is not None:
        return existing
    from glenwood import seal  # PDF libraries load only where a PDF is made
    from glenwood.pdf_batch import Batch, BatchMaker

    try:
        sealer = seal.sealer()
    except seal.TimestampUnavailable as exc:
        raise SealingFailed("The trusted time service did not answer; please try again in a minute.") from exc
    code, made_at, zone = new_code(), timezone.now(), ZoneInfo(settings.TIME_ZONE)
    record = decline_record_data(decline)
    context = record | {
        "signer": record["signer_name"], "code": code, "verify_url": verify_url(code),
        "declined_utc": when(decline.declined_at, UTC),
        "declined_local": f"{when(decline.declined_at, zone)} ({settings.TIME_ZONE})",
        "made_at": when(made_at, zone), "sealed_by": sealer.common_name,
    }  # fmt: skip
    document = {"format": RECORD_FORMAT.replace("signature", "decline"), "record": record, "code": code,
                "made_at": context["made_at"], "sealed_by": sealer.common_name}  # fmt: skip
    title = f"{record['agreement']}, {record['version_label']}: declined by {record['signer_name']}"
    batch = Batch(
        html=render_to_string("agreements/pdf/decline.html", {"c": context, "title": title}),
        keys=[str(decline.pk)], titles=[title], authors=[record["school"]],
        attachments=[{ATTACHMENT: json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()}],
    )  # fmt: skip
    try:
        pdf = BatchMaker(sealer).make(batch)[0]
    except seal.TimestampUnavailable as exc:
        raise SealingFailed("The trusted time service did not answer; please try again in a minute.") from exc
    name = default_storage.save(
        f"evidence/{decline.school_id}/decline-{decline.pk}-{code}.pdf", ContentFile(pdf)
    )
    try:
        with transaction.atomic():
            certificate = DeclineCertificate.objects.create(
                decline=decline, school_id=decline.school_id, code=code, pdf=name,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(), seal_fingerprint=sealer.fingerprint, created_at=made_at,
            )  # fmt: skip
            audit_record(
                actor=actor, action="agreement.decline_sealed", record=certificate, school=decline.school,
                detail={"decline": decline.pk, "pdf_sha256": certificate.pdf_sha256},
            )  # fmt: skip
    except IntegrityError:  # another worker kept this decline's record a moment before: theirs stands
        default_storage.delete(name)
        return DeclineCertificate.objects.get(decline=decline)
    return certificate


def evidence_seal(*, kind: str, pk: int) -> None:
    """The worker's job when a signature or decline commits: seal its evidence PDF. Safe to repeat."""
    if kind == "signature":
        certificate_for(Signature.objects.get(pk=pk), actor=None)
    elif kind == "decline":
        decline_certificate_for(Decline.objects.get(pk=pk), actor=None)
    else:
        raise ValueError(f"No evidence PDF for {kind}")
