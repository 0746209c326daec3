"""Evidence PDFs: the agreement text exactly as signed, then a certificate page, sealed.

Made fast for bulk export. Every signer of a version shares its text, so the text is rendered once
per version and reused; certificate pages are rendered many to one WeasyPrint document and split
per signature; pypdf joins text and certificate; one Sealer seals them all; batches run on every
core (glenwood/pdf_batch.py). Nothing here writes to the database: `certificates.py` stores what
this makes.
"""

import hashlib
import math
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from glenwood import seal
from glenwood.pdf_batch import Batch, BatchMaker, BatchPool, render
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


def _year_group(signature, made_at, zone) -> str:
    if signature.year_group:
        return f"Year {signature.year_group} at signing"
    year = signature.person.year_group
    return f"Year {year} on {made_at.astimezone(zone):%-d %B %Y}" if year else ""


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
        elif signature.witness_confirmed:
            confirmed = signature.witness_confirmation.confirmed_at.astimezone(zone)
            witness_text += f", confirmed by them on {confirmed:%-d %B %Y}"
        else:
            # Named by the pupil at home; until that person confirms, the record must say so.
            witness_text += " (witness not yet confirmed)"
    else:
        witness_text = "None (not needed for this signer)"
    return {
        "signature_id": signature.pk,
        "school": signature.school.name,
        "school_urn": signature.school.urn,
        "signer": person.get_full_name() or person.username,
        "typed_name": signature.typed_name,
        "roles": ", ".join(r.label for r in Role if r.value in held) or "No role recorded",
        # Recorded at signing since it was kept; older signatures show the year on the day made.
        "year_group": _year_group(signature, made_at, zone),
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
        self.sealer = sealer or seal.sealer()
        self.batch_size = batch_size or settings.EVIDENCE_BATCH_SIZE
        self.processes = processes or settings.EVIDENCE_PROCESSES or os.cpu_count() or 1
        self._local = BatchMaker(self.sealer)
        self._texts: dict[int, bytes] = {}
        self._text_hashes: dict[int, str] = {}

    def text_pdf(self, version) -> bytes:
        """The version's text as a PDF, rendered the first time a signer of it comes up."""
        if version.pk not in self._texts:
            html = evidence_html(version=version, title=f"{version.policy.title}, {version.label}")
            self._texts[version.pk] = render(html).write_pdf()
        return self._texts[version.pk]

    def _text_sha256(self, version) -> str:
        if version.pk not in self._text_hashes:
            self._text_hashes[version.pk] = text_sha256(version.body)
        return self._text_hashes[version.pk]

    def _prepare(self, signatures: list) -> tuple[tuple, Batch]:
        """One batch: a code for each signature and the HTML of all their certificate pages."""
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
                f"{s.agreement.title}, {s.version.label}: signed by {s.person.get_full_name()}"
                for s in signatures
            ],
            authors=[s.school.name for s in signatures],
        )
        return (signatures, codes, made_at), batch

    def _batches(self, signatures: Iterable) -> Iterator[tuple[tuple, Batch]]:
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
    made_at = datetime.now(UTC)
    context = certificate_context(signature, code=code, made_at=made_at, sealed_by="(not sealed)")
    return render(evidence_html(version=signature.version, certificates=[context])).write_pdf()
