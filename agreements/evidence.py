"""Evidence PDFs: the agreement text exactly as signed, then a certificate page, sealed.

Made fast for bulk export. Every signer of a version shares its text, so the text is rendered once
per version and reused; certificate pages are rendered many to one WeasyPrint document and split
per signature; pypdf joins text and certificate; one Sealer seals them all; batches run on every
core (glenwood/pdf_batch.py). Nothing here writes to the database: `certificates.py` stores what
this makes.
"""

import hashlib
import json
import math
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from policies.markdown import MAX_NESTING, flatten_html, text_sha256

from .services import CODE_ALPHABET
from .snapshots import AT_SIGNING, snapshot_of

# WeasyPrint, pyHanko and pypdf load only where a PDF is made (glenwood.pdf_batch, glenwood.seal):
# the verify page and every other view import this module, and no web process should pay for them.

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
        "school",
        "agreement__policy",
        "version__policy",
        "person",
        "witness",
        "signing_session__opened_by",
        "witness_confirmation",
    ).prefetch_related("person__role_assignments")


def when(moment: datetime, zone) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A %-d %B %Y, %H:%M:%S} {local.tzname()}"


RECORD_FORMAT = "glenwood-signature-certificate/1"
ATTACHMENT = "certificate.json"


def certificate_record(signature) -> dict:
    """Every fact a certificate prints, from the signature row and its frozen snapshot only.

    Embedded in the sealed PDF as JSON: the verify page compares it with the row as it stands, so
    a row changed after sealing shows. Plain values only (strings, numbers), in a fixed shape."""
    snap = snapshot_of(signature)
    return {
        "signature_id": signature.pk,
        "person_id": snap["person_id"],
        "signer_name": snap["signer_name"],
        "typed_name": signature.typed_name,
        "roles": snap["roles"],
        "year_group": signature.year_group or snap["year_group"],
        "school": snap["school"],
        "school_urn": snap["school_urn"],
        "agreement": snap["agreement"],
        "variant": snap["variant"],
        "version_label": snap["version_label"],
        "version_number": snap["version_number"],
        "published_on": snap["published_on"],
        "text_sha256": signature.text_sha256,
        "consent_wording": signature.consent_wording,
        "signed_at": signature.signed_at.astimezone(UTC).isoformat(),
        "ip_address": signature.ip_address or "",
        "user_agent": signature.user_agent,
        "session_hash": signature.session_hash,
        "auth_method": signature.auth_method,
        "witness": snap["witness"],
        "comment": signature.comment,
        "recorded_from": snap["filled_from"],
    }


RECORD_LABELS = {
    "signature_id": "Signature number", "person_id": "Person number", "signer_name": "Signed by",
    "typed_name": "Typed name", "roles": "Roles", "year_group": "Year group", "school": "School",
    "school_urn": "School URN", "agreement": "Agreement", "variant": "Variant", "version_label": "Version",
    "version_number": "Version number", "published_on": "Published", "text_sha256": "SHA-256 of the text",
    "consent_wording": "Consent wording", "signed_at": "Signed at", "ip_address": "IP address",
    "user_agent": "Browser", "session_hash": "Session hash", "auth_method": "How they signed in",
    "witness": "Witness", "comment": "Comment", "recorded_from": "Recorded from",
}  # fmt: skip


def _year_group(record) -> str:
    year = record["year_group"]
    if not year:
        return ""
    return f"Year {year} at signing" if record["recorded_from"] == AT_SIGNING else f"Year {year}"


def _witness_status(signature, zone) -> str:
    """A pupil who signed away from class named a member of staff, who is asked to confirm. The
    confirmation is a record of its own (the signature never changes), so it stays out of the frozen
    record: the page says whether they had confirmed when this PDF was made."""
    if not signature.witness_needs_confirming:
        return ""
    if signature.witness_confirmed:
        return (
            f", confirmed by them on {signature.witness_confirmation.confirmed_at.astimezone(zone):%-d %B %Y}"
        )
    return " (witness not yet confirmed)"


def certificate_context(
    signature, *, code: str, made_at: datetime, sealed_by: str, text_matches=None
) -> dict:
    """What one certificate page says: the record (row and snapshot) and how this PDF was made."""
    record, version, zone = certificate_record(signature), signature.version, ZoneInfo(settings.TIME_ZONE)
    signed_at = signature.signed_at
    published = record["published_on"]
    filled = record["recorded_from"]
    witness = record["witness"] + _witness_status(signature, zone)
    return {
        "record": record,
        "signature_id": signature.pk,
        "person_id": record["person_id"],
        "school": record["school"],
        "school_urn": record["school_urn"],
        "signer": record["signer_name"],
        "typed_name": record["typed_name"],
        "roles": record["roles"],
        "year_group": _year_group(record),
        "agreement": record["agreement"],
        "variant": record["variant"],
        "version": f"{record['version_label']} (version {record['version_number']}"
        + (f", published {date.fromisoformat(published):%-d %B %Y})" if published else ")"),
        "text_sha256": signature.text_sha256,
        # A text saved before nesting was limited is printed flattened; the certificate says so.
        "text_flattened": flatten_html(version.body_html)[1],
        "max_nesting": MAX_NESTING,
        "text_matches": (
            signature.text_sha256 == text_sha256(version.body) if text_matches is None else text_matches
        ),
        "consent_wording": record["consent_wording"],
        "signed_utc": when(signed_at, UTC),
        "signed_local": f"{when(signed_at, zone)} ({settings.TIME_ZONE})",
        "ip_address": record["ip_address"] or "Not recorded",
        "user_agent": record["user_agent"] or "Not recorded",
        "session_hash": record["session_hash"] or "Not recorded",
        "auth_method": signature.get_auth_method_display(),
        "witness": witness,
        "comment": record["comment"],
        # Signatures older than snapshots: their names and roles come from a later day's records.
        "recorded_on": "" if filled == AT_SIGNING else f"{date.fromisoformat(filled):%-d %B %Y}",
        "code": code,
        "verify_url": verify_url(code),
        "made_on": f"{made_at.astimezone(zone):%-d %B %Y}",
        "made_at": when(made_at, zone),
        "sealed_by": sealed_by,
    }


