"""Which uploaded files a case accepts: images and PDFs, recognised by what is in them.

The name and the browser's content type are the uploader's to choose, so neither decides: the
first bytes must be a PNG, JPEG, GIF, WebP or PDF signature and the file must then open as that
kind. SVG is refused: it is a script-capable document.

The check runs inside the request, so it reads only what it needs: Pillow reads an image's header
and verifies it (bounded by its decompression-bomb limit); a PDF is checked by its header and its
trailer (where the cross-reference table starts and the document's root), never page by page,
so a file of 95,000 pages is checked as fast as one of a single page.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image

from glenwood.services import ServiceError

ACCEPTED = "images (PNG, JPEG, GIF or WebP) and PDF documents"


class UploadRefused(ServiceError):
    """One file refused; the message names it and says why."""


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str
    pillow_format: str = ""


PNG = Kind("PNG image", "image/png", ".png", "PNG")
JPEG = Kind("JPEG image", "image/jpeg", ".jpg", "JPEG")
GIF = Kind("GIF image", "image/gif", ".gif", "GIF")
WEBP = Kind("WebP image", "image/webp", ".webp", "WEBP")
PDF = Kind("PDF document", "application/pdf", ".pdf")


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    name: str
    kind: Kind
    size: int
    sha256: str


def sniff(head: bytes) -> Kind | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def check_name(name: str) -> str:
    """Refuse a name that carries a folder path or characters a file system treats specially."""
    shown = name if len(name) <= 80 else name[:77] + "..."
    if not name or not name.strip():
        raise UploadRefused("A file arrived without a name; choose it again.")
    if any(sep in name for sep in ("/", "\\", ":")) or name in (".", ".."):
        raise UploadRefused(
            f"“{shown}” was refused: its name includes a folder path. Choose the file itself."
        )
    if not name.isprintable() or name.startswith("."):
        raise UploadRefused(f"“{shown}” was refused: its name has hidden or control characters. Rename it.")
    if len(name) > 200:
        raise UploadRefused(f"“{shown}” was refused: its name is longer than 200 characters. Rename it.")
    return name


def check_upload(upload) -> CheckedFile:
    """Return what the file really is, or raise UploadRefused with a message for the uploader."""
    name = check_name(getattr(upload, "name", "") or "")
    limit = settings.BREACH_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise UploadRefused(
            f"“{name}” was refused: it is {_size(upload.size)} and the limit is {_size(limit)}."
        )
    if upload.size == 0:
        raise UploadRefused(f"“{name}” was refused: the file is empty.")
    data = _read(upload)
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRefused(f"“{name}” was refused: only {ACCEPTED} are accepted, and this file is neither.")
    if not _opens_as(kind, data):
        raise UploadRefused(f"“{name}” was refused: it starts like a {kind.label} but is not a readable one.")
    return CheckedFile(
        upload=upload, name=name, kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _size(n: int) -> str:
    return filesizeformat(n).replace("\xa0", " ")


def _read(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    return data


_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PDF_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF")
_PDF_XREF_AT = re.compile(rb"\s*(?:xref\b|\d+\s+\d+\s+obj\b)")
PDF_TAIL_BYTES = 4096


def pdf_is_well_formed(data: bytes) -> bool:
    """A PDF's header, and a trailer that points at a cross-reference section and names the
    document's root: what a reader needs to open it, read without touching a page."""
    if not _PDF_HEADER.match(data[:16]):
        return False
    tail = data[-PDF_TAIL_BYTES:]
    found = _PDF_STARTXREF.findall(tail)  # the last one: an updated PDF has one per update
    if not found:
        return False
    offset = int(found[-1])
    if not 0 < offset < len(data) or not _PDF_XREF_AT.match(data, offset):
        return False
    # The root is named in the classic trailer (in the tail) or in a cross-reference stream's dictionary.
    return b"/Root" in tail or b"/Root" in data[offset : offset + PDF_TAIL_BYTES]


def _opens_as(kind: Kind, data: bytes) -> bool:
    if kind is PDF:
        return pdf_is_well_formed(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != kind.pillow_format:
                    return False
                image.verify()
            return True
    except Exception:  # any parser failure means "not a readable file of this kind"
        return False
