"""PAdES seals: the portal signs its evidence PDFs with the school's certificate, so any edit shows.

The certificate and key come from the environment (`SIGNING_CERT_PATH` and `SIGNING_KEY_PATH`, or a
PKCS#12 file in `SIGNING_PKCS12_PATH`); `manage.py make_signing_certificate` writes a self-signed
pair for development and the tests make their own.

Used plainly, pyHanko repeats costly set-up for every PDF: `SimpleSigner` re-parses its private key
on each signature (cryptography then re-checks the RSA key, about 40 ms), and `sign_pdf` signs a
dummy document first to estimate the signature's size. A `Sealer` parses the key once and measures
the size once, then seals PDF after PDF with the same objects.
"""

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter

logger = logging.getLogger(__name__)

FIELD_NAME = "GlenwoodSeal"


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

    @classmethod
    def from_settings(cls):
        return cls(
            cert_path=str(settings.SIGNING_CERT_PATH or ""),
            key_path=str(settings.SIGNING_KEY_PATH or ""),
            key_passphrase=settings.SIGNING_KEY_PASSPHRASE or "",
            pkcs12_path=str(settings.SIGNING_PKCS12_PATH or ""),
            pkcs12_passphrase=settings.SIGNING_PKCS12_PASSPHRASE or "",
        )

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
                self.key_path, self.cert_path, key_passphrase=self.key_passphrase.encode() or None
            )
        if loaded is None:  # pyHanko logs the reason and returns None
            raise ImproperlyConfigured("The signing certificate or its key could not be read.")
        return _KeyParsedOnce(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )


class Sealer:
    """Seals PDFs with one certificate, doing pyHanko's set-up once for all of them."""

    def __init__(self, signer: signers.SimpleSigner):
        self.signer = signer
        self.certificate: asn1_x509.Certificate = signer.signing_cert
        self.fingerprint = hashlib.sha256(self.certificate.dump()).hexdigest()
        self.common_name = self.certificate.subject.native.get("common_name", "")
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason="Sealed by the school as evidence: any change to this document breaks the seal.",
        )
        self._pdf_signer = signers.PdfSigner(metadata, signer=signer)
        self.bytes_reserved = self._measure_signature_size()

    def _measure_signature_size(self) -> int:
        """Let pyHanko estimate the signature's size once, on a blank page, and keep the answer."""
        blank = PdfWriter()
        blank.add_blank_page(width=72, height=72)
        buffer = io.BytesIO()
        blank.write(buffer)
        sealed = self._pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(buffer.getvalue())))
        signature = PdfFileReader(sealed).embedded_signatures[0]
        start, length, end, _ = signature.sig_object["/ByteRange"]
        return end - (start + length) - 2  # the hex placeholder between "<" and ">"

    def seal(self, pdf: bytes) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return self._pdf_signer.sign_pdf(writer, bytes_reserved=self.bytes_reserved).getvalue()


def seal_is_intact(pdf: bytes, *, fingerprint: str) -> bool:
    """True when the PDF holds exactly one seal, intact over the whole file, made with the certificate
    whose SHA-256 fingerprint is given (the one a stored record says sealed it, even if the school
    has since moved to a new certificate)."""
    try:
        seals = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if len(seals) != 1:
            return False
        certificate = seals[0].signer_cert
        if hashlib.sha256(certificate.dump()).hexdigest() != fingerprint:
            return False
        context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
        status = validate_pdf_signature(seals[0], context)
    except Exception:  # a malformed upload can fail anywhere in the parser: it is simply not ours
        logger.info("A PDF's seal could not be checked", exc_info=True)
        return False
    return bool(
        status.intact
        and status.valid
        and status.trusted
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )


@lru_cache(maxsize=4)
def _sealer_for(config: SealConfig) -> Sealer:
    return Sealer(config.load_signer())


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