def embedded_json(context: dict) -> bytes:
    """The certificate's data as the JSON file attached to the PDF, under the seal."""
    document = {
        "format": RECORD_FORMAT,
        "record": context["record"],
        "code": context["code"],
        "made_at": context["made_at"],
        "sealed_by": context["sealed_by"],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()


def evidence_html(*, version=None, certificates=(), title="Evidence of a signed agreement") -> str:
    context = {"version": version, "certificates": certificates, "title": title}
    if version is not None:
        # WeasyPrint recurses once per level: a deeply nested older text is printed flattened.
        context["body_html"], context["text_flattened"] = flatten_html(version.body_html)
        context["max_nesting"] = MAX_NESTING
    return render_to_string(TEMPLATE, context)


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
    """Makes sealed evidence PDFs for many signatures, doing each costly step as few times as it can.

    With more than one process (EVIDENCE_PROCESSES, one per core by default) and more than one
    batch to make, the batches are rendered and sealed in a pool of processes while this one reads
    the database and stores the results; otherwise everything happens here.
    """

    def __init__(self, *, batch_size: int | None = None, processes: int | None = None, sealer=None):
        from glenwood import seal
        from glenwood.pdf_batch import BatchMaker

        self.sealer = sealer or seal.sealer()
        self.batch_size = batch_size or settings.EVIDENCE_BATCH_SIZE
        self.processes = processes or settings.EVIDENCE_PROCESSES or os.cpu_count() or 1
        self._local = BatchMaker(self.sealer)
        self._texts: dict[int, bytes] = {}
        self._text_hashes: dict[int, str] = {}

    def text_pdf(self, version) -> bytes:
        """The version's text as a PDF, rendered the first time a signer of it comes up."""
        if version.pk not in self._texts:
            from glenwood.pdf_batch import render

            html = evidence_html(version=version, title=f"{version.policy.title}, {version.label}")
            self._texts[version.pk] = render(html).write_pdf()
        return self._texts[version.pk]

    def _text_sha256(self, version) -> str:
        if version.pk not in self._text_hashes:
            self._text_hashes[version.pk] = text_sha256(version.body)
        return self._text_hashes[version.pk]

    def _prepare(self, signatures: list) -> tuple:
        """One batch: a code for each signature and the HTML of all their certificate pages."""
        from glenwood.pdf_batch import Batch

        made_at = datetime.now(UTC)
        codes = [new_code() for _ in signatures]
        contexts = [
            certificate_context(
                s, code=code, made_at=made_at, sealed_by=self.sealer.common_name,
                text_matches=s.text_sha256 == self._text_sha256(s.version),
            )
            for s, code in zip(signatures, codes, strict=True)
        ]  # fmt: skip
        versions = {s.version_id: s.version for s in signatures}
        batch = Batch(
            html=evidence_html(certificates=contexts),
            keys=[str(s.pk) for s in signatures],
            fronts={f"version-{pk}": self.text_pdf(v) for pk, v in versions.items()},
            front_for=[f"version-{s.version_id}" for s in signatures],
            titles=[
                f"{c['agreement']}, {c['record']['version_label']}: signed by {c['signer']}" for c in contexts
            ],
            authors=[c["school"] for c in contexts],
            attachments=[{ATTACHMENT: embedded_json(c)} for c in contexts],
        )
        return (signatures, codes, made_at), batch

    def _batches(self, signatures: Iterable) -> Iterator[tuple]:
        batch = []
        for signature in signatures:
            batch.append(signature)
            if len(batch) == self.batch_size:
                yield self._prepare(batch)
                batch = []
        if batch:
            yield self._prepare(batch)

    def make(self, signatures: Iterable, *, count: int | None = None) -> Iterator[Evidence]:
        """Sealed PDFs for these signatures (from `for_evidence`), in order, a few batches in memory
        at a time. Processes are started only when `count` says there is more than one batch."""
        if self.processes > 1 and count is not None and count > self.batch_size:
            from glenwood import seal
            from glenwood.pdf_batch import BatchPool

            batches = math.ceil(count / self.batch_size)
            pool = BatchPool(min(self.processes, batches), seal.SealConfig.from_settings())
            try:
                for (chosen, codes, made_at), pdfs in pool.run(self._batches(signatures)):
                    yield from self._evidence(chosen, codes, made_at, pdfs)
            finally:
                pool.close()
        else:
            for (chosen, codes, made_at), batch in self._batches(signatures):
                yield from self._evidence(chosen, codes, made_at, self._local.make(batch))

    @staticmethod
    def _evidence(signatures, codes, made_at, pdfs) -> Iterator[Evidence]:
        for signature, code, pdf in zip(signatures, codes, pdfs, strict=True):
            yield Evidence(signature=signature, code=code, made_at=made_at, pdf=pdf)


def plain_render(signature, *, code: str) -> bytes:
    """One WeasyPrint document of text and certificate, unsealed: what the benchmark compares with."""
    from glenwood.pdf_batch import render

    made_at = datetime.now(UTC)
    context = certificate_context(signature, code=code, made_at=made_at, sealed_by="(not sealed)")
    return render(evidence_html(version=signature.version, certificates=[context])).write_pdf()
