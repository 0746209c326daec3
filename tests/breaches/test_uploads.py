"""Evidence files are recognised by their content; hostile ones are refused with a clear message."""

import pytest

from breaches.uploads import GIF, JPEG, PDF, PNG, WEBP, UploadRefused, check_upload

from .files import PHP, SVG_WITH_SCRIPT, image_bytes, pdf_bytes, png, upload


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("a.png", image_bytes("PNG"), PNG),
        ("a.jpg", image_bytes("JPEG"), JPEG),
        ("a.gif", image_bytes("GIF"), GIF),
        ("a.webp", image_bytes("WEBP"), WEBP),
        ("letter.pdf", pdf_bytes(), PDF),
        ("misnamed.pdf", image_bytes("PNG"), PNG),  # the content decides, not the name
    ],
)
def test_images_and_pdfs_are_accepted_as_what_they_are(name, data, kind):
    checked = check_upload(upload(name, data))
    assert checked.kind is kind
    assert checked.size == len(data) and len(checked.sha256) == 64


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("shell.png", PHP, "only images (PNG, JPEG, GIF or WebP) and PDF documents are accepted"),
        ("drawing.svg", SVG_WITH_SCRIPT, "only images"),
        ("drawing.png", SVG_WITH_SCRIPT, "only images"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + PHP, "starts like a PNG image but is not a readable one"),
        ("fake.pdf", b"%PDF-1.7\n" + PHP, "starts like a PDF document but is not a readable one"),
        ("empty.png", b"", "the file is empty"),
        ("../../etc/cron.d/evil.png", image_bytes(), "its name includes a folder path"),
        ("C:\\Users\\me\\evil.png", image_bytes(), "its name includes a folder path"),
        ("C:evil.png", image_bytes(), "its name includes a folder path"),
        (".htaccess", image_bytes(), "hidden or control characters"),
    ],
)
def test_hostile_files_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(UploadRefused, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        check_upload(upload(name, data))
    assert "refused" in str(refused.value) or "without a name" in str(refused.value)


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(settings):
    settings.BREACH_UPLOAD_MAX_BYTES = 1024 * 1024
    big = upload("huge.png", image_bytes() + b"\0" * (1024 * 1536))
    with pytest.raises(
        UploadRefused, match=r"“huge.png” was refused: it is 1\.5 MB and the limit is 1\.0 MB\."
    ):
        check_upload(big)
    assert check_upload(png()).kind is PNG


def test_a_pdf_of_95000_pages_is_checked_by_its_header_and_trailer_in_under_a_second(demo, login):
    """It held a web worker for 18.5 seconds when every page was counted."""
    import time

    from breaches.models import Case

    from .files import many_page_pdf

    data = many_page_pdf(95_000)
    started = time.monotonic()
    checked = check_upload(upload("long.pdf", data, "application/pdf"))
    assert time.monotonic() - started < 1.0
    assert checked.kind is PDF and checked.size == len(data)

    # And through the pupils' form, as it was found: the report is made with the file attached.
    response = login("pupil7").post(
        "/breaches/report/",
        {"category": "harassment", "what_happened": "They sent this.",
         "evidence": [upload("long.pdf", data, "application/pdf")]},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    case = Case.objects.get(reported_by__username="pupil7", what_happened="They sent this.")
    assert case.attachments.get().size == len(data)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n",  # no trailer
        b"%PDF-1.7\nstartxref\n999999\n%%EOF\n",  # points past the end
        b"%PDF-1.7\nxref\n0 1\ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n",  # no root
    ],
    ids=["no trailer", "bad offset", "no root"],
)
def test_a_pdf_without_a_usable_trailer_is_refused(data):
    with pytest.raises(UploadRefused, match="is not a readable one"):
        check_upload(upload("broken.pdf", data, "application/pdf"))
