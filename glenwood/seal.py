"""PAdES seals: the portal signs its evidence PDFs with the school's certificate, so any edit shows.

The certificate and key come from the environment (`SIGNING_CERT_PATH` and `SIGNING_KEY_PATH`, or a
PKCS#12 file in `SIGNING_PKCS12_PATH`); `manage.py make_signing_certificate` writes a self-signed
pair for development and the tests make their own (`manage.py demo_pki` and tests/pki.py issue one
from a local demo PKI instead).

A trusted time: with `TSA_URL` set, every seal carries an RFC 3161 timestamp from that authority
(PAdES B-T), so the moment of sealing does not rest on the portal's own clock. When the seal's
certificate chain is known (`SIGNING_CHAIN_PATH`, or the PKCS#12 file's chain) the seal also
carries the chain's OCSP responses and CRLs (PAdES B-LT), so it can be checked after the
certificate has expired. `TSA_ROOTS_PATH` adds the time-stamping authority's root, when it is not
in the chain, to what the portal trusts.

Used plainly, pyHanko repeats costly set-up for every PDF: `SimpleSigner` re-parses its private key
on each signature (cryptography then re-checks the RSA key, about 40 ms), and `sign_pdf` signs a
dummy document first to estimate the signature's size. A `Sealer` parses the key once and measures
the size once, then seals PDF after PDF with the same objects.
"""

import datetime
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import requests
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter

logger = logging.getLogger(__name__)

FIELD_NAME = "GlenwoodSeal"
# OCSP responses and CRLs are fetched once and embedded in every seal for this long, then fetched
# again, so a long-running worker never embeds revocation data much older than the seal.
REVOCATION_REFRESH_SECONDS = 3600


class TimestampUnavailable(Exception):
    """The time-stamping authority did not answer: the PDF is not sealed; try again later."""


class _KeptAliveTimeStamper(RequestsHTTPTimeStamper):
    """pyHanko's timestamp client, but over one kept-alive connection: a bulk export asks the
    authority once per PDF, and a new TCP connection (or TLS handshake) each time doubles the wait."""

    def __init__(self, url, timeout):
        super().__init__(url, timeout=timeout)
        self._session = requests.Session()

    async def async_request_tsa_response(self, req):
        try:
            response = self._session.post(
                self.url, req.dump(), headers=self.request_headers(), timeout=self.timeout
            )
        except (OSError, requests.RequestException) as exc:
            raise TimestampRequestError("The time-stamping authority did not answer.") from exc
        if (
            response.status_code != 200
            or response.headers.get("Content-Type") != "application/timestamp-reply"
        ):
            raise TimestampRequestError(f"The time-stamping authority answered {response.status_code}.")
        return tsp.TimeStampResp.load(response.content)


class _KeyParsedOnce(signers.SimpleSigner):
    """A SimpleSigner that keeps the parsed private key instead of parsing it for every signature."""

    _private_key = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if self._private_key is None:
            self._private_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, rsa.RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)  # rarer mechanisms: pyHanko's own, slower path


@dataclass(frozen=True)
class SealConfig:
    cert_path: str = ""
    key_path: str = ""
    key_passphrase: str = ""
    pkcs12_path: str = ""
    pkcs12_passphrase: str = ""
    chain_path: str = ""
    tsa_url: str = ""
    tsa_timeout: int = 10
    tsa_roots_path: str = ""

    @classmethod
    def from_settings(cls):
        return cls(
            cert_path=str(settings.SIGNING_CERT_PATH or ""),
            key_path=str(settings.SIGNING_KEY_PATH or ""),
            key_passphrase=settings.SIGNING_KEY_PASSPHRASE or "",
            pkcs12_path=str(settings.SIGNING_PKCS12_PATH or ""),
            pkcs12_passphrase=settings.SIGNING_PKCS12_PASSPHRASE or "",
            chain_path=str(settings.SIGNING_CHAIN_PATH or ""),
            tsa_url=settings.TSA_URL or "",
            tsa_timeout=settings.TSA_TIMEOUT,
            tsa_roots_path=str(settings.TSA_ROOTS_PATH or ""),
        )

    def trust_roots(self, signer=None) -> list:
        """The self-signed certificates of the seal's chain and the TSA roots: what seals and
        timestamps are checked against."""
        certificates = list(signer.cert_registry) if signer is not None else []
        for path in (self.chain_path, self.tsa_roots_path):
            if path:
                certificates += list(load_certs_from_pemder([path]))
        roots = {c.sha256: c for c in certificates if c.self_signed == "maybe" or c.self_signed == "yes"}
        return list(roots.values())

    def load_signer(self) -> signers.SimpleSigner:
        if self.pkcs12_path:
            loaded = signers.SimpleSigner.load_pkcs12(
                self.pkcs12_path, passphrase=self.pkcs12_passphrase.encode() or None
            )
        else:
            for path in (self.cert_path, self.key_path):
                if not path or not Path(path).is_file():
                    raise ImproperlyConfigured(
                        f"No signing certificate at {path or '(unset)'}: set SIGNING_CERT_PATH and "
                        "SIGNING_KEY_PATH (or SIGNING_PKCS12_PATH), or run "
                        "`manage.py make_signing_certificate` for a self-signed one."
                    )
            loaded = signers.SimpleSigner.load(
                self.key_path, self.cert_path, key_passphrase=self.key_passphrase.encode() or None,
                ca_chain_files=(self.chain_path,) if self.chain_path else None,
            )  # fmt: skip
        if loaded is None:  # pyHanko logs the reason and returns None
            raise ImproperlyConfigured("The signing certificate or its key could not be read.")
        return _KeyParsedOnce(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )


