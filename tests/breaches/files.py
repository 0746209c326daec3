"""Files for upload tests: real images and PDFs, and the hostile ones a portal must refuse."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

PHP = b"<?php echo shell_exec($_GET['cmd']); ?>\n"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/admin/').then(r=>r.text()).then(alert)</script><rect width='10' height='10'/></svg>"
)


def image_bytes(fmt="PNG", text="screenshot", size=(160, 60)) -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((5, 20), text, fill="black")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    if "/" in name or "\\" in name:
        # SimpleUploadedFile keeps only the base name, as Django's request parser does; a file
        # handed to a service by other code can still carry a path.
        return ContentFile(data, name=name)
    return SimpleUploadedFile(name, data, content_type=content_type)


def png(name="screenshot.png", text="screenshot"):
    return upload(name, image_bytes("PNG", text), "image/png")


def many_page_pdf(pages=95_000) -> bytes:
    """A valid PDF of many minimal pages (about 7 MB for 95,000), written directly: pypdf would
    take minutes to make it, as it took the portal's old check minutes to read it."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []

    def obj(number, body: bytes):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(pages))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages)
    for n in range(pages):
        obj(n + 3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 3 3] >>")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (pages + 3))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (pages + 3, xref))
    return out.getvalue()
