"""Evidence PDFs: the agreement text exactly as signed, then a certificate page, sealed.

Made fast for bulk export. Every signer of a version shares its text, so the text is rendered once
per version and reused; certificate pages are rendered many to one WeasyPrint document and split
per signature; pypdf joins text and certificate; one Sealer seals them all. Nothing here writes to
the database: `certificates.py` stores what this makes.
"""

import hashlib
import io
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from glenwood import seal
from glenwood.pdf import BASE_URL, StaticFilesOnly
from people.models import Role
from policies.markdown import text_sha256

from .services import CODE_ALPHABET

TEMPLATE = "agreements/pdf/evidence.html"


def new_code() -> str:
    """Twelve letters and digits that cannot be misread (about 59 bits), as XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify_code", args=[code])


def for_evidence(signatures):
    """The signature queryset with everything a certificate page shows, in a fixed number of queries."""
    return signatures.select_related(
        "school", "agreement__policy", "version__policy", "person", "witness", "signing_session__opened_by"
    ).prefetch_related("person__role_assignments")


def when(moment: datetime, zone) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A %-d %B %Y, %H:%M:%S} {local.tzname()}"


def certificate_context(
    signature, *, code: str, made_at: datetime, sealed_by: str, text_matches=None
) -> dict:
    """What one certificate page says, taken only from the stored signature and its version."""
    person, version, zone = signature.person, signature.version, ZoneInfo(settings.TIME_ZONE)
    held = {a.role for a in person.role_assignments.all()}  # prefetched: one query for the whole batch
    witness = signature.witness
    if witness is not None:
        witness_text = f"{witness.get_full_name()}{f', {witness.job_title}' if witness.job_title else ''}"
        if signature.signing_session_id:
            opened = signature.signing_session.opened_at.astimezone(zone)
            witness_text += f", in the class signing session of {opened:%-d %B %Y}"
    else:
        witness_text = "None (not needed for this signer)"
    return {
        "signature_id": signature.pk,
        "school": signature.school.name,
        "school_urn": signature.school.urn,
        "signer": person.get_full_name() or person.username,
        "typed_name": signature.typed_name,
        "roles": ", ".join(r.label for r in Role if r.value in held) or "No role recorded",
        "year_group": f"Year {person.year_group}" if person.year_group else "",
        "agreement": signature.agreement.title,
        "variant": signature.agreement.get_kind_display(),
        "version": f"{version.label} (version {version.number}"
        + (
            f", published {version.published_at.astimezone(zone):%-d %B %Y})" if version.published_at else ")"
        ),
        "text_sha256": signature.text_sha256,
        "text_matches": (
            signature.text_sha256 == text_sha256(version.body) if text_matches is None else text_matches
        ),
        "consent_wording": signature.consent_wording,
        "signed_utc": when(signature.signed_at, UTC),
        "signed_local": f"{when(signature.signed_at, zone)} ({settings.TIME_ZONE})",
        "ip_address": signature.ip_address or "Not recorded",
        "user_agent": signature.user_agent or "Not recorded",
        "auth_method": signature.get_auth_method_display(),
        "witness": witness_text,
        "comment": signature.comment,
        "code": code,
        "verify_url": verify_url(code),
        "made_on": f"{made_at.astimezone(zone):%-d %B %Y}",
        "made_at": when(made_at, zone),
        "sealed_by": sealed_by,
    }


def evidence_html(*, version=None, certificates=(), title="Evidence of a signed agreement") -> str:
    return render_to_string(TEMPLATE, {"version": version, "certificates": certificates, "title": title})


def _document(html: str):
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()


@dataclass
class Evidence:
    signature: object
    code: str
    made_at: datetime
    pdf: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


class EvidenceMaker:
    """Makes sealed evidence PDFs for many signatures, doing each costly step as few times as it can."""

    def __init__(self, *, batch_size: int | None = None, sealer: seal.Sealer | None = None):
        self.sealer = sealer or seal.sealer()
        self.batch_size = batch_size or settings.EVIDENCE_BATCH_SIZE
        self._texts: dict[int, PdfReader] = {}
        self._text_hashes: dict[int, str] = {}

    def text_pages(self, version) -> PdfReader:
        """The version's text as PDF pages, rendered the first time a signer of it comes up."""
        if version.pk not in self._texts:
            html = evidence_html(version=version, title=f"{version.policy.title}, {version.label}")
            self._texts[version.pk] = PdfReader(io.BytesIO(_document(html).write_pdf()))
        return self._texts[version.pk]

    def _text_sha256(self, version) -> str:
        if version.pk not in self._text_hashes:
            self._text_hashes[version.pk] = text_sha256(version.body)
        return self._text_hashes[version.pk]

    def certificate_pages(self, contexts: list[dict]) -> list[list]:
        """One WeasyPrint run for the batch; each signature's pages found by its section's anchor."""
        document = _document(evidence_html(certificates=contexts))
        starts = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith("certificate-"):
                    starts.setdefault(int(anchor.removeprefix("certificate-")), number)
        reader = PdfReader(io.BytesIO(document.write_pdf()))
        bounds = [starts[c["signature_id"]] for c in contexts] + [len(reader.pages)]
        return [reader.pages[bounds[i] : bounds[i + 1]] for i in range(len(contexts))]

    def _join(self, signature, pages) -> bytes:
        writer = PdfWriter()
        for page in self.text_pages(signature.version).pages:
            writer.add_page(page)
        for page in pages:
            writer.add_page(page)
        writer.add_metadata(
            {
                "/Title": f"{signature.agreement.title}, {signature.version.label}: "
                f"signed by {signature.person.get_full_name()}",
                "/Author": signature.school.name,
                "/Subject": "Evidence of a signed agreement",
            }
        )
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    def make(self, signatures: Iterable) -> Iterator[Evidence]:
        """Sealed PDFs for these signatures (from `for_evidence`), in order, one batch in memory at a time."""
        batch = []
        for signature in signatures:
            batch.append(signature)
            if len(batch) == self.batch_size:
                yield from self._make_batch(batch)
                batch = []
        if batch:
            yield from self._make_batch(batch)

    def _make_batch(self, signatures: list) -> Iterator[Evidence]:
        made_at = datetime.now(UTC)
        codes = [new_code() for _ in signatures]
        contexts = [
            certificate_context(
                s, code=code, made_at=made_at, sealed_by=self.sealer.common_name,
                text_matches=s.text_sha256 == self._text_sha256(s.version),
            )
            for s, code in zip(signatures, codes, strict=True)
        ]  # fmt: skip
        for signature, code, pages in zip(signatures, codes, self.certificate_pages(contexts), strict=True):
            pdf = self.sealer.seal(self._join(signature, pages))
            yield Evidence(signature=signature, code=code, made_at=made_at, pdf=pdf)


def plain_render(signature, *, code: str) -> bytes:
    """One WeasyPrint document of text and certificate, unsealed: what the benchmark compares with."""
    made_at = datetime.now(UTC)
    context = certificate_context(signature, code=code, made_at=made_at, sealed_by="(not sealed)")
    return _document(evidence_html(version=signature.version, certificates=[context])).write_pdf()
