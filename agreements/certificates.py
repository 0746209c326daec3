"""Signature certificates: each signature's sealed evidence PDF kept once, and documents checked
against them.

A certificate is made the first time anyone needs it (the signer's receipt, or an export) and is
never made again: an export that is restarted picks up the PDFs already kept, and a copy printed
or emailed last year still verifies.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from audit.services import chain_append, new_entry
from glenwood import seal
from glenwood.services import ServiceError

from .evidence import EvidenceMaker, for_evidence, normalise_code, when
from .models import Signature, SignatureCertificate


def evidence_path(signature, code: str) -> str:
    # The code makes the name unique, so two exports racing on one signature never share a file.
    return f"evidence/{signature.school_id}/signature-{signature.pk}-{code}.pdf"


def certificates_store(made: list, *, actor, sealer: seal.Sealer, export=None) -> dict:
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


def certificate_for(signature, *, actor) -> SignatureCertificate:
    """The signature's certificate, made now if it has none yet."""
    existing = SignatureCertificate.objects.filter(signature=signature).first()
    if existing is not None:
        return existing
    sealer = seal.sealer()
    made = list(
        EvidenceMaker(batch_size=1, processes=1, sealer=sealer).make(
            for_evidence(Signature.objects.filter(pk=signature.pk))
        )
    )
    kept = certificates_store(made, actor=actor, sealer=sealer)
    if signature.pk not in kept:
        raise ServiceError("The certificate could not be kept; please try again.")
    return kept[signature.pk]


# Checking a document ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    certificate: SignatureCertificate | None = None

    @property
    def record(self) -> list[tuple[str, str]]:
        """What the verify page shows: a few facts, each worded exactly as the PDF words it, so the
        page tells a reader nothing the document does not (no IP address or browser even so)."""
        c = self.certificate
        if c is None:
            return []
        s = c.signature
        return [
            ("School", c.school.name),
            ("Signed by", s.person.get_full_name()),
            ("Agreement", s.agreement.title),
            ("Version", s.version.label),
            ("SHA-256 of the text signed", s.text_sha256),
            ("Signed at (UTC)", when(s.signed_at, UTC)),
            ("Signed at (school time)", when(s.signed_at, ZoneInfo(settings.TIME_ZONE))),
            ("Verification code", c.code),
            ("Certificate made", when(c.created_at, ZoneInfo(settings.TIME_ZONE))),
        ]


def _with_details(queryset):
    return queryset.select_related(
        "school", "signature__person", "signature__agreement__policy", "signature__version"
    )


def verdict_for_code(code: str) -> Verdict:
    code = normalise_code(code)
    certificate = _with_details(SignatureCertificate.objects.filter(code=code)).first() if code else None
    return Verdict(genuine=certificate is not None, certificate=certificate)


def verdict_for_pdf(data: bytes) -> Verdict:
    """Genuine only when these exact bytes are a PDF we sealed and kept, and the seal still holds."""
    digest = hashlib.sha256(data).hexdigest()
    certificate = _with_details(SignatureCertificate.objects.filter(pdf_sha256=digest)).first()
    if certificate is None or not seal.seal_is_intact(data, fingerprint=certificate.seal_fingerprint):
        return Verdict(genuine=False)
    return Verdict(genuine=True, certificate=certificate)