class Sealer:
    """Seals PDFs with one certificate, doing pyHanko's set-up once for all of them."""

    def __init__(self, signer: signers.SimpleSigner, config: SealConfig | None = None):
        config = config or SealConfig()
        self.signer = signer
        self.certificate: asn1_x509.Certificate = signer.signing_cert
        self.fingerprint = hashlib.sha256(self.certificate.dump()).hexdigest()
        self.common_name = self.certificate.subject.native.get("common_name", "")
        self.timestamper = (
            _KeptAliveTimeStamper(config.tsa_url, config.tsa_timeout) if config.tsa_url else None
        )
        # Long-term validation data only where the chain reaches a root other than the seal itself.
        self._roots = [r for r in config.trust_roots(signer) if r.sha256 != self.certificate.sha256]
        self._chain = list(signer.cert_registry)
        self.long_term = bool(self._roots)
        self._pdf_signer, self._made_at = self._new_pdf_signer(), time.monotonic()
        self.bytes_reserved = self._measure_signature_size()

    def _new_pdf_signer(self) -> signers.PdfSigner:
        context = (
            ValidationContext(trust_roots=self._roots, other_certs=self._chain, allow_fetching=True)
            if self.long_term
            else None
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason="Sealed by the school as evidence: any change to this document breaks the seal.",
            embed_validation_info=self.long_term,
            validation_context=context,
        )
        return signers.PdfSigner(metadata, signer=self.signer, timestamper=self.timestamper)

    def _measure_signature_size(self) -> int:
        """Let pyHanko estimate the signature's size once, on a blank page, and keep the answer."""
        blank = PdfWriter()
        blank.add_blank_page(width=72, height=72)
        buffer = io.BytesIO()
        blank.write(buffer)
        try:
            sealed = self._pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(buffer.getvalue())))
        except TimestampRequestError as exc:
            raise TimestampUnavailable(str(exc)) from exc
        signature = PdfFileReader(sealed).embedded_signatures[0]
        start, length, end, _ = signature.sig_object["/ByteRange"]
        return end - (start + length) - 2  # the hex placeholder between "<" and ">"

    def seal(self, pdf: bytes) -> bytes:
        if self.long_term and time.monotonic() - self._made_at > REVOCATION_REFRESH_SECONDS:
            self._pdf_signer, self._made_at = self._new_pdf_signer(), time.monotonic()
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        try:
            return self._pdf_signer.sign_pdf(writer, bytes_reserved=self.bytes_reserved).getvalue()
        except TimestampRequestError as exc:
            raise TimestampUnavailable(str(exc)) from exc


@dataclass(frozen=True)
class SealCheck:
    """What a PDF's seal says: intact over the whole document (only validation data added after),
    made with the expected certificate, and the trusted time it carries, if any."""

    intact: bool = False
    timestamped: bool = False
    timestamp_valid: bool = False
    timestamp: datetime.datetime | None = None
    timestamp_authority: str = ""
    long_term: bool = False

    @property
    def genuine(self) -> bool:
        return self.intact and self.timestamped and self.timestamp_valid


def check_seal(pdf: bytes, *, fingerprint: str) -> SealCheck:
    """Check the PDF's one seal against the certificate whose SHA-256 fingerprint is given (the one a
    stored record says sealed it, even if the school has since moved to a new certificate), and its
    timestamp against the roots the portal trusts (SIGNING_CHAIN_PATH, TSA_ROOTS_PATH)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        seals = reader.embedded_signatures
        if len(seals) != 1:
            return SealCheck()
        certificate = seals[0].signer_cert
        if hashlib.sha256(certificate.dump()).hexdigest() != fingerprint:
            return SealCheck()
        roots = [certificate, *SealConfig.from_settings().trust_roots()]
        # Nothing is fetched: the check reads the document (and its embedded validation data) only.
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        timestamps = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = validate_pdf_signature(seals[0], context, ts_validation_context=timestamps)
    except Exception:  # a malformed upload can fail anywhere in the parser: it is simply not ours
        logger.info("A PDF's seal could not be checked", exc_info=True)
        return SealCheck()
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        # Long-term validation data is written after the seal, in its own revision; nothing else may be.
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
    )
    stamp = status.timestamp_validity
    return SealCheck(
        intact=bool(status.intact and status.valid and status.trusted and whole),
        timestamped=stamp is not None,
        timestamp_valid=bool(stamp and stamp.intact and stamp.valid and stamp.trusted),
        timestamp=stamp.timestamp if stamp else None,
        timestamp_authority=stamp.signing_cert.subject.native.get("common_name", "") if stamp else "",
        long_term=reader.root.get("/DSS") is not None,
    )


def seal_is_intact(pdf: bytes, *, fingerprint: str) -> bool:
    """True when the PDF holds exactly one seal, intact over the whole file, made with the certificate
    whose SHA-256 fingerprint is given."""
    return check_seal(pdf, fingerprint=fingerprint).intact


@lru_cache(maxsize=4)
def _sealer_for(config: SealConfig) -> Sealer:
    return Sealer(config.load_signer(), config)


def sealer() -> Sealer:
    """The sealer for the configured certificate, made once per process."""
    return _sealer_for(SealConfig.from_settings())


def write_self_signed_certificate(*, cert_path: Path, key_path: Path, common_name: str, days=3650):
    """A self-signed certificate for development and tests: pdfsig finds the seal valid and the issuer
    unknown, which is what a school without a certificate authority of its own will see."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
