"""Checking an evidence PDF: what the sealed document itself holds, and whether the portal's own
record still says the same.

The verify page reads the PDF, not the database: the facts it shows come from the certificate's
data attached to the PDF under the seal (`certificate.json`). The database is asked two things only:
did the portal keep a PDF with exactly these bytes (or this code), and does the signature's row
still hold what was sealed. A row changed since (by SQL, a restore, anyone) is said plainly and
written to the audit log. "Genuine" needs the bytes, the seal and the trusted timestamp all valid.
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from audit.services import audit_record

from .certificates import decline_record_data
from .evidence import ATTACHMENT, RECORD_LABELS, certificate_record, normalise_code, when
from .models import DeclineCertificate, SignatureCertificate

logger = logging.getLogger(__name__)

GENUINE, UNTIMED, NOT_GENUINE, UNKNOWN_CODE = "genuine", "untimed", "not_genuine", "unknown_code"
# Sealed and kept, but made before certificates carried their data: nothing to show but the verdict.
SEALED_BEFORE_DATA = "sealed_before_data"


@dataclass(frozen=True)
class Verdict:
    status: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    # Which of the record's fields the portal's row no longer holds as the PDF sealed them.
    altered: list[str] = field(default_factory=list)
    code: str = ""
    pdf_sha256: str = ""
    timestamp: datetime | None = None
    timestamp_authority: str = ""
    sealed_by: str = ""

    @property
    def genuine(self) -> bool:
        return self.status == GENUINE


def embedded_document(pdf: bytes) -> dict | None:
    """The certificate's data attached to the PDF, or None when it has none (or is not a PDF)."""
    from pypdf import PdfReader  # PDF libraries load when a PDF is checked, not with the verify page

    try:
        files = PdfReader(io.BytesIO(pdf), strict=False).attachments
        return json.loads(files[ATTACHMENT][0]) if ATTACHMENT in files else None
    except Exception:  # any unreadable upload simply holds nothing we made
        logger.info("No certificate data could be read from an uploaded PDF", exc_info=True)
        return None


def initials(name: str) -> str:
    """What an anonymous visitor sees of a name: "Tara Quinn" is "T. Q."."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha()) or "—"


def _facts(record: dict, *, declined: bool) -> list[tuple[str, str]]:
    """Enough to match the document in hand, never a full name, an address or a browser."""
    zone = ZoneInfo(settings.TIME_ZONE)
    moment = datetime.fromisoformat(record["declined_at" if declined else "signed_at"]).astimezone(zone)
    who = record["roles"] + (f", Year {record['year_group']}" if record.get("year_group") else "")
    return [
        ("School", record["school"]),
        ("Declined by" if declined else "Signed by", initials(record["signer_name"])),
        ("Role and year group", who),
        ("Document", f"{record['agreement']}, {record['version_label']}"),
        ("Declined on" if declined else "Signed on", f"{moment:%-d %B %Y}"),
        ("SHA-256 of the text", record["text_sha256"]),
    ]


def _altered(now: dict, sealed: dict) -> list[str]:
    return [
        RECORD_LABELS.get(key, key)
        for key in sorted(set(now) | set(sealed))
        if now.get(key) != sealed.get(key)
    ]


def _check(pdf: bytes, certificate) -> Verdict:
    declined = isinstance(certificate, DeclineCertificate)
    from glenwood import seal

    document = embedded_document(pdf)
    checked = seal.check_seal(pdf, fingerprint=certificate.seal_fingerprint)
    if not checked.intact:
        return Verdict(NOT_GENUINE)
    if document is None:
        return Verdict(SEALED_BEFORE_DATA, code=certificate.code, pdf_sha256=certificate.pdf_sha256)
    if document.get("code") != certificate.code:
        return Verdict(NOT_GENUINE)
    sealed = document["record"]
    row = certificate.decline if declined else certificate.signature
    now = decline_record_data(row) if declined else certificate_record(row)
    altered = _altered(now, sealed)
    if altered:
        with transaction.atomic():
            audit_record(
                actor=None, action="evidence.record_altered_after_sealing", record=row, school=certificate.school,
                detail={"certificate": certificate.code, "fields": altered},
            )  # fmt: skip
        logger.warning("%s %s no longer matches its sealed PDF: %s", row._meta.verbose_name, row.pk, altered)
    return Verdict(
        status=GENUINE if checked.genuine else UNTIMED,
        facts=_facts(sealed, declined=declined),
        altered=altered,
        code=certificate.code,
        pdf_sha256=certificate.pdf_sha256,
        timestamp=checked.timestamp,
        timestamp_authority=checked.timestamp_authority,
        sealed_by=document.get("sealed_by", ""),
    )


def _related(queryset):
    return queryset.select_related("school")


def _find(**lookup):
    signature = _related(SignatureCertificate.objects.filter(**lookup)).select_related(
        "signature__agreement", "signature__version", "signature__person", "signature__school"
    )
    decline = _related(DeclineCertificate.objects.filter(**lookup)).select_related(
        "decline__agreement", "decline__version", "decline__person"
    )
    return signature.first() or decline.first()


def verdict_for_pdf(data: bytes) -> Verdict:
    """Genuine only when these exact bytes are a PDF the portal sealed and kept, the seal holds and
    its timestamp is valid."""
    certificate = _find(pdf_sha256=hashlib.sha256(data).hexdigest())
    return _check(data, certificate) if certificate is not None else Verdict(NOT_GENUINE)


def verdict_for_code(code: str) -> Verdict:
    """The PDF the portal kept under this code, checked the same way as an upload."""
    code = normalise_code(code)
    certificate = _find(code=code) if code else None
    if certificate is None:
        return Verdict(UNKNOWN_CODE)
    try:
        with certificate.pdf.open("rb") as f:
            pdf = f.read()
    except OSError:
        logger.error("The PDF of certificate %s is missing from storage", certificate.code)
        return Verdict(NOT_GENUINE, code=certificate.code)
    if hashlib.sha256(pdf).hexdigest() != certificate.pdf_sha256:
        return Verdict(NOT_GENUINE, code=certificate.code)
    return _check(pdf, certificate)


def sealed_when(verdict: Verdict) -> str:
    return when(verdict.timestamp, ZoneInfo(settings.TIME_ZONE)) if verdict.timestamp else ""
